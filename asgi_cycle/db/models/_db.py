"""How the ORM reaches the database: ``asgi_cycle.db.connections["default"]``."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from typing import Any, Protocol

from sqlalchemy.sql import ClauseElement


class Connection(Protocol):
    """The async connection API the engine provides (``databases``-shaped)."""

    vendor: str

    async def fetch_all(self, query: ClauseElement) -> list[Any]: ...

    async def fetch_one(self, query: ClauseElement) -> Any: ...

    async def fetch_val(self, query: ClauseElement) -> Any: ...

    async def execute(self, query: ClauseElement) -> Any: ...

    def iterate(self, query: ClauseElement) -> AsyncIterator[Any]: ...

    def transaction(self) -> Any: ...


def connection(alias: str = "default") -> Connection:
    """The connection for ``alias`` (imported late: the engine imports the models)."""
    # Looked up at call time: the engine package imports the models, not the reverse.
    conn: Connection = importlib.import_module("asgi_cycle.db").connections[alias]
    return conn


__all__ = ["Connection", "connection"]
