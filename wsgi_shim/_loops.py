"""One event loop per WSGI thread, created on first use, never before a fork.

Replaces a2wsgi's single background loop thread, for two reasons:

- Fork safety: a2wsgi starts its loop thread in ``ASGIMiddleware.__init__``,
  i.e. at import time, so under ``gunicorn --preload`` the children inherit a
  loop whose thread does not exist and hang. Here nothing is created until a
  thread asks for its loop, and a loop inherited through ``fork()`` is never
  reused (the process id is checked).
- Cost: a2wsgi hands every ASGI message between the WSGI thread and its loop
  thread (a lock, an event and a ``call_soon_threadsafe`` wake-up each way).
  Running the app on a loop owned by the calling WSGI thread turns a request
  into a task on the thread's own loop: no cross-thread hand-off at all.

A thread's loop is only running while that thread is inside a request, so
work the app leaves behind (tasks, timers) simply waits for the next request
on the same thread; the shim bounds how long it waits at the end of each one.

A request's task takes its first step at once (``start_task``), without a
loop iteration: an ordinary response never suspends (the body is read from
``wsgi.input`` and ``send`` only records), so most requests end inside that
step and never pay ``run_until_complete``'s set-up, its two iterations and its
two ``epoll`` calls. A task that does suspend (a query, a thread hop, a
streamed chunk) goes on under ``run_until_complete``. Python 3.12's eager
tasks work this way; this is the same idea on 3.11 (a loop without
``BaseEventLoop``'s ready queue, or with callbacks already waiting in it, takes
the plain path).

Each loop gets a parked "root" task that lives as long as the loop. AnyIO
keeps its worker threads (used by ``sync_to_async``) alive only as long as the
loop's root task; without one it would take each request's task as the root
and start and stop a thread for every sync view. The root is handed to AnyIO
at the loop's first ``sync_to_async`` call (``set_worker_thread_owner``), so a
worker that only runs async views never imports AnyIO's asyncio backend.
(AnyIO's other callers, such as a large request body spilled to a file, use
the root only once that call has happened on the loop.)
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import sys
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import Any

from asgi_cycle.utils.asyncio import allow_blocking_io, set_worker_thread_owner


class _LoopHolder:
    """A thread's loop and its root task; closes the loop when the thread goes away."""

    __slots__ = ("__weakref__", "before_close", "hooks", "loop", "pid", "root")

    def __init__(self) -> None:
        self.before_close: list[Callable[[], object]] = []
        self.pid = os.getpid()
        self.loop = loop = asyncio.new_event_loop()
        self.root = loop.create_task(_park(), name="wsgi_shim-root")
        run_ready(loop)  # the root parks; the loop's queue is empty again
        set_worker_thread_owner(loop, self.root)
        # This thread's async generators belong to this loop (what run_forever sets
        # for its run and restores after), so start_task need not set them per step.
        self.hooks = (
            getattr(loop, "_asyncgen_firstiter_hook", None),
            getattr(loop, "_asyncgen_finalizer_hook", None),
        )
        sys.set_asyncgen_hooks(*self.hooks)
        # Only this thread's requests run here, one at a time: SQLite may block it.
        allow_blocking_io(loop)

    def close(self) -> None:
        """Stop the root task (and with it AnyIO's worker threads), then close the loop."""
        loop = self.loop
        if loop.is_closed() or loop.is_running():
            return
        if self.pid != os.getpid():
            loop.close()  # inherited through fork(): its tasks belong to the parent
            return
        try:
            while self.before_close:  # e.g. a lifespan living on this loop shuts down first
                with contextlib.suppress(Exception):
                    self.before_close.pop()()
            self.root.cancel()
            loop.run_until_complete(_drain(loop))
            loop.run_until_complete(loop.shutdown_asyncgens())
        except RuntimeError:
            pass  # another loop runs on this thread: closing is all that can be done
        finally:
            loop.close()
            if sys.get_asyncgen_hooks() == self.hooks:  # on this loop's own thread
                sys.set_asyncgen_hooks(None, None)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


async def _park() -> None:
    await asyncio.get_running_loop().create_future()


