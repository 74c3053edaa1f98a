"""The SQLite backend (``ENGINE = "asgi_cycle.db.backends.sqlite3"``)."""

from __future__ import annotations

from asgi_cycle.db.backends.sqlite3.base import (
    PooledSQLiteConnection,
    SQLiteBackend,
    SQLitePool,
    make_dialect,
)

__all__ = ["PooledSQLiteConnection", "SQLiteBackend", "SQLitePool", "make_dialect"]
