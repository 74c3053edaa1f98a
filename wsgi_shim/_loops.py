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
  into ``loop.run_until_complete(...)``: no cross-thread hand-off at all.

A thread's loop is only running while that thread is inside a request, so
work the app leaves behind (tasks, timers) simply waits for the next request
on the same thread; the shim bounds how long it waits at the end of each one.

Each loop gets a parked "root" task that lives as long as the loop. AnyIO
keeps its worker threads (used by ``sync_to_async``) alive only as long as the
loop's root task; without one it would take each request's task as the root
and start and stop a thread for every sync view.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
import weakref
from collections.abc import Callable


class _LoopHolder:
    """A thread's loop and its root task; closes the loop when the thread goes away."""

    __slots__ = ("__weakref__", "before_close", "loop", "pid", "root")

    def __init__(self) -> None:
        self.before_close: list[Callable[[], object]] = []
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.root: asyncio.Future[None] = self.loop.create_future()
        self.loop.run_until_complete(_install_root(self))

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

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


async def _park() -> None:
    await asyncio.get_running_loop().create_future()


async def _install_root(holder: _LoopHolder) -> None:
    root = asyncio.get_running_loop().create_task(_park(), name="wsgi_shim-root")
    holder.root = root
    try:
        # AnyIO's own marker for "the task this loop was started for"; without it the
        # request task would be taken as the root (see the module docstring).
        from anyio._backends._asyncio import _root_task
    except ImportError:  # pragma: no cover - a future AnyIO: correct, only slower
        return
    _root_task.set(root)


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


__all__ = ["at_exit", "before_thread_loop_closes", "close_thread_loop", "thread_loop"]
