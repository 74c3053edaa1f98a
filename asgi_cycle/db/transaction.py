"""``atomic``: transactions as sync/async context managers and decorators.

Rules (Django's):

- the outermost block begins a transaction and commits it on normal exit or
  rolls it back when an exception escapes;
- a nested block opens a savepoint, released on normal exit and rolled back
  (alone) when an exception escapes it; ``savepoint=False`` skips the savepoint
  and instead dooms the whole transaction to roll back if the block fails;
- ``durable=True`` refuses to run nested inside another block.

The same block works as ``with atomic():`` from sync code (a sync view's worker
thread, a script), as ``async with atomic():`` on the loop, and as a decorator on
sync or async functions. Sync entry goes through ``run_sync``, so on the event-loop
thread it raises ``SynchronousOnlyOperation``. The transaction's connection is
pinned in a context variable (see ``asgi_cycle.db.connection``), so every query of
the block, including those that hop through the sync/async bridge, runs in it.

``ATOMIC_REQUESTS``: the handler wraps each view as ``atomic(using=alias)(view)``
for every alias whose settings entry has ``ATOMIC_REQUESTS: True``;
``atomic_request(alias)`` is the same thing by name and ``non_atomic_requests``
opts a view out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import Token
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar, overload

from asgi_cycle.db.connection import (
    DEFAULT_DB_ALIAS,
    DatabaseWrapper,
    Pin,
    _pins,
    connections,
    current_pin,
)
from asgi_cycle.utils.asyncio import is_async_callable, run_sync

__all__ = [
    "Atomic",
    "TransactionManagementError",
    "atomic",
    "atomic_request",
    "non_atomic_requests",
]

F = TypeVar("F", bound=Callable[..., Any])


class TransactionManagementError(Exception):
    """A transaction block was used in a way that cannot work (nesting a durable block)."""


@dataclass
class _Entry:
    pin: Pin
    savepoint: str | None
    token: Token[Any] | None


class Atomic:
    """One ``atomic`` block; a fresh instance is used for every decorated call."""

    def __init__(self, using: str | None, savepoint: bool = True, durable: bool = False) -> None:
        self.using = using or DEFAULT_DB_ALIAS
        self.savepoint = savepoint
        self.durable = durable
        self._entries: list[_Entry] = []

    def _open(self) -> tuple[DatabaseWrapper, Pin, bool]:
        wrapper = connections[self.using]
        pin = current_pin(wrapper)
        if pin is not None and self.durable:
            raise TransactionManagementError(
                "A durable atomic block cannot be nested within another atomic block."
            )
        if pin is None:
            return wrapper, Pin(wrapper), True
        return wrapper, pin, False

    # -- async -------------------------------------------------------------

    async def __aenter__(self) -> Atomic:
        wrapper, pin, root = self._open()
        if root:
            token = _pins.set({**_pins.get(), wrapper: pin})
            try:
                await wrapper._begin(pin)
            except BaseException:
                _pins.reset(token)
                raise
            self._entries.append(_Entry(pin, None, token))
        elif self.savepoint:
            self._entries.append(_Entry(pin, await wrapper._savepoint(pin), None))
        else:
            self._entries.append(_Entry(pin, None, None))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        entry = self._entries.pop()
        wrapper = entry.pin.wrapper
        try:
            if entry.token is not None:
                await wrapper._end(entry.pin, exc_type is None and not entry.pin.needs_rollback)
            elif entry.savepoint is not None:
                await wrapper._end_savepoint(entry.pin, entry.savepoint, exc_type is None)
            elif exc_type is not None:
                entry.pin.needs_rollback = True
        finally:
            if entry.token is not None:
                _pins.reset(entry.token)

    # -- sync --------------------------------------------------------------

    def __enter__(self) -> Atomic:
        wrapper, pin, root = self._open()
        if root:
            token = _pins.set({**_pins.get(), wrapper: pin})
            try:
                run_sync(wrapper._begin(pin))
            except BaseException:
                _pins.reset(token)
                raise
            self._entries.append(_Entry(pin, None, token))
        elif self.savepoint:
            self._entries.append(_Entry(pin, run_sync(wrapper._savepoint(pin)), None))
        else:
            self._entries.append(_Entry(pin, None, None))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        entry = self._entries.pop()
        wrapper = entry.pin.wrapper
        try:
            if entry.token is not None:
                commit = exc_type is None and not entry.pin.needs_rollback
                run_sync(wrapper._end(entry.pin, commit))
            elif entry.savepoint is not None:
                run_sync(wrapper._end_savepoint(entry.pin, entry.savepoint, exc_type is None))
            elif exc_type is not None:
                entry.pin.needs_rollback = True
        finally:
            if entry.token is not None:
                _pins.reset(entry.token)

    # -- decorator ---------------------------------------------------------

    def __call__(self, func: F) -> F:
        """Run every call of ``func`` (sync or async) inside its own block."""
        using, savepoint, durable = self.using, self.savepoint, self.durable
        if is_async_callable(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                async with Atomic(using, savepoint, durable):
                    return await func(*args, **kwargs)

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with Atomic(using, savepoint, durable):
                return func(*args, **kwargs)

        return inner  # type: ignore[return-value]


@overload
def atomic(using: F) -> F: ...
@overload
def atomic(using: str | None = None, savepoint: bool = True, durable: bool = False) -> Atomic: ...
def atomic(
    using: str | None | Callable[..., Any] = None, savepoint: bool = True, durable: bool = False
) -> Any:
    """A transaction block: ``with``/``async with atomic()``, ``@atomic`` or ``@atomic(...)``."""
    if callable(using):
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


def atomic_request(alias: str) -> Atomic:
    """The block the handler wraps a view in for ``ATOMIC_REQUESTS`` (``atomic(using=alias)``)."""
    return Atomic(alias)


def non_atomic_requests(using: str | Callable[..., Any] | None = None) -> Any:
    """Exclude a view from ``ATOMIC_REQUESTS`` (for one alias, or the default one)."""

    def decorate(view: F, alias: str) -> F:
        skipped = set(getattr(view, "_non_atomic_requests", set()))
        skipped.add(alias)
        view._non_atomic_requests = skipped  # type: ignore[attr-defined]
        return view

    if callable(using):
        return decorate(using, DEFAULT_DB_ALIAS)
    alias = using or DEFAULT_DB_ALIAS
    return lambda view: decorate(view, alias)
