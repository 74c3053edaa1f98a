"""The database layer: ``connections``, lifespan hooks and the settings receiver.

``connections[alias]`` is a ``DatabaseWrapper`` (see ``asgi_cycle.db.connection``).
The ASGI lifespan calls ``aconnect_all()`` on startup and ``adisconnect_all()`` on
shutdown; without a lifespan every pool connects lazily on first use. Driver
errors surface as Django's classes (``IntegrityError``, ``OperationalError`` ...).
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgi_cycle.core.signals import setting_changed
from asgi_cycle.db._errors import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)
from asgi_cycle.db._handler import ConnectionHandler, connections
from asgi_cycle.db.connection import DEFAULT_DB_ALIAS, DatabaseWrapper
from asgi_cycle.db.querylog import QueryRecord

__all__ = [
    "DEFAULT_DB_ALIAS",
    "ConnectionHandler",
    "DataError",
    "DatabaseError",
    "DatabaseWrapper",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "QueryRecord",
    "aconnect_all",
    "adisconnect_all",
    "close_all",
    "connections",
    "reset_connections",
]


async def aconnect_all() -> None:
    """Connect the running loop's pool for every configured database."""
    for wrapper in connections.all():
        await wrapper.aconnect()


async def adisconnect_all() -> None:
    """Close every database's pools (this loop's, other live loops', and dead loops')."""
    for wrapper in connections.all(initialized_only=True):
        await wrapper.adisconnect()


def close_all() -> None:
    """Sync twin of ``adisconnect_all`` for scripts and test teardown without a loop."""
    for wrapper in connections.all(initialized_only=True):
        wrapper.close()


def reset_connections() -> None:
    """Forget every wrapper so the next access rereads ``settings.DATABASES``.

    Pools whose loop is gone are released at once; pools on a live loop are
    closed there in the background. Close them first (``adisconnect_all``) to be sure.
    """
    for wrapper in connections.reset():
        _close_in_background(wrapper)


def _close_in_background(wrapper: DatabaseWrapper) -> None:
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    live = [loop for loop in wrapper.connected_loops() if loop.is_running()]
    if running is not None and running in live:
        task = running.create_task(wrapper.adisconnect())
        _background.add(task)
        task.add_done_callback(_background.discard)
    elif live:
        asyncio.run_coroutine_threadsafe(wrapper.adisconnect(), live[0])
    else:
        wrapper.close()


_background: set[Any] = set()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATABASES":
        reset_connections()


setting_changed.connect(_on_setting_changed)
