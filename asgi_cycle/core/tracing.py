"""Where a request spends its time: spans per stage of the cycle.

A ``Trace`` is opened by the handler for each request when tracing is on
(``CYCLE_TRACE`` or ``DEBUG``) and held in a context variable, so that code in
any stage, on the loop or in a worker thread, can add spans to it:

- ``body``: reading the request body;
- ``mw``: one span per middleware layer, from the request going in to the
  response coming out (nested: the outer layer's span contains the inner's);
- ``resolve``, ``view``, ``template``, ``db`` (one span per SQL query);
- ``send``: sending the response.

``Server-Timing`` reports, in milliseconds: ``mw`` (time in middleware code
only, the inner stages subtracted), ``resolve``, ``view`` (the view call,
including its queries and renders), ``db`` and ``template`` (sums), and
``total`` (from the first byte of handling to the response being ready).
When tracing is off, ``span()`` costs one context-variable lookup.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

STAGES = ("body", "mw", "resolve", "view", "db", "template", "send")
#: Where the DEBUG waterfall of recent traces is served (``asgi_cycle.views.cycle``).
CYCLE_PAGE_PATH = "/__cycle__/"


@dataclass(slots=True)
class Span:
    """One timed step: ``start``/``end`` in seconds since the trace began."""

    stage: str
    name: str
    start: float
    end: float
    depth: int

    @property
    def duration(self) -> float:
        """Seconds the step took."""
        return self.end - self.start


@dataclass
class Trace:
    """The spans of one request."""

    method: str
    path: str
    started_at: float = field(default_factory=time.time)
    t0: float = field(default_factory=time.perf_counter)
    spans: list[Span] = field(default_factory=list)
    status: int | None = None
    total: float | None = None
    depth: int = 0

    @contextmanager
    def span(self, stage: str, name: str = "") -> Iterator[None]:
        """Time the block as one span of ``stage``."""
        start = time.perf_counter() - self.t0
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            self.spans.append(Span(stage, name, start, time.perf_counter() - self.t0, self.depth))

    def add(self, stage: str, name: str, start: float, end: float) -> None:
        """Record a span measured elsewhere (``perf_counter`` values)."""
        self.spans.append(Span(stage, name, start - self.t0, end - self.t0, self.depth + 1))

    def finish(self, status: int) -> None:
        """Mark the response as ready."""
        self.status = status
        self.total = time.perf_counter() - self.t0

    def totals(self) -> dict[str, float]:
        """Milliseconds per stage as ``Server-Timing`` reports them (see module doc)."""
        sums = dict.fromkeys(STAGES, 0.0)
        for span in self.spans:
            if span.stage == "mw":
                continue
            sums[span.stage] += span.duration
        outer = [s for s in self.spans if s.stage == "mw" and s.depth == 1]
        inner = sum(s.duration for s in self.spans if s.stage in ("resolve", "view", "template"))
        if outer:
            # Templates rendered inside the view are already part of the view's span.
            nested = sum(
                s.duration
                for s in self.spans
                if s.stage == "template" and _inside(s, "view", self.spans)
            )
            sums["mw"] = max(sum(s.duration for s in outer) - (inner - nested), 0.0)
        result = {stage: value * 1000 for stage, value in sums.items()}
        result["total"] = (self.total or 0.0) * 1000
        return result

    def server_timing(self) -> str:
        """The ``Server-Timing`` header value."""
        totals = self.totals()
        names = ("mw", "resolve", "view", "db", "template", "total")
        return ", ".join(f"{name};dur={totals[name]:.3f}" for name in names)


def _inside(span: Span, stage: str, spans: list[Span]) -> bool:
    return any(
        other.stage == stage and other.start <= span.start and span.end <= other.end
        for other in spans
    )


class QuerySpans(list):  # type: ignore[type-arg]
    """A query-log collector that turns each finished query into a ``db`` span."""

    def __init__(self, trace: Trace) -> None:
        super().__init__()
        self.trace = trace

    def append(self, record: Any) -> None:
        """Record the query; it finished just now and took ``record.duration``."""
        super().append(record)
        end = time.perf_counter()
        self.trace.add("db", record.sql, end - record.duration, end)


current_trace: ContextVar[Trace | None] = ContextVar("asgi_cycle_trace", default=None)


class RecentTraces:
    """The most recent traces, newest last (``CYCLE_TRACE_KEEP`` of them)."""

    def __init__(self, keep: int = 50) -> None:
        self._traces: deque[Trace] = deque(maxlen=keep)

    def resize(self, keep: int) -> None:
        """Keep at most ``keep`` traces from now on (the newest are kept)."""
        if keep != self._traces.maxlen:
            self._traces = deque(self._traces, maxlen=max(keep, 1))

    def append(self, trace: Trace) -> None:
        """Add a finished trace."""
        self._traces.append(trace)

    def clear(self) -> None:
        """Forget every trace."""
        self._traces.clear()

    def __iter__(self) -> Iterator[Trace]:
        return iter(list(self._traces))

    def __len__(self) -> int:
        return len(self._traces)

    def last(self) -> Trace | None:
        """The newest trace, if any."""
        return self._traces[-1] if self._traces else None


#: The most recent traces, for ``/__cycle__/`` and ``asgi-cycle trace``.
recent = RecentTraces()


_NO_SPAN = nullcontext()


def span(stage: str, name: str = "") -> AbstractContextManager[None]:
    """Time the block as a span of the current request's trace, if there is one.

    Untraced, this is one context-variable lookup and a shared no-op context.
    """
    trace = current_trace.get()
    if trace is None:
        return _NO_SPAN
    return trace.span(stage, name)


__all__ = [
    "STAGES",
    "QuerySpans",
    "RecentTraces",
    "Span",
    "Trace",
    "current_trace",
    "recent",
    "span",
]