async def _drain(loop: asyncio.AbstractEventLoop) -> None:
    me = asyncio.current_task()
    others = [task for task in asyncio.all_tasks(loop) if task is not me]
    for task in others:
        task.cancel()
    if others:
        await asyncio.wait(others, timeout=5.0)


class _ThreadLoop(threading.local):
    holder: _LoopHolder | None = None


_local = _ThreadLoop()


def thread_loop() -> asyncio.AbstractEventLoop:
    """The calling thread's own event loop for this process (created on first use)."""
    holder = _local.holder
    if holder is not None and holder.pid == os.getpid() and not holder.loop.is_closed():
        return holder.loop
    holder = _LoopHolder()
    _local.holder = holder
    # Close at exit while the interpreter is whole (a weak reference: a finished
    # thread's loop is closed as soon as the thread's locals go away).
    at_exit(_close_if_alive, weakref.ref(holder))
    return holder.loop


class _FirstStep:
    """Stands in for ``loop.call_soon`` while a task is built: keeps its first step."""

    __slots__ = ("callback", "context")

    def __call__(self, callback: Callable[[], object], *args: object, context: Any = None) -> None:
        self.callback = callback  # a task's step takes no arguments
        self.context = context


def start_task(
    loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None]
) -> asyncio.Task[None]:
    """A task for ``coro`` on this thread's idle loop, its first step already taken.

    The step runs as the loop would run it: the task is current, the loop is
    the running loop and says so (``is_running()``, which other threads check
    before they hand it work), and async generators are registered with it
    (the hooks ``thread_loop`` installed); the loop itself is not started. The
    task's constructor hands its first step to ``loop.call_soon``, which is
    shadowed for that one call so the step is kept rather than queued. When
    anything else is ready on the loop, the step is left to the loop, so
    callbacks keep their order.
    """
    ready = getattr(loop, "_ready", None)  # BaseEventLoop's queue of ready callbacks
    if ready or ready is None or asyncio.events._get_running_loop() is not None:
        return loop.create_task(coro)
    first = _FirstStep()
    attributes = loop.__dict__
    attributes["call_soon"] = first  # shadows the class's method, for this one call
    try:
        task = asyncio.Task(coro, loop=loop)
    finally:
        del attributes["call_soon"]
    asyncio.events._set_running_loop(loop)
    loop._thread_id = threading.get_ident()  # type: ignore[attr-defined] # is_running()
    try:
        first.context.run(first.callback)
    finally:
        loop._thread_id = None  # type: ignore[attr-defined]
        asyncio.events._set_running_loop(None)
    return task


def run_ready(loop: asyncio.AbstractEventLoop) -> None:
    """Run the callbacks already waiting on ``loop`` (one iteration), if there are any."""
    if getattr(loop, "_ready", True):
        loop.call_soon(loop.stop)
        loop.run_forever()


def at_exit(func: Callable[..., object], *args: object) -> None:
    """Run ``func(*args)`` when the process exits, before non-daemon threads are joined.

    AnyIO's worker threads are not daemons and stop only when their loop's root
    task ends, so the interpreter would wait for them forever if loops were
    closed by plain ``atexit`` (which runs after that join). ``threading`` has
    the earlier hook ``concurrent.futures`` uses; plain ``atexit`` is the fallback.
    """
    register = getattr(threading, "_register_atexit", None)
    if register is None:  # pragma: no cover - every CPython since 3.9 has it
        atexit.register(func, *args)
        return
    register(func, *args)


def _close_if_alive(ref: weakref.ref[_LoopHolder]) -> None:
    holder = ref()
    if holder is not None:
        holder.close()


def before_thread_loop_closes(func: Callable[[], object]) -> None:
    """Call ``func`` before the calling thread's loop is closed (at exit or thread end)."""
    thread_loop()
    holder = _local.holder
    if holder is not None:
        holder.before_close.append(func)


def close_thread_loop() -> None:
    """Close the calling thread's loop, if it has one (the next request makes a new one)."""
    holder = _local.holder
    _local.holder = None
    if holder is not None:
        holder.close()


__all__ = [
    "at_exit",
    "before_thread_loop_closes",
    "close_thread_loop",
    "run_ready",
    "start_task",
    "thread_loop",
]
