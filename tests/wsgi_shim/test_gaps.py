"""Gaps 3-8 of issue 4, in-process: each shown broken on bare a2wsgi, closed by the shim.

How the "fails on bare a2wsgi" half is shown: every ``test_bare_*`` runs the
very same app and environ through ``a2wsgi.ASGIMiddleware`` alone and asserts
the broken behaviour (empty chunked body, a spin on a short body, a leaked
task, an exception from scope building, no ``raw_path``, the Host header as
``server``); its twin runs it through ``wsgi_shim.to_wsgi`` and asserts the fix.
If a2wsgi ever closes a gap, its ``test_bare_*`` fails and says so.
"""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time
from typing import Any

import pytest

from asgi_cycle.test.utils import override_settings
from wsgi_shim import get_wsgi_application, to_wsgi

from .apps import bare_a2wsgi, call, environ, start


class ChunkedInput(io.RawIOBase):
    """A chunked upload as servers present it: no CONTENT_LENGTH, read until EOF."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = list(pieces)
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        return self.pieces.pop(0) if self.pieces else b""

    def readline(self, size: int = -1) -> bytes:  # type: ignore[override]
        return self.read()

    def readlines(self, hint: int = -1) -> list[bytes]:
        return []


def chunked_environ(pieces: list[bytes], path: str = "/") -> dict[str, Any]:
    return environ(path, "POST", ChunkedInput(pieces), HTTP_TRANSFER_ENCODING="chunked")


SIZES: list[str] = []


async def pieces_app(scope: Any, receive: Any, send: Any) -> None:
    """Answers with the sizes of the body pieces it received, e.g. ``5,5,0`` (also in SIZES)."""
    if scope["type"] != "http":
        raise RuntimeError
    sizes = SIZES
    sizes.clear()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            sizes.append("disconnect")
            break
        sizes.append(str(len(message.get("body", b""))))
        if not message.get("more_body"):
            break
    await start(send)
    await send({"type": "http.response.body", "body": ",".join(sizes).encode()})


# -- gap 3: chunked request bodies -------------------------------------------------


def test_chunked_body_reaches_the_app_in_pieces() -> None:
    result = call(to_wsgi(pieces_app), chunked_environ([b"hello", b"world"]))
    assert result.body == b"5,5,0"


def test_bare_a2wsgi_loses_a_chunked_body() -> None:
    with bare_a2wsgi(pieces_app) as bare:
        result = call(bare, chunked_environ([b"hello", b"world"]))
    assert result.body == b"0"


@override_settings(ROOT_URLCONF="tests.wsgi_shim.urls", DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_chunked_body_limits_apply() -> None:
    app = get_wsgi_application()
    small = call(app, chunked_environ([b"x" * 600, b"x" * 300], "/size/"))
    assert (small.status, small.body) == ("200 OK", b"900")
    big = call(app, chunked_environ([b"x" * 600, b"x" * 600], "/size/"))
    assert big.status.startswith("413 ")


# -- gap 4: short bodies -----------------------------------------------------------


class ShortInput(ChunkedInput):
    """Delivers fewer bytes than announced, then b"" (the client left); gives up eventually."""

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        if self.reads > 10_000:
            raise RuntimeError("spinning")
        return data


def short_environ(stream: ShortInput) -> dict[str, Any]:
    env = environ("/", "POST", stream)
    env["CONTENT_LENGTH"] = "100"
    return env


def test_short_body_becomes_a_disconnect() -> None:
    stream = ShortInput([b"x" * 10])
    result = call(to_wsgi(pieces_app), short_environ(stream))
    assert SIZES == ["10", "disconnect"]
    assert stream.reads == 2
    assert result.body == b""  # the app's late answer goes nowhere: the client is gone


def test_bare_a2wsgi_spins_on_a_short_body() -> None:
    stream = ShortInput([b"x" * 10])
    with bare_a2wsgi(pieces_app) as bare, pytest.raises(RuntimeError, match="spinning"):
        call(bare, short_environ(stream), validate=False)
    assert stream.reads > 10_000


# -- gap 5: the server closes the response early -------------------------------------


class StreamForever:
    """A streaming app that records whether its cleanup ran."""

    def __init__(self) -> None:
        self.cleaned_up = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        await start(send)
        try:
            while True:
                await send({"type": "http.response.body", "body": b"tick", "more_body": True})
        finally:
            self.cleaned_up.set()


def test_early_close_cancels_the_app() -> None:
    app = StreamForever()
    result = call(to_wsgi(app), environ("/"), take=2)
    assert result.chunks == [b"tick", b"tick"]
    assert app.cleaned_up.is_set()


def test_bare_a2wsgi_leaks_the_task_on_early_close() -> None:
    app = StreamForever()
    with bare_a2wsgi(app) as bare:
        call(bare, environ("/"), take=2, validate=False)
        assert not app.cleaned_up.wait(0.5)


@override_settings(ROOT_URLCONF="tests.wsgi_shim.urls")
def test_streaming_generator_sees_its_finally_on_early_close() -> None:
    from asgi_cycle.http import StreamingHttpResponse
    from asgi_cycle.urls import path

    closed = threading.Event()

    def numbers() -> Any:
        try:
            for i in range(1000):
                yield b"%d\n" % i
        finally:
            closed.set()

    class Urls:
        urlpatterns = [path("numbers/", lambda request: StreamingHttpResponse(numbers()))]

    with override_settings(ROOT_URLCONF=Urls):
        result = call(get_wsgi_application(), environ("/numbers/", HTTP_HOST="testserver"), take=2)
    assert result.chunks == [b"0\n", b"1\n"]
    assert closed.is_set()


# -- gap 6: bytes that are not text -------------------------------------------------


async def path_app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        raise RuntimeError
    await start(send)
    body = scope["path"].encode() + b"?" + scope["query_string"]
    await send({"type": "http.response.body", "body": body})


def test_invalid_utf8_path_is_a_400() -> None:
    result = call(to_wsgi(path_app), environ("/\xff\xfe/"))
    assert result.status == "400 Bad Request"


def test_invalid_utf8_path_is_a_400_page_of_the_project() -> None:
    result = call(get_wsgi_application(), environ("/\xff\xfe/", HTTP_HOST="testserver"))
    assert result.status == "400 Bad Request"
    assert b"Bad Request (400)" in result.body


def test_non_ascii_query_string_is_carried_as_bytes() -> None:
    result = call(to_wsgi(path_app), environ("/a?q=\xc3\xa9\xff"))
    assert result.body == b"/a?q=\xc3\xa9\xff"


def test_bare_a2wsgi_fails_on_bad_bytes() -> None:
    with bare_a2wsgi(path_app) as bare:
        with pytest.raises(UnicodeDecodeError):
            call(bare, environ("/\xff\xfe/"), validate=False)
        with pytest.raises(UnicodeEncodeError):
            call(bare, environ("/a?q=\xc3\xa9"), validate=False)


# -- gap 7: a lossless scope --------------------------------------------------------


def scope_of(app_wrapper: Any, env: dict[str, Any]) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        seen.update(scope)
        await start(send)
        await send({"type": "http.response.body", "body": b""})

    if app_wrapper is None:
        call(to_wsgi(app), env, validate=False)
    else:
        with app_wrapper(app) as bare:
            call(bare, env, validate=False)
    return seen


def gunicorn_like_environ() -> tuple[dict[str, Any], socket.socket]:
    """SERVER_NAME from the Host header (as Gunicorn does) and the connection's socket."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    env = environ(
        "/a b/%2F",
        RAW_URI="/a%20b/%252F?x=1",
        QUERY_STRING="x=1",
        SERVER_NAME="spoofed.example",
        SERVER_PORT="80",
        HTTP_HOST="spoofed.example",
        REMOTE_ADDR="127.0.0.1",
        REMOTE_PORT="40000",
    )
    env["gunicorn.socket"] = sock
    return env, sock


