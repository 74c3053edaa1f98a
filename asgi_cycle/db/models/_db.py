"""How the ORM reaches the database: ``asgi_cycle.db.connections["default"]``."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Hashable, Sequence
from typing import Any, Protocol

from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement


class Connection(Protocol):
    """The async connection API the engine provides (``databases``-shaped)."""

    vendor: str
    dialect: Dialect
    #: Compiled statements by query shape (see ``compiler.prepare``).
    prepared: dict[Hashable, Any]

    async def fetch_prepared(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """The driver's rows for a SELECT compiled by ``compiler.prepare``."""
        ...

    async def fetch_all(self, query: ClauseElement) -> list[Any]:
        """All rows of ``query``."""
        ...

    async def fetch_one(self, query: ClauseElement) -> Any:
        """The first row of ``query``, or None."""
        ...

    async def fetch_val(self, query: ClauseElement) -> Any:
        """The first column of the first row of ``query``, or None."""
        ...

    async def execute(self, query: ClauseElement) -> Any:
        """Run one statement; the RETURNING value, the new row id or the row count."""
        ...

    def iterate(self, query: ClauseElement) -> AsyncIterator[Any]:
        """The rows of ``query`` as they arrive, without buffering them all."""
        ...

    def transaction(self) -> Any:
        """An ``atomic`` block on this database (sync/async context manager, decorator)."""
        ...


_handler: Any = None


def connection(alias: str = "default") -> Connection:
    """The connection for ``alias`` (imported late: the engine imports the models)."""
    global _handler
    if _handler is None:
        # Looked up at first use: the engine package imports the models, not the reverse.
        _handler = importlib.import_module("asgi_cycle.db").connections
    conn: Connection = _handler[alias]
    return conn


__all__ = ["Connection", "connection"]
