"""One request carried across: ASGI ``receive``/``send`` for a WSGI call.

Theory of operation. The app runs as a task on the WSGI thread's own loop
(see ``_loops``). The WSGI side drives it with ``pump()``: run the loop until
the app has something for the server (the whole response, or one streamed
chunk) or has ended. ``send`` never crosses a thread:

- ``http.response.start`` only records status and headers, so that an error
  before the first body byte can still become a 500 page;
- a final ``http.response.body`` (``more_body`` false) records the body and
  wakes the WSGI side: an ordinary response is one loop run, start to end;
- a streamed chunk wakes the WSGI side and suspends the app until the server
  asks for the next chunk, so chunks flow one by one and a slow client
  throttles the producer instead of filling memory.

``receive`` reads ``wsgi.input`` directly (the loop belongs to this request's
thread, so a blocking read blocks nobody else): by ``CONTENT_LENGTH`` when
announced, else to EOF for ``Transfer-Encoding: chunked``, in pieces of at
most 64 KiB. A body that ends before its announced length means the client
has gone: ``http.disconnect``, never a spin on empty reads (a2wsgi's gap).
After the body, ``receive`` waits until the response ends or the server
closes the iterator early, then reports ``http.disconnect``.

A blocking read cannot be interrupted by the app's own body timeout (the loop
is stuck in it), so a Gunicorn worker would wait for a stalled or trickling
upload until the arbiter kills it, and Gunicorn would then answer 500. With
``body_timeout``, a watchdog timer shuts the read side of Gunicorn's socket
when the time is up, which ends the read; ``receive`` then yields to the loop,
where the app's own timeout fires (asgi_cycle's 408), or reports
``http.disconnect`` a second later for any other app (BAD_INPUT 35).
"""

from __future__ import annotations

import asyncio
import importlib
import io
import os
import socket
import threading
import time
from typing import Any, BinaryIO

from asgi_cycle.types import Message, RawHeaders

_READ_SIZE = 65536
_DISCONNECT: Message = {"type": "http.disconnect"}