def test_scope_keeps_raw_path_and_the_real_server_address() -> None:
    env, sock = gunicorn_like_environ()
    with sock:
        scope = scope_of(None, env)
        assert scope["raw_path"] == b"/a%20b/%252F"
        assert scope["path"] == "/a b/%2F"
        assert scope["server"] == sock.getsockname()
        assert scope["client"] == ("127.0.0.1", 40000)


def test_bare_a2wsgi_scope_is_lossy() -> None:
    env, sock = gunicorn_like_environ()
    with sock:
        scope = scope_of(bare_a2wsgi, env)
    assert "raw_path" not in scope
    assert scope["server"] == ("spoofed.example", 80)


# -- gap 8: errors ------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.wsgi_shim.urls")
def test_error_before_the_body_is_the_projects_500_page() -> None:
    """The handler sent its headers, then the stream broke: no byte had left, so a 500 page."""
    result = call(get_wsgi_application(), environ("/broken-stream/", HTTP_HOST="testserver"))
    assert result.status == "500 Internal Server Error"
    assert b"Server Error (500)" in result.body


@override_settings(ROOT_URLCONF="tests.wsgi_shim.urls", DEBUG=True)
def test_error_page_follows_debug() -> None:
    result = call(get_wsgi_application(), environ("/broken-stream/", HTTP_HOST="testserver"))
    assert result.status == "500 Internal Server Error"
    assert b"stream broke" in result.body


def test_bare_a2wsgi_waits_forever_for_background_work() -> None:
    """a2wsgi's default ``wait_time`` is None; the shim's is bounded (see test_shim)."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await start(send)
        await send({"type": "http.response.body", "body": b"done"})
        await asyncio.sleep(3600)

    finished = threading.Event()
    with bare_a2wsgi(app) as bare:

        def serve() -> None:
            call(bare, environ("/"), validate=False)
            finished.set()

        worker = threading.Thread(target=serve, daemon=True)
        worker.start()
        assert not finished.wait(0.5)
    time.sleep(0)
