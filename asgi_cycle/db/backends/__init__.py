"""Database backends: ``sqlite3`` (pooled aiosqlite) and ``postgresql`` (asyncpg).

Each backend is a pool of connections for one event loop; ``asgi_cycle.db.backends.base``
states what they provide and what ``execute`` returns.
"""

from __future__ import annotations

from asgi_cycle.db.backends.base import Backend, BackendConnection

__all__ = ["Backend", "BackendConnection"]
