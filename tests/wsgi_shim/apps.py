"""Tiny raw ASGI apps and a WSGI caller for the shim's tests.

``call(wsgi_app, environ)`` runs one WSGI call the way a server does (through
``wsgiref.validate`` so every test also checks PEP 3333 conformance) and
returns status, headers and the body chunks as the server saw them.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

Message = dict[str, Any]


@dataclass
class WSGIResult:
    """What a WSGI server would have sent."""

    status: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    exc_info: Any = None

    @property
    def body(self) -> bytes:
        """All chunks joined."""
        return b"".join(self.chunks)

    def header(self, name: str) -> str | None:
        """One header's value (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def environ(
    path: str = "/",
    method: str = "GET",
    body: bytes | io.RawIOBase | io.BufferedIOBase | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A PEP 3333 environ (``path`` may carry ``?query``; text is latin-1 clothed)."""
    path_info, _, query = path.partition("?")
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
    }
    if isinstance(body, bytes):
        env["wsgi.input"] = io.BytesIO(body)
        env["CONTENT_LENGTH"] = str(len(body))
    elif body is not None:
        env["wsgi.input"] = body
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            env[key] = value
        else:
            env["HTTP_" + key] = value
    env.update(extra)
    setup_testing_defaults(env)
    return env


def call(
    app: Callable[..., Iterable[bytes]],
    env: dict[str, Any],
    *,
    validate: bool = True,
    take: int | None = None,
) -> WSGIResult:
    """Call ``app`` as a server would; ``take=n`` closes the iterator after n chunks."""
    result = WSGIResult()

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        result.status, result.headers, result.exc_info = status, headers, exc_info
        return lambda data: result.chunks.append(data)

    wrapped = validator(app) if validate else app
    iterable = wrapped(env, start_response)
    try:
        for chunk in iterable:
            result.chunks.append(chunk)
            if take is not None and len(result.chunks) >= take:
                break
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    return result


async def read_body(receive: Callable[[], Any]) -> bytes:
    """Read a whole request body from ``receive``."""
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionResetError("client left")
        body += bytes(message.get("body", b""))
        if not message.get("more_body", False):
            return body


async def start(send: Callable[[Message], Any], status: int = 200, **headers: str) -> None:
    """Send ``http.response.start`` with text/plain and ``headers``."""
    raw = [(b"content-type", b"text/plain")]
    raw += [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})


async def echo_app(scope: Any, receive: Any, send: Any) -> None:
    """Answer with the body it received (no lifespan support: raises on lifespan)."""
    if scope["type"] != "http":
        raise RuntimeError("http only")
    body = await read_body(receive)
    await start(send)
    await send({"type": "http.response.body", "body": body})


@contextmanager
def bare_a2wsgi(app: Any) -> Iterator[Any]:
    """``a2wsgi.ASGIMiddleware(app)`` alone, its loop thread stopped afterwards."""
    import asyncio

    from a2wsgi import ASGIMiddleware

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield ASGIMiddleware(app, loop=loop)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        if not thread.is_alive():
            loop.close()


__all__ = ["WSGIResult", "bare_a2wsgi", "call", "echo_app", "environ", "read_body", "start"]
