"""``WSGIShim``: serve any ASGI app to a WSGI server, request by request.

The shim adds nothing to the lifecycle: it builds the scope (``_scope``),
carries body and response across (``_exchange``) on the WSGI thread's own
loop (``_loops``), and runs the lifespan once per worker (``lifespan``).
From a2wsgi it keeps the status-line table; its ``ASGIMiddleware`` loop
thread and message hand-off are replaced (why: see ``_loops``).

Errors: an app error before the first body byte reaches the server becomes a
500 page (for an ``asgi_cycle`` handler its own error handling, with the DEBUG
rules; for any other app a plain 500, as Uvicorn sends). An error after that
is logged and the response ends. Work the app does after its last body
message, and an early-closed response's cancellation, are each bounded by
``wait_time`` seconds, so no request holds a worker forever.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import Any, BinaryIO, cast
from wsgiref.util import FileWrapper

from a2wsgi.asgi import StatusStringMapping

from asgi_cycle.types import ASGIApp, RawHeaders, Scope

from ._exchange import Exchange
from ._loops import run_ready, start_task, thread_loop
from ._scope import BadEnviron, build_scope, wsgi_headers
from .lifespan import Lifespan, LifespanFailure

logger = logging.getLogger("wsgi_shim")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]

_PLAIN = [(b"content-type", b"text/plain; charset=utf-8")]
_BAD_REQUEST = [*_PLAIN, (b"content-length", b"11")]


class WSGIShim:
    """A WSGI application serving ``app`` (an ASGI app) with the same lifecycle."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        wait_time: float = 10.0,
        lifespan_timeout: float = 60.0,
        body_timeout: float | None = None,
    ):
        self.app = app
        self.wait_time = wait_time
        self.body_timeout = body_timeout
        self.lifespan = Lifespan(app, lifespan_timeout)
        # asgi_cycle's handler answers an undecodable path itself (its own 400 page,
        # as under Uvicorn); any other app gets the shim's plain 400 instead of a
        # UnicodeDecodeError (a2wsgi's 500).
        self.strict_paths = not _is_project_handler(app)

    def startup(self) -> None:
        """Run the lifespan startup in this process now (Gunicorn's post_worker_init)."""
        self.lifespan.startup()

    def shutdown(self) -> None:
        """Run the lifespan shutdown in this process now (Gunicorn's worker_exit)."""
        self.lifespan.shutdown()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        lifespan = self.lifespan
        if not lifespan.ready:
            try:
                lifespan.startup()
            except LifespanFailure:
                return _startup_failed(environ, start_response)
        loop = thread_loop()
        try:
            scope = build_scope(environ, lifespan.state, self.strict_paths)
        except BadEnviron as exc:
            logger.warning("Bad request: %s", exc)
            return _reply(start_response, 400, _BAD_REQUEST, b"Bad Request")
        exchange = Exchange(loop, environ, self.body_timeout)
        call = cast("Coroutine[Any, Any, None]", self.app(scope, exchange.receive, exchange.send))
        task = start_task(loop, call)
        if task.done():
            run_ready(loop)  # what the app left scheduled runs now, as inside the loop
        else:
            task.add_done_callback(exchange.task_done)
            if not (exchange.complete or exchange.chunks):
                exchange.pump()
        status = exchange.status
        if exchange.complete and status is not None:
            start_response(StatusStringMapping[status], wsgi_headers(exchange.headers))
            if exchange.file is not None:
                self._finish(exchange, task)
                return _file_body(environ, exchange.file)
            if task.done():
                _log_late_error(task)
                return exchange.chunks
            return _Body(self, exchange, task)
        if not task.done() and status is not None:
            start_response(StatusStringMapping[status], wsgi_headers(exchange.headers))
            return _Body(self, exchange, task)
        return self._failed(scope, exchange, task, start_response)

    def _failed(
        self, scope: Scope, exchange: Exchange, task: asyncio.Task[None], start: StartResponse
    ) -> Iterable[bytes]:
        """The app ended (or failed) before a response reached the server: a 500 page."""
        if not task.done():  # pragma: no cover - pump() only returns for output or an end
            self._finish(exchange, task)
        error = None if task.cancelled() else task.exception()
        if error is None and exchange.closed:
            # The client left mid-body and the app gave up, as it should: nobody is
            # listening, so no page and no error log.
            return _reply(start, 400, [*_PLAIN, (b"content-length", b"0")], b"")
        if not isinstance(error, Exception):
            error = RuntimeError("ASGI app returned without completing the response.")
        return _reply(start, *_error_page(self.app, scope, error, exchange.loop))

    def _finish(self, exchange: Exchange, task: asyncio.Task[None]) -> None:
        """End the app's task: bounded wait for work after the response, then cancel."""
        loop = exchange.loop
        if not task.done():
            complete = exchange.complete
            exchange.disconnect()
            if complete:
                loop.run_until_complete(asyncio.wait([task], timeout=self.wait_time))
            if not task.done():
                if complete:
                    logger.warning("ASGI app still busy %ss after its response", self.wait_time)
                task.cancel()
                loop.run_until_complete(asyncio.wait([task], timeout=self.wait_time))
                if not task.done():
                    logger.error("ASGI app ignored cancellation for %ss", self.wait_time)
                    return
        _log_late_error(task)


