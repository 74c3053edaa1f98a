"""The ASGI entry point: lifespan, body reading, the onion, sending.

Theory of operation for one ``http`` scope:

1. ``request_started`` is sent (only if anyone listens).
2. The body is read (``read_body``): an announced ``Content-Length`` over the
   limit is refused before a byte is read; otherwise bytes are counted as they
   arrive and the read stops with 413 the moment they pass the limit. Small
   bodies stay in memory; past ``FILE_UPLOAD_MAX_MEMORY_SIZE`` they go to a
   temporary file, written from a worker thread so the loop never waits on
   the disk. A client that leaves mid-body ends the request silently; one that
   stalls longer than ``CYCLE_BODY_TIMEOUT`` gets 408.
3. The request is built, its form body parsed, and the onion runs.
4. The response is sent. A streaming response is pumped chunk by chunk while a
   watcher listens for ``http.disconnect``; if the client leaves, the stream is
   cancelled and its iterator closed (generators see their ``finally``).
5. The response and request are closed and ``request_finished`` is sent.

Lifespan: startup connects the databases; shutdown disconnects them. Both are
optional: everything also connects lazily on first use.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

import anyio

from asgi_cycle.conf import settings
from asgi_cycle.core import signals
from asgi_cycle.core.exceptions import BadRequest, RequestAborted, RequestDataTooBig
from asgi_cycle.core.handlers.base import BaseHandler
from asgi_cycle.core.handlers.exception import aresponse_for_exception
from asgi_cycle.core.handlers.static import StaticFilesServer
from asgi_cycle.core.tracing import CYCLE_PAGE_PATH, QuerySpans, Trace, current_trace, recent
from asgi_cycle.db import querylog
from asgi_cycle.types import Message, Receive, Scope, Send
from asgi_cycle.urls import set_script_prefix
from asgi_cycle.urls.base import _script_prefix
from asgi_cycle.utils.asyncio import sync_to_async

if TYPE_CHECKING:
    from asgi_cycle.http import HttpResponseBase

logger = logging.getLogger("asgi_cycle.request")

_BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "TRACE"})


class BodyTimeout(Exception):
    """The client took longer than ``CYCLE_BODY_TIMEOUT`` to send the body."""


class ASGIHandler(BaseHandler):
    """The ASGI application returned by ``get_asgi_application()``."""

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware()
        from asgi_cycle.http.request import ASGIRequest

        self.request_class = ASGIRequest
        self.static = StaticFilesServer.from_settings()
        recent.resize(settings.CYCLE_TRACE_KEEP)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._handle_other(scope, receive, send)
            return
        # One HTTP request (see the module docstring), inline: this runs for every request.
        static = self.static
        if (
            static is not None
            and scope["path"].startswith(static.prefix)
            and await static.serve(scope, receive, send)
        ):
            return
        if self.tracing:
            await self._handle_traced(scope, receive, send)
            return
        if signals.request_started.has_listeners:
            await signals.request_started.asend(type(self), scope=scope)
        try:
            response = await self._respond(scope, receive, None)
            if response is None:
                return
            if response.streaming or scope["method"] == "HEAD":
                await send_response(response, scope, receive, send)
                return
            # The common case: two messages, then close.
            try:
                await send(
                    {
                        "type": "http.response.start",
                        "status": response.status_code,
                        "headers": response.asgi_headers(),
                    }
                )
                await send({"type": "http.response.body", "body": response.content})  # type: ignore[attr-defined]
            finally:
                response.close()
        finally:
            if signals.request_finished.has_listeners:
                await signals.request_finished.asend(type(self), scope=scope)

    async def _handle_other(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self.handle_lifespan(scope, receive, send)
        elif kind == "websocket":
            await receive()
            await send({"type": "websocket.close", "code": 1000})
        else:
            raise ValueError(f"asgi_cycle cannot handle ASGI scope type {kind!r}.")

    async def handle_lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Connect databases on startup and disconnect them on shutdown."""
        from asgi_cycle import db

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await db.aconnect_all()
                except Exception as exc:
                    logger.exception("Startup failed")
                    await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                try:
                    await db.adisconnect_all()
                except Exception as exc:
                    await send({"type": "lifespan.shutdown.failed", "message": repr(exc)})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _handle_traced(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.cycle_page and scope["path"] == CYCLE_PAGE_PATH:
            from asgi_cycle.views.cycle import cycle_page  # DEBUG only: not in every worker

            await send_response(cycle_page(), scope, receive, send)
            return
        trace = Trace(scope["method"], scope["path"])
        token = current_trace.set(trace)
        if signals.request_started.has_listeners:
            await signals.request_started.asend(type(self), scope=scope)
        try:
            with querylog.collect(QuerySpans(trace)):
                response = await self._respond(scope, receive, trace)
            if response is None:
                return
            trace.finish(response.status_code)
            if self.server_timing:
                response["Server-Timing"] = trace.server_timing()
            with trace.span("send"):
                await send_response(response, scope, receive, send)
        finally:
            current_trace.reset(token)
            recent.append(trace)
            if signals.request_finished.has_listeners:
                await signals.request_finished.asend(type(self), scope=scope)

    def _respond(
        self, scope: Scope, receive: Receive, trace: Trace | None
    ) -> Awaitable[HttpResponseBase | None]:
        """Read the body, build the request, run the onion; None if the client left.

        A plain function returning the awaitable: a request without a body goes
        straight to the onion, with no coroutine of its own around it.
        """
        # reverse() prefixes URLs with the mount point; set on every request, since
        # requests can share a task (and so a context) under some servers and clients.
        root_path = scope.get("root_path")
        if root_path or _script_prefix.get() != "/":  # get_script_prefix(), inline
            set_script_prefix(root_path or "/")
        if (
            len(scope.get("raw_path") or b"")
            + len(scope.get("query_string", b""))
            + len(scope["method"])
            > _MAX_TARGET
        ):
            return _uri_too_long()
        if "\ufffd" in scope["path"] and _undecodable(scope):
            return aresponse_for_exception(
                self.request_class(scope, io.BytesIO()),
                BadRequest("The request path is not valid UTF-8."),
            )
        if scope["method"] in _BODYLESS_METHODS:
            for name, value in scope["headers"]:
                # Lengths first: one int test per header instead of two bytes comparisons.
                size = len(name)
                if (size == 14 and name == b"content-length" and value != b"0") or (
                    size == 17 and name == b"transfer-encoding"
                ):
                    break
            else:
                chain = self._middleware_chain
                assert chain is not None  # built in __init__
                return chain(self.request_class(scope, None))  # an empty body
        return self._respond_with_body(scope, receive, trace)

    async def _respond_with_body(
        self, scope: Scope, receive: Receive, trace: Trace | None
    ) -> HttpResponseBase | None:
        chain = self._middleware_chain
        assert chain is not None  # built in __init__
        started = time.perf_counter()
        try:
            body = await read_body(scope, receive)
        except RequestAborted:
            return None
        except (RequestDataTooBig, BodyTimeout) as exc:
            return await _refusal(self.request_class(scope, io.BytesIO()), exc)
        if trace is not None:
            trace.add("body", "", started, time.perf_counter())
        request = self.request_class(scope, body)
        if scope["method"] not in _BODYLESS_METHODS:
            await request.aparse_body()
        response = await chain(request)
        response._resource_closers.append(request.close)
        return response


def _undecodable(scope: Scope) -> bool:
    """Whether the raw path has percent-escapes that are not UTF-8 (servers decode them
    with replacement characters; such a path names nothing and is answered 400)."""
    raw = scope.get("raw_path")
    if raw is None:
        return False
    try:
        unquote_to_bytes(raw.split(b"?", 1)[0]).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


#: Longest request line served: Gunicorn's ``limit_request_line``; uvicorn has no limit.
MAX_REQUEST_LINE = 4094
# Method, raw path and query together: the line less two spaces, "?" and "HTTP/1.1".
_MAX_TARGET = MAX_REQUEST_LINE - 11


async def _uri_too_long() -> HttpResponseBase:
    """414 for a request line past ``MAX_REQUEST_LINE`` (BAD_INPUT 26), as Gunicorn answers."""
    from asgi_cycle.views.defaults import plain_error

    logger.warning("Request line longer than %d bytes", MAX_REQUEST_LINE)
    response = plain_error(414)
    response["Connection"] = "close"
    return response


async def _refusal(request: Any, exc: Exception) -> HttpResponseBase:
    if isinstance(exc, BodyTimeout):
        from asgi_cycle.views.defaults import request_timeout

        response: HttpResponseBase = request_timeout(request, exc)
    else:
        response = await aresponse_for_exception(request, exc)
    # The rest of the body was never read: the connection cannot be reused.
    response["Connection"] = "close"
    return response


def _body_limits(scope: Scope) -> tuple[int | None, int | None]:
    """The announced length (None if absent) and the cap for this request's body."""
    length: int | None = None
    content_type = b""
    chunked = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None
        elif name == b"content-type":
            content_type = value
        elif name == b"transfer-encoding":
            chunked = True
    if length is None and not chunked:
        length = 0
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if content_type.startswith(b"multipart/form-data"):
        # File parts do not count against DATA_UPLOAD_MAX_MEMORY_SIZE (as in Django);
        # the whole upload is bounded by CYCLE_MAX_UPLOAD_SIZE instead.
        limit = settings.CYCLE_MAX_UPLOAD_SIZE
    return length, limit


async def read_body(scope: Scope, receive: Receive) -> IO[bytes]:
    """Read the request body into a file object, enforcing the size cap and timeout."""
    length, limit = _body_limits(scope)
    if length == 0:
        return io.BytesIO()
    if limit is not None and length is not None and length > limit:
        raise RequestDataTooBig(
            f"Request body of {length} bytes exceeds the limit of {limit} bytes."
        )
    timeout = settings.CYCLE_BODY_TIMEOUT
    try:
        with anyio.fail_after(timeout):
            return await _receive_body(receive, limit)
    except TimeoutError as exc:
        raise BodyTimeout(f"The request body did not arrive within {timeout} seconds.") from exc


async def _receive_body(receive: Receive, limit: int | None) -> IO[bytes]:
    spool_at = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    chunks: list[bytes] = []
    size = 0
    disk: IO[bytes] | None = None
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise RequestAborted("The client disconnected while sending the body.")
            chunk = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if limit is not None and size > limit:
                    raise RequestDataTooBig(f"Request body exceeds the limit of {limit} bytes.")
                if disk is not None:
                    await anyio.to_thread.run_sync(disk.write, chunk)
                else:
                    chunks.append(chunk)
                    if size > spool_at:
                        disk = await anyio.to_thread.run_sync(_spill, chunks)
                        chunks = []
            if not message.get("more_body", False):
                break
    except BaseException:
        if disk is not None:
            disk.close()
        raise
    if disk is not None:
        disk.seek(0)
        return disk
    return io.BytesIO(chunks[0] if len(chunks) == 1 else b"".join(chunks))


def _spill(chunks: list[bytes]) -> IO[bytes]:
    target = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)
    for chunk in chunks:
        target.write(chunk)
    return target


