"""``atomic``: transactions as sync/async context managers and decorators.

Rules (Django's):

- the outermost block begins a transaction and commits it on normal exit or
  rolls it back when an exception escapes;
- a nested block opens a savepoint, released on normal exit and rolled back
  (alone) when an exception escapes it; ``savepoint=False`` skips the savepoint
  and instead dooms the whole transaction to roll back if the block fails;
- ``durable=True`` refuses to run nested inside another block;
- ``set_rollback(True)`` makes the innermost block with a savepoint (or the
  whole transaction) roll back on exit without an exception;
- ``on_commit(func)`` runs ``func`` after the outermost commit, in the code that
  left the block; it is dropped when its savepoint or the transaction rolls back.

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
import inspect
from collections.abc import Callable
from contextvars import Token
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar, overload

from asgi_cycle.db._handler import connections
from asgi_cycle.db._pin import Pin, _pins, current_pin
from asgi_cycle.db.connection import DEFAULT_DB_ALIAS, DatabaseWrapper
from asgi_cycle.utils.asyncio import is_async_callable, run_sync

__all__ = [
    "Atomic",
    "TransactionManagementError",
    "atomic",
    "atomic_request",
    "get_rollback",
    "non_atomic_requests",
    "on_commit",
    "set_rollback",
]

F = TypeVar("F", bound=Callable[..., Any])


class TransactionManagementError(Exception):
    """A transaction block was used in a way that cannot work (nesting a durable block)."""


@dataclass
class _Entry:
    pin: Pin
    savepoint: str | None
    token: Token[Any] | None


def _outcome(entry: _Entry, exc_type: type[BaseException] | None) -> bool:
    """Commit (True) or roll back this level; Django's rules for the rollback flag."""
    pin = entry.pin
    if exc_type is None and not pin.needs_rollback:
        return True
    pin.needs_rollback = False
    if entry.token is None and entry.savepoint is None:
        # No savepoint at this level: only the enclosing transaction can undo it.
        pin.needs_rollback = True
    return False


def _take_callbacks(pin: Pin) -> list[Callable[[], Any]]:
    callbacks, pin.callbacks = pin.callbacks, []
    return [callback for _, callback in callbacks]


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
        wrapper, commit = entry.pin.wrapper, _outcome(entry, exc_type)
        try:
            if entry.token is not None:
                await wrapper._end(entry.pin, commit)
            elif entry.savepoint is not None:
                await wrapper._end_savepoint(entry.pin, entry.savepoint, commit)
        finally:
            if entry.token is not None:
                _pins.reset(entry.token)
        if entry.token is not None and commit:
            for callback in _take_callbacks(entry.pin):
                result = callback()
                if inspect.isawaitable(result):
                    await result

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
        wrapper, commit = entry.pin.wrapper, _outcome(entry, exc_type)
        try:
            if entry.token is not None:
                run_sync(wrapper._end(entry.pin, commit))
            elif entry.savepoint is not None:
                run_sync(wrapper._end_savepoint(entry.pin, entry.savepoint, commit))
        finally:
            if entry.token is not None:
                _pins.reset(entry.token)
        if entry.token is not None and commit:
            for callback in _take_callbacks(entry.pin):
                callback()

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


def _pin_or_error(using: str | None, what: str) -> Pin:
    pin = current_pin(connections[using or DEFAULT_DB_ALIAS])
    if pin is None:
        raise TransactionManagementError(f"{what} only works inside an 'atomic' block.")
    return pin


def on_commit(func: Callable[[], Any], using: str | None = None) -> None:
    """Call ``func`` after the outermost transaction commits (at once if none is open).

    Dropped if the transaction, or the savepoint it was registered in, rolls back.
    An async callable is awaited when the block is left with ``async with``.
    """
    pin = current_pin(connections[using or DEFAULT_DB_ALIAS])
    if pin is None:
        func()
        return
    pin.callbacks.append((tuple(pin.savepoints), func))


def get_rollback(using: str | None = None) -> bool:
    """Whether the current transaction is marked to roll back."""
    return _pin_or_error(using, "The rollback flag").needs_rollback


def set_rollback(rollback: bool, using: str | None = None) -> None:
    """Mark (or unmark) the current atomic block to roll back when it exits."""
    _pin_or_error(using, "The rollback flag").needs_rollback = rollback


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
