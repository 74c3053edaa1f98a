"""The one bridge between sync and async code.

Theory of operation:

- ``sync_to_async(func)`` runs a blocking callable in anyio's worker thread
  pool. Before the call it records, in a thread-local, the event loop the
  caller came from, so that code running in that worker can get back to it.
  A loop's threads stop with its owner task (``set_worker_thread_owner``),
  handed to anyio on the loop's first call.
- ``async_to_sync(afunc)`` runs a coroutine function from sync code:

  1. on a worker thread started by ``sync_to_async``: on the loop that thread
     was started from (the request's loop), blocking the worker, not the loop;
  2. on a thread that has a running event loop: never; blocking there would
     stall every request, so ``SynchronousOnlyOperation`` is raised;
  3. anywhere else (a script, the CLI, a WSGI thread with no loop): on one
     long-lived background loop per process, "the portal", created lazily
     and re-created after ``fork()``, so that a database connection opened
     there stays usable by the next call.

Context variables follow the call in both directions, so per-request state
(the query collector, the current request) is seen by the other side.

A loop that serves one request at a time on its own thread (``wsgi_shim``'s
loop of a WSGI worker thread) is registered with ``allow_blocking_io``: work
that would hop to a thread only to keep other requests moving (SQLite calls)
may run on that loop's thread directly, as a WSGI app would run it.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from typing_extensions import TypeIs

from asgi_cycle.core.exceptions import SynchronousOnlyOperation

P = ParamSpec("P")
T = TypeVar("T")

_local = threading.local()


def markcoroutinefunction(func: T) -> T:
    """Mark a callable (a middleware instance, say) as a coroutine function."""
    if hasattr(inspect, "markcoroutinefunction"):  # Python 3.12+
        return inspect.markcoroutinefunction(func)  # type: ignore[no-any-return,unused-ignore]
    func._is_coroutine = asyncio.coroutines._is_coroutine  # type: ignore[attr-defined]
    return func


def is_async_callable(obj: object) -> TypeIs[Callable[..., Awaitable[Any]]]:
    """Whether calling ``obj`` returns an awaitable (functions, partials, instances)."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    if inspect.iscoroutinefunction(obj) or getattr(obj, "_is_coroutine", None) is getattr(
        asyncio.coroutines, "_is_coroutine", object()
    ):
        return True
    call = getattr(obj, "__call__", None)  # noqa: B004 - instances with async __call__
    return callable(obj) and not inspect.isfunction(obj) and inspect.iscoroutinefunction(call)


def sync_to_async(func: Callable[P, T]) -> Callable[P, Coroutine[Any, Any, T]]:
    """Wrap a blocking callable so that awaiting it runs it in a worker thread."""

    @functools.wraps(func)
    async def run_in_thread(*args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()

        def call() -> T:
            previous = getattr(_local, "loop", None)
            _local.loop = loop
            try:
                return func(*args, **kwargs)
            finally:
                _local.loop = previous

        if _thread_owners:
            _adopt_thread_owner(loop)
        return await anyio.to_thread.run_sync(call)

    return run_in_thread


_thread_owners: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, weakref.ref[asyncio.Task[Any]]
] = weakref.WeakKeyDictionary()


def set_worker_thread_owner(loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any]) -> None:
    """Keep the worker threads ``sync_to_async`` starts from ``loop`` until ``task`` ends.

    AnyIO otherwise ties them to the task ``run_until_complete`` runs (one
    request's task under ``wsgi_shim``) and stops them with it. This takes
    effect at the loop's first ``sync_to_async`` call, so a loop that never runs
    a thread never imports AnyIO's asyncio backend.
    """
    _thread_owners[loop] = weakref.ref(task)


def _adopt_thread_owner(loop: asyncio.AbstractEventLoop) -> None:
    ref = _thread_owners.pop(loop, None)
    task = None if ref is None else ref()
    if task is None or task.done():
        return
    try:
        # AnyIO's own marker for "the task this loop was started for".
        from anyio._backends._asyncio import _root_task
    except ImportError:  # pragma: no cover - a future AnyIO: correct, only slower
        return
    _root_task.set(task)


def in_event_loop_thread() -> bool:
    """Whether this thread is running an event loop right now."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_blocking_ok: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def allow_blocking_io(loop: asyncio.AbstractEventLoop) -> None:
    """Declare that ``loop`` serves one request at a time on its own thread.

    Blocking that thread then holds up no other request, so short blocking
    calls (SQLite) may run there instead of in a worker thread.
    """
    _blocking_ok.add(loop)


def blocking_io_allowed(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether ``loop`` was registered with ``allow_blocking_io``."""
    return loop in _blocking_ok


def async_to_sync(afunc: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Wrap a coroutine function so that sync code can call it (see the module doc)."""

    @functools.wraps(afunc)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_sync(_as_coroutine(afunc, *args, **kwargs))

    return call


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine to completion from sync code and return its result."""
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        if in_event_loop_thread():
            coro.close()
            raise SynchronousOnlyOperation(
                "You cannot call this from an async context: the event loop would block. "
                "Use the async twin (aget, acreate, acount, ...) or wrap the caller "
                "with sync_to_async()."
            )
        loop = _portal_loop()
    future: Future[T] = asyncio.run_coroutine_threadsafe(coro, loop)
    return future.result()


async def _as_coroutine(afunc: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
    return await afunc(*args, **kwargs)


_portal_lock = threading.Lock()
_portal: tuple[int, asyncio.AbstractEventLoop] | None = None


def _portal_loop() -> asyncio.AbstractEventLoop:
    """The process-wide background loop for sync callers with no loop of their own."""
    global _portal
    with _portal_lock:
        if _portal is not None and _portal[0] == os.getpid() and not _portal[1].is_closed():
            return _portal[1]
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        threading.Thread(target=run, name="asgi_cycle-portal", daemon=True).start()
        ready.wait()
        _portal = (os.getpid(), loop)
        return loop


def portal_loop_if_started() -> asyncio.AbstractEventLoop | None:
    """The portal loop of this process, or None when sync code never needed one."""
    if _portal is not None and _portal[0] == os.getpid():
        return _portal[1]
    return None


__all__ = [
    "allow_blocking_io",
    "async_to_sync",
    "blocking_io_allowed",
    "in_event_loop_thread",
    "is_async_callable",
    "markcoroutinefunction",
    "portal_loop_if_started",
    "run_sync",
    "set_worker_thread_owner",
    "sync_to_async",
]
