"""Per-context query collection: every query run inside ``collect()`` is recorded.

The collector lives in a context variable holding a tuple of plain lists. Tasks
and worker threads started inside the block copy the context, so queries that hop
through the sync/async bridge land in the same list. When nobody collects, the
cost per query is one ``ContextVar.get`` and a truth test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["QueryRecord", "collect", "is_collecting", "record"]


@dataclass(frozen=True, slots=True)
class QueryRecord:
    """One executed query as seen by a collector."""

    sql: str
    params_count: int
    rows: int
    duration: float
    alias: str


_collectors: ContextVar[tuple[list[QueryRecord], ...]] = ContextVar(
    "asgi_cycle_query_collectors", default=()
)


def is_collecting() -> bool:
    """Whether any collector is active in the current context."""
    return bool(_collectors.get())


def record(query: QueryRecord) -> None:
    """Append ``query`` to every active collector."""
    for records in _collectors.get():
        records.append(query)


@contextmanager
def collect(records: list[QueryRecord] | None = None) -> Iterator[list[QueryRecord]]:
    """Collect a ``QueryRecord`` for every query executed in this context.

    Records are appended as each query finishes, to ``records`` when given (a list
    subclass can act on each one; the request tracer does) or to a new list.
    """
    if records is None:
        records = []
    token = _collectors.set((*_collectors.get(), records))
    try:
        yield records
    finally:
        _collectors.reset(token)