async def send_response(
    response: HttpResponseBase, scope: Scope, receive: Receive, send: Send
) -> None:
    """Send ``response`` (streaming or not) and close it."""
    try:
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": response.asgi_headers(),
            }
        )
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
        elif not response.streaming:
            content: bytes = response.content  # type: ignore[attr-defined]
            await send({"type": "http.response.body", "body": content})
        else:
            file = _zero_copy_file(response, scope)
            if file is not None:
                # The server sends the file itself (sendfile via wsgi.file_wrapper).
                await send(
                    {"type": "http.response.zerocopysend", "file": file, "offset": file.tell()}
                )
            else:
                await _stream(response, receive, send)
    finally:
        await _close(response)


def _zero_copy_file(response: HttpResponseBase, scope: Scope) -> Any:
    """The file a FileResponse still streams unchanged, when the server can send it."""
    file = getattr(response, "file_to_stream", None)
    if file is None or "http.response.zerocopysend" not in (scope.get("extensions") or {}):
        return None
    try:
        file.fileno()
        file.tell()
    except (AttributeError, OSError, ValueError):
        return None  # BytesIO and friends have no descriptor to hand over
    return file


async def _stream(response: Any, receive: Receive, send: Send) -> None:
    """Pump a streaming body while watching for the client to leave."""
    content = response.streaming_content
    chunks: AsyncIterator[bytes] = (
        content if response.is_async else _iterate_in_thread(iter(content))
    )
    async with anyio.create_task_group() as group:

        async def watch_disconnect() -> None:
            while True:
                message: Message = await receive()
                if message["type"] == "http.disconnect":
                    group.cancel_scope.cancel()
                    return

        group.start_soon(watch_disconnect)
        try:
            async for chunk in chunks:
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            if hasattr(chunks, "aclose"):
                with anyio.CancelScope(shield=True):
                    await chunks.aclose()
        group.cancel_scope.cancel()


async def _iterate_in_thread(iterator: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Iterate a sync iterator one item per thread hop (each ``next`` may block)."""
    done = object()
    step = sync_to_async(next)
    try:
        while True:
            chunk = await step(iterator, done)
            if chunk is done:
                return
            yield chunk  # type: ignore[misc]
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            await sync_to_async(close)()


async def _close(response: Any) -> None:
    # Closing may run user code (file handles, generators' finally blocks).
    try:
        if response.streaming and not response.is_async:
            await sync_to_async(response.close)()
        else:
            response.close()
    except Exception:
        logger.exception("Closing the response failed")


__all__ = ["ASGIHandler", "read_body", "send_response"]
