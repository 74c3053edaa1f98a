"""What every backend provides, and the statement helpers they share.

A backend is created per (database alias, event loop). It hands out
``BackendConnection`` objects; each is acquired from the backend's pool, used by
one logical caller at a time and released back.

``execute`` returns, on every backend:

- the first column of the first returned row when the statement returns rows
  (``INSERT ... RETURNING id``, ``UPDATE ... RETURNING``), or ``None`` if none came back;
- otherwise, for an ``INSERT`` on SQLite, the rowid of the inserted row;
- otherwise the number of rows the statement affected (``rowcount``), which is what
  an ``INSERT`` without ``RETURNING`` gives on PostgreSQL.

Use ``RETURNING`` for portable ids (SQLite >= 3.35 supports it).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import UpdateBase, ValuesBase
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import SelectBase
from sqlalchemy.util import LRUCache

__all__ = [
    "Backend",
    "BackendConnection",
    "Query",
    "build_query",
    "compile_cached",
    "is_write",
    "returns_rows",
]

Query = ClauseElement | str

_READ_KEYWORDS = frozenset({"SELECT", "VALUES", "EXPLAIN", "SHOW"})
_FIRST_WORD = re.compile(r"\s*(?:--[^\n]*\n\s*)*\(?\s*(\w+)")
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


class BackendConnection(Protocol):
    """One pooled driver connection (a ``databases`` connection backend)."""

    async def acquire(self) -> None:
        """Take a driver connection from the pool."""

    async def release(self) -> None:
        """Give it back (rolled back first if a transaction was left open)."""

    async def fetch_all(self, query: ClauseElement) -> list[Any]:
        """Every row of the result."""

    async def fetch_one(self, query: ClauseElement) -> Any | None:
        """The first row, or None."""

    async def fetch_rows(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """Every row of an already compiled SELECT, as the driver returns them.

        Only the ORM calls this, with SQL it compiled itself: a plain read that
        leaves no session state behind.
        """

    async def execute(self, query: ClauseElement) -> Any:
        """Run one statement; the module docstring says what it returns."""

    def iterate(self, query: ClauseElement) -> AsyncIterator[Any]:
        """Stream the rows."""

    async def control(self, sql: str) -> None:
        """Run BEGIN / SAVEPOINT / COMMIT / ROLLBACK."""

    def compile_for_log(self, query: ClauseElement) -> tuple[str, int]:
        """SQL text and parameter count for the query log."""

    @property
    def rowcount(self) -> int:
        """Rows affected by the last statement."""

    @property
    def raw_connection(self) -> Any:
        """The driver's own connection object."""


class Backend(Protocol):
    """A pool of connections to one database, bound to one event loop."""

    dialect: Dialect

    async def connect(self) -> None:
        """Open the pool (first connection now, so bad settings fail early)."""

    async def disconnect(self) -> None:
        """Close the pool and its connections on this loop."""

    def connection(self) -> BackendConnection:
        """A connection handle to ``acquire()``."""

    def begin_sql(self) -> str:
        """The statement that opens a root transaction."""

    def abandon(self) -> None:
        """Drop the pool without its loop (the loop is closed or in another process)."""


def build_query(query: Query, values: Mapping[str, Any] | None) -> ClauseElement:
    """A ClauseElement for a Core statement or a raw SQL string with ``:name`` values."""
    if isinstance(query, str):
        clause = text(query)
        return clause.bindparams(**values) if values else clause
    if values:
        if isinstance(query, ValuesBase):
            return query.values(**values)
        if isinstance(query, TextClause):
            return query.bindparams(**values)
        raise TypeError(f"values= is only accepted for raw SQL, INSERT or UPDATE, not {query!r}")
    return query


def _first_word(query: ClauseElement) -> str:
    if isinstance(query, TextClause):
        match = _FIRST_WORD.match(query.text)
        return match.group(1).upper() if match else ""
    return ""


def returns_rows(query: ClauseElement) -> bool:
    """Whether the statement produces a result set (SELECT or ... RETURNING)."""
    if isinstance(query, UpdateBase):
        return len(query.exported_columns) > 0
    if isinstance(query, SelectBase):
        return True
    if isinstance(query, TextClause):
        word = _first_word(query)
        return word in _READ_KEYWORDS or word == "WITH" or bool(_RETURNING.search(query.text))
    return False


def is_write(query: ClauseElement) -> bool:
    """Whether the statement may write (anything that is not a plain read)."""
    if isinstance(query, SelectBase):
        return False
    if isinstance(query, TextClause):
        return _first_word(query) not in _READ_KEYWORDS
    return True


def compile_cached(
    query: ClauseElement, dialect: Dialect, cache: LRUCache[Any, Any]
) -> tuple[str, list[Any], Any]:
    """SQL text, positional arguments and the Compiled object for ``query``.

    Statements are compiled once per structure (SQLAlchemy's cache keys, as an
    Engine uses them) and their values bound afresh on each call; IN lists are
    expanded per call. Bind processors run as SQLAlchemy's execution context runs them.
    """
    compiled: Any
    compiled, extracted, collected, _ = query._compile_w_cache(
        dialect, compiled_cache=cache, column_keys=[]
    )
    if collected is not None:
        params = compiled.construct_params(
            extracted_parameters=extracted, _collected_params=collected
        )
    else:
        params = compiled.construct_params(extracted_parameters=extracted)
    if compiled.literal_execute_params or compiled.post_compile_params:
        state = compiled.construct_expanded_state(params)
        sql, positions = state.statement, state.positiontup
        values, processors = state.parameters, state.processors
    else:
        sql, positions = compiled.string, compiled.positiontup
        values, processors = params, compiled._bind_processors
    args = [
        processors[key](values[key]) if key in processors else values[key]
        for key in positions or ()
    ]
    return sql, args, compiled


def count_params(args: Sequence[Any] | Mapping[str, Any]) -> int:
    """How many bound parameters a compiled statement carries."""
    return len(args)