class Exchange:
    """The ASGI side of one WSGI call (see the module docstring)."""

    __slots__ = (
        "body_done",
        "body_timeout",
        "deadline",
        "sock",
        "watchdog",
        "chunks",
        "closed",
        "complete",
        "headers",
        "input",
        "loop",
        "file",
        "remaining",
        "resume",
        "status",
        "until_eof",
        "waiters",
        "wakeup",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        environ: dict[str, Any],
        body_timeout: float | None = None,
    ) -> None:
        self.loop = loop
        self.input = environ.get("wsgi.input")
        self.remaining = 0
        self.until_eof = False
        length = environ.get("CONTENT_LENGTH")
        if length:
            try:
                self.remaining = int(length)
            except ValueError:
                self.remaining = 0
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            self.until_eof = True
            if "uwsgi.version" in environ:
                # uWSGI leaves chunked framing to the app: its wsgi.input reads nothing.
                self.input = _UwsgiChunks()
        self.body_timeout = body_timeout
        self.deadline: float | None = None
        # Gunicorn's socket, to bound blocking body reads by body_timeout.
        self.sock = environ.get("gunicorn.socket") if body_timeout else None
        self.watchdog: threading.Timer | None = None
        self.body_done = False  # True once the last http.request message went out
        self.status: int | None = None
        self.headers: RawHeaders = []
        self.chunks: list[bytes] = []
        self.complete = False
        self.closed = False
        self.file: BinaryIO | None = None  # pathsend / zerocopysend: the server sends it
        self.wakeup: asyncio.Future[None] | None = None
        self.resume: asyncio.Future[None] | None = None
        self.waiters: list[asyncio.Future[None]] = []

    # -- ASGI side ---------------------------------------------------------------

    async def receive(self) -> Message:
        """The next request body piece, or ``http.disconnect``."""
        if not self.body_done and not self.closed:
            message = self._read()
            if message is not None:
                return message
            # The body timed out: let the app's own timeout fire, else report a disconnect.
            await asyncio.sleep(1.0)
            self.disconnect()
            return _DISCONNECT
        if self.closed:
            return _DISCONNECT
        waiter: asyncio.Future[None] = self.loop.create_future()
        self.waiters.append(waiter)
        try:
            await waiter
        finally:
            self.waiters.remove(waiter)
        return _DISCONNECT

    def _read(self) -> Message | None:
        if self.remaining <= 0 and not self.until_eof:
            self.body_done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        size = _READ_SIZE if self.until_eof else min(_READ_SIZE, self.remaining)
        if self.sock is not None and self.deadline is None:
            self._start_watchdog()
        try:
            data: bytes = self.input.read(size) if self.input is not None else b""
        except Exception:
            # Servers raise their own errors for a broken upload (gunicorn's NoMoreData,
            # chunk parse errors): the body cannot be completed either way.
            data = b""
            if self.until_eof:
                self.until_eof = False
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.body_done = True
            self._stop_watchdog()
            return None  # the body timed out (see the module docstring)
        if not data:
            self.body_done = True
            if self.until_eof:
                return {"type": "http.request", "body": b"", "more_body": False}
            # Fewer bytes than announced: the client left mid-body.
            self.disconnect()
            return _DISCONNECT
        if not self.until_eof:
            self.remaining -= len(data)
            if self.remaining <= 0:
                self.body_done = True
        if self.body_done:
            self._stop_watchdog()
        return {"type": "http.request", "body": data, "more_body": not self.body_done}

    def _start_watchdog(self) -> None:
        timeout = self.body_timeout or 0.0
        self.deadline = time.monotonic() + timeout
        self.watchdog = threading.Timer(timeout, _stop_reading, (self.sock,))
        self.watchdog.daemon = True
        self.watchdog.start()

    def _stop_watchdog(self) -> None:
        watchdog, self.watchdog = self.watchdog, None
        if watchdog is not None:
            watchdog.cancel()

    async def send(self, message: Message) -> None:
        """Record a response message; hand streamed chunks over one at a time."""
        kind = message["type"]
        if kind == "http.response.body":
            if self.status is None:
                raise RuntimeError("ASGI app sent a response body before http.response.start.")
            if self.complete:
                raise RuntimeError("ASGI app sent a response body after the response ended.")
            if self.closed:
                return  # the client is gone; the app is about to be cancelled
            body = message.get("body", b"")
            if message.get("more_body", False):
                if body:
                    self.chunks.append(body)
                    self._wake()
                    resume: asyncio.Future[None] = self.loop.create_future()
                    self.resume = resume
                    await resume
            else:
                if body:
                    self.chunks.append(body)
                self.complete = True
                self._wake()
        elif kind == "http.response.start":
            if self.status is not None:
                raise RuntimeError("ASGI app sent http.response.start twice.")
            self.status = int(message["status"])
            self.headers = list(message.get("headers", ()))
        elif kind == "http.response.pathsend" or kind == "http.response.zerocopysend":
            if self.status is None or self.complete:
                raise RuntimeError(f"{kind} out of order.")
            if kind == "http.response.pathsend":
                # The loop is this request's own thread: blocking it blocks no one else.
                self.file = open(message["path"], "rb")  # noqa: ASYNC230
            else:
                self.file = _reopen(message)
            self.complete = True
            self._wake()
        else:
            raise RuntimeError(f"Unexpected ASGI message {kind!r} for an http scope.")

    def _wake(self) -> None:
        wakeup = self.wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)

    def task_done(self, task: asyncio.Future[None]) -> None:
        """Done-callback of the app's task: the WSGI side stops waiting."""
        self._wake()

    # -- WSGI side ---------------------------------------------------------------

    def pump(self) -> None:
        """Run the app until it has output for the server or has ended."""
        wakeup: asyncio.Future[None] = self.loop.create_future()
        self.wakeup = wakeup
        resume = self.resume
        if resume is not None:
            self.resume = None
            if not resume.done():
                resume.set_result(None)
        self.loop.run_until_complete(wakeup)

    def disconnect(self) -> None:
        """The client is gone (or the response is over): tell ``receive`` waiters."""
        self._stop_watchdog()
        self.closed = True
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)


def _stop_reading(sock: socket.socket) -> None:
    """The body's time is up: end the blocked read (the answer can still be written)."""
    try:
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass  # already closed


class _UwsgiChunks:
    """``read()`` for a chunked upload under uWSGI: one decoded chunk per call, b"" at the end."""

    def read(self, size: int = -1) -> bytes:
        uwsgi = importlib.import_module("uwsgi")  # only importable inside a uWSGI worker
        return bytes(uwsgi.chunked_read())


def _reopen(message: Message) -> BinaryIO:
    """The zerocopysend file on a descriptor of its own, positioned as asked.

    The app may close its file object as soon as ``send`` returns (it did hand
    it over), while the server reads it later: a duplicated descriptor outlives it.
    """
    file = message["file"]
    if "offset" in message:
        file.seek(message["offset"])
    copy = os.fdopen(os.dup(file.fileno()), "rb")
    count = message.get("count")
    if count is None:
        return copy
    with copy:  # a part of the file only: rare, so read it rather than wrap it
        return io.BytesIO(copy.read(count))


__all__ = ["Exchange"]