class _Body:
    """The response iterator: one streamed chunk per step; ``close`` ends the app."""

    __slots__ = ("exchange", "shim", "task")

    def __init__(self, shim: WSGIShim, exchange: Exchange, task: asyncio.Task[None]) -> None:
        self.shim = shim
        self.exchange = exchange
        self.task = task

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        exchange = self.exchange
        while True:
            if exchange.chunks:
                return exchange.chunks.pop(0)
            if exchange.complete or exchange.closed or self.task.done():
                raise StopIteration
            exchange.pump()

    def close(self) -> None:
        """Called by the server when the response ends or the client went away."""
        self.shim._finish(self.exchange, self.task)


def _log_late_error(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        logger.error("Exception in ASGI application after the response started", exc_info=error)


def _reply(start: StartResponse, status: int, headers: RawHeaders, body: bytes) -> list[bytes]:
    start(StatusStringMapping[status], wsgi_headers(headers))
    return [body]


def _startup_failed(environ: Environ, start: StartResponse) -> list[bytes]:
    if str(environ.get("SERVER_SOFTWARE", "")).startswith("gunicorn"):
        # Gunicorn catches SystemExit from an app, so leave the hard way. Exit code 3
        # is its WORKER_BOOT_ERROR: the arbiter stops, showing why, instead of
        # respawning a worker that cannot start. (The hooks in gunicorn_conf catch
        # this earlier, before the worker accepts a request.)
        sys.stderr.flush()
        os._exit(3)
    body = b"Internal Server Error"
    return _reply(start, 500, [*_PLAIN, (b"content-length", b"21")], body)


def _error_page(
    app: ASGIApp, scope: Scope, error: Exception, loop: asyncio.AbstractEventLoop
) -> tuple[int, RawHeaders, bytes]:
    from asgi_cycle.core.handlers.asgi import ASGIHandler

    if isinstance(app, ASGIHandler):
        try:
            from asgi_cycle.core.handlers.exception import aresponse_for_exception

            request = app.request_class(scope, io.BytesIO())
            response = loop.run_until_complete(aresponse_for_exception(request, error))
            content = getattr(response, "content", None)
            if isinstance(content, bytes):
                return response.status_code, response.asgi_headers(), content
        except Exception:
            logger.exception("Rendering the error page failed")
    else:
        logger.error("Exception in ASGI application", exc_info=error)
    return 500, [*_PLAIN, (b"content-length", b"21")], b"Internal Server Error"


def _is_project_handler(app: ASGIApp) -> bool:
    from asgi_cycle.core.handlers.asgi import ASGIHandler

    return isinstance(app, ASGIHandler)


def _file_body(environ: Environ, file: BinaryIO) -> Iterable[bytes]:
    wrapper = environ.get("wsgi.file_wrapper")
    if wrapper is not None:
        # Returned as is: servers recognise their own wrapper and use sendfile().
        return wrapper(file, 65536)  # type: ignore[no-any-return]
    return FileWrapper(file, 65536)


__all__ = ["WSGIShim"]
