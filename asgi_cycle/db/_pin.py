"""The transaction pin: which connection an open ``atomic()`` holds, per context.

A context variable maps each ``DatabaseWrapper`` to a ``Pin``, a mutable holder
created by the outermost block. Copies of the context (new tasks, worker threads,
tasks the bridge starts for a sync caller) share the same holder, so they all find
the transaction's connection. The mapping itself is never mutated: entering a
block sets a new one, so a pin never leaks into an unrelated context.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asgi_cycle.db.backends.base import BackendConnection
    from asgi_cycle.db.connection import DatabaseWrapper

__all__ = ["Pin", "current_pin"]


@dataclass(eq=False)
class Pin:
    """The connection a transaction holds, shared by every task in its context."""

    wrapper: DatabaseWrapper
    loop: asyncio.AbstractEventLoop | None = None
    connection: BackendConnection | None = None
    savepoints: list[str] = field(default_factory=list)
    lock: asyncio.Lock | None = None
    holds_write_lock: bool = False
    closed: bool = False
    needs_rollback: bool = False
    counter: int = 0
    #: ``on_commit`` callbacks, each with the savepoints open when it was registered.
    callbacks: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)


_pins: ContextVar[Mapping[DatabaseWrapper, Pin]] = ContextVar(
    "asgi_cycle_db_pins", default=MappingProxyType({})
)


def current_pin(wrapper: DatabaseWrapper) -> Pin | None:
    """The open transaction's pin for ``wrapper`` in this context, if any."""
    pin = _pins.get().get(wrapper)
    if pin is None or pin.closed:
        return None
    return pin
