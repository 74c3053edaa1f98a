"""A small signal dispatcher with Django's ``Signal`` API.

Receivers are called with ``sender`` and keyword arguments and must accept
``**kwargs``. ``send`` calls sync receivers and runs async ones to completion
through the bridge; ``asend`` awaits async receivers and calls sync ones inline
(a receiver that blocks should hand its work to a thread itself). A signal with
no receivers costs one attribute check, so firing on every request is cheap.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from asgi_cycle.utils.asyncio import async_to_sync, is_async_callable

Receiver = Callable[..., Any]


class Signal:
    """A named hook that any number of receivers can listen to."""

    def __init__(self) -> None:
        self._receivers: list[tuple[object, Any, object | None]] = []
        #: True while at least one receiver is connected; read on the hot path.
        self.has_listeners = False

    def connect(
        self,
        receiver: Receiver,
        sender: object | None = None,
        weak: bool = True,
        dispatch_uid: object | None = None,
    ) -> None:
        """Connect ``receiver``; with ``sender``, only for signals sent by it."""
        key = dispatch_uid if dispatch_uid is not None else _receiver_key(receiver)
        if any(k == key and s is sender for k, _, s in self._receivers):
            return
        ref: Any
        if weak:
            ref = (
                weakref.WeakMethod(receiver)
                if hasattr(receiver, "__self__") and hasattr(receiver, "__func__")
                else weakref.ref(receiver)
            )
        else:
            ref = receiver
        self._receivers.append((key, ref, sender))
        self.has_listeners = True

    def disconnect(
        self,
        receiver: Receiver | None = None,
        sender: object | None = None,
        dispatch_uid: object | None = None,
    ) -> bool:
        """Disconnect a receiver; returns whether one was connected."""
        key = dispatch_uid if dispatch_uid is not None else _receiver_key(receiver)
        before = len(self._receivers)
        self._receivers = [r for r in self._receivers if not (r[0] == key and r[2] is sender)]
        self.has_listeners = bool(self._receivers)
        return len(self._receivers) != before

    def _live_receivers(self, sender: object | None) -> list[Receiver]:
        live: list[Receiver] = []
        dead = False
        for _, ref, wanted in self._receivers:
            if wanted is not None and wanted is not sender:
                continue
            target = ref() if isinstance(ref, weakref.ReferenceType) else ref
            if target is None:
                dead = True
                continue
            live.append(target)
        if dead:
            self._receivers = [
                r
                for r in self._receivers
                if not (isinstance(r[1], weakref.ReferenceType) and r[1]() is None)
            ]
            self.has_listeners = bool(self._receivers)
        return live

    def send(self, sender: object | None, **named: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver from sync code; exceptions propagate."""
        if not self.has_listeners:
            return []
        results: list[tuple[Receiver, Any]] = []
        for receiver in self._live_receivers(sender):
            if is_async_callable(receiver):
                value = async_to_sync(receiver)(signal=self, sender=sender, **named)
            else:
                value = receiver(signal=self, sender=sender, **named)
            results.append((receiver, value))
        return results

    async def asend(self, sender: object | None, **named: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver from async code; exceptions propagate."""
        if not self.has_listeners:
            return []
        results: list[tuple[Receiver, Any]] = []
        for receiver in self._live_receivers(sender):
            value = receiver(signal=self, sender=sender, **named)
            if is_async_callable(receiver):
                value = await value
            results.append((receiver, value))
        return results

    def send_robust(self, sender: object | None, **named: Any) -> list[tuple[Receiver, Any]]:
        """Like ``send``, but an exception is returned as the receiver's result."""
        results: list[tuple[Receiver, Any]] = []
        for receiver in self._live_receivers(sender) if self.has_listeners else []:
            try:
                if is_async_callable(receiver):
                    value = async_to_sync(receiver)(signal=self, sender=sender, **named)
                else:
                    value = receiver(signal=self, sender=sender, **named)
            except Exception as exc:
                value = exc
            results.append((receiver, value))
        return results

    async def asend_robust(
        self, sender: object | None, **named: Any
    ) -> list[tuple[Receiver, Any]]:
        """Like ``asend``, but an exception is returned as the receiver's result."""
        results: list[tuple[Receiver, Any]] = []
        for receiver in self._live_receivers(sender) if self.has_listeners else []:
            try:
                value = receiver(signal=self, sender=sender, **named)
                if is_async_callable(receiver):
                    value = await value
            except Exception as exc:
                value = exc
            results.append((receiver, value))
        return results


def receiver(signal: Signal | list[Signal], **kwargs: Any) -> Callable[[Receiver], Receiver]:
    """Decorator form of ``Signal.connect``."""

    def decorate(func: Receiver) -> Receiver:
        for sig in signal if isinstance(signal, list) else [signal]:
            sig.connect(func, **kwargs)
        return func

    return decorate


def _receiver_key(receiver: Receiver | None) -> object:
    if receiver is None:
        return None
    if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
        return (id(receiver.__self__), id(receiver.__func__))
    return id(receiver)


__all__ = ["Signal", "receiver"]
