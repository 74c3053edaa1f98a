"""The PostgreSQL backend (``ENGINE = "asgi_cycle.db.backends.postgresql"``)."""

from __future__ import annotations

from asgi_cycle.db.backends.postgresql.base import (
    PostgresBackend,
    PostgresPooledConnection,
    make_dialect,
)

__all__ = ["PostgresBackend", "PostgresPooledConnection", "make_dialect"]
