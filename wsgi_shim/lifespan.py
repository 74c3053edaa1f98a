"""The app's ASGI lifespan, once per worker process (a2wsgi has none).

Rules:

- Startup runs in each process before that process serves its first request:
  from Gunicorn's ``post_worker_init`` hook when the shim's Gunicorn config is
  used, otherwise at the first request. It runs on the calling thread's loop,
  so under a sync worker the connections it opens are the ones requests use.
- ``scope["state"]`` is shared: the dict the app fills during startup is
  copied (shallowly, as Uvicorn does) into every request's scope.
- Startup failure (``lifespan.startup.failed``, or an error after the app
  began the protocol) raises ``LifespanFailure``; the caller stops the worker.
- An app that raises or returns before answering startup does not speak the
  lifespan protocol; that is logged once and requests are served without it
  (Uvicorn's ``--lifespan auto``).
- Shutdown runs once per process: from Gunicorn's ``worker_exit`` hook, or at
  interpreter exit (``atexit``; Gunicorn exits workers through ``sys.exit``
  on SIGTERM and on ``max_requests``), bounded by ``timeout``.
- A state copied into a forked child is never reused: every check compares
  the process id.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from asgi_cycle.types import ASGIApp, Message

from ._loops import at_exit, before_thread_loop_closes, thread_loop

logger = logging.getLogger("wsgi_shim")

_NEW, _RUNNING, _UNSUPPORTED, _FAILED, _STOPPED = range(5)


_guard = threading.Lock()


def _new_guard() -> None:
    global _guard
    _guard = threading.Lock()


os.register_at_fork(after_in_child=_new_guard)


class LifespanFailure(RuntimeError):
    """The app refused to start (``lifespan.startup.failed`` or an error in startup)."""


class Lifespan:
    """Runs one ASGI app's lifespan in each process (see the module docstring)."""

    def __init__(self, app: ASGIApp, timeout: float = 60.0) -> None:
        self.app = app
        self.timeout = timeout
        self.state: dict[str, Any] = {}
        self.pid = 0
        self.error: str | None = None
        self._status = _NEW
        self._lock_pid = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._private = False
        self._task: asyncio.Task[None] | None = None
        self._inbox: asyncio.Queue[Message] | None = None
        self._outbox: asyncio.Queue[Message] | None = None

    @property
    def ready(self) -> bool:
        """Whether startup already ran (or was found unsupported) in this process."""
        return self.pid == os.getpid() and self._status in (_RUNNING, _UNSUPPORTED)

    def startup(self) -> None:
        """Run startup in this process once; raise ``LifespanFailure`` if the app refused."""
        pid = os.getpid()
        if self._lock_pid != pid:
            # A lock copied through fork() may be held by a thread that does not exist
            # here; the first threads of a new process agree on a fresh one.
            with _guard:
                if self._lock_pid != pid:
                    self._lock = threading.Lock()
                    self._lock_pid = pid
        with self._lock:
            if self.pid == pid:
                if self._status == _FAILED:
                    raise LifespanFailure(self.error or "Lifespan startup failed.")
                return
            self.pid = pid
            self.state = {}
            self._status = _NEW
            loop = self._choose_loop()
            self._loop = loop
            try:
                reply = loop.run_until_complete(asyncio.wait_for(self._start(loop), self.timeout))
            except TimeoutError:
                reply = {"type": "lifespan.startup.failed", "message": "startup timed out"}
            self._settle(reply)

    def _choose_loop(self) -> asyncio.AbstractEventLoop:
        """The main thread's own loop (it lives as long as the process), else a private one.

        On the main thread (Gunicorn's hooks, a sync worker, a script) the loop is
        the one requests run on there, so connections opened at startup are reused.
        A request thread may end before the process (a test client's worker
        threads), and the lifespan must outlive it: it gets a loop of its own.
        """
        self._private = threading.current_thread() is not threading.main_thread()
        return asyncio.new_event_loop() if self._private else thread_loop()

    def _close_private_loop(self) -> None:
        loop, task = self._loop, self._task
        if not self._private or loop is None or loop.is_closed() or loop.is_running():
            return
        try:
            if task is not None and not task.done():
                task.cancel()
                loop.run_until_complete(asyncio.wait([task], timeout=self.timeout))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    def _settle(self, reply: Message) -> None:
        kind = reply["type"]
        if kind == "lifespan.startup.complete":
            self._status = _RUNNING
            at_exit(self.shutdown)
            if threading.current_thread() is threading.main_thread():
                before_thread_loop_closes(self.shutdown)  # closed at exit: shut down first
        elif kind == "lifespan.startup.failed":
            self._status = _FAILED
            self._close_private_loop()
            self.error = str(reply.get("message") or "Lifespan startup failed.")
            logger.error("Lifespan startup failed in worker %s: %s", os.getpid(), self.error)
            raise LifespanFailure(self.error)
        else:  # the app raised or returned: it does not speak lifespan
            self._status = _UNSUPPORTED
            self._close_private_loop()
            logger.info("ASGI 'lifespan' protocol appears unsupported: %s", reply.get("error"))

    async def _start(self, loop: asyncio.AbstractEventLoop) -> Message:
        inbox: asyncio.Queue[Message] = asyncio.Queue()
        outbox: asyncio.Queue[Message] = asyncio.Queue()
        self._inbox, self._outbox = inbox, outbox
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        self._task = loop.create_task(self._main(scope, inbox, outbox), name="wsgi_shim-lifespan")
        inbox.put_nowait({"type": "lifespan.startup"})
        return await outbox.get()

    async def _main(
        self, scope: dict[str, Any], inbox: asyncio.Queue[Message], outbox: asyncio.Queue[Message]
    ) -> None:
        async def send(message: Message) -> None:
            outbox.put_nowait(message)

        try:
            await self.app(scope, inbox.get, send)
        except Exception as exc:
            outbox.put_nowait({"type": "wsgi_shim.error", "error": repr(exc)})
            if self._status == _RUNNING:
                logger.exception("Exception in the ASGI lifespan")
        else:
            outbox.put_nowait({"type": "wsgi_shim.returned", "error": "the app returned"})

    def shutdown(self) -> None:
        """Run shutdown once, if startup completed in this process (bounded by ``timeout``)."""
        if self.pid != os.getpid() or self._status != _RUNNING:
            return
        self._status = _STOPPED
        loop, inbox, outbox, task = self._loop, self._inbox, self._outbox, self._task
        if loop is None or inbox is None or outbox is None or task is None or loop.is_closed():
            return
        coroutine = self._stop(inbox, outbox, task)
        try:
            if loop.is_running():  # a request is still being served on that thread
                future = asyncio.run_coroutine_threadsafe(coroutine, loop)
                reply = future.result(self.timeout)
            else:
                reply = loop.run_until_complete(asyncio.wait_for(coroutine, self.timeout))
        except Exception as exc:
            logger.error("Lifespan shutdown did not finish in worker %s: %r", os.getpid(), exc)
            return
        finally:
            self._close_private_loop()
        if reply["type"] != "lifespan.shutdown.complete":
            logger.error(
                "Lifespan shutdown failed in worker %s: %s",
                os.getpid(),
                reply.get("message") or reply.get("error"),
            )

    async def _stop(
        self,
        inbox: asyncio.Queue[Message],
        outbox: asyncio.Queue[Message],
        task: asyncio.Task[None],
    ) -> Message:
        inbox.put_nowait({"type": "lifespan.shutdown"})
        reply = await outbox.get()
        await asyncio.wait([task], timeout=self.timeout)
        return reply


__all__ = ["Lifespan", "LifespanFailure"]
