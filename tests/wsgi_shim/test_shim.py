"""The shim carries requests across: bodies, streaming, errors, pathsend.

Every call goes through ``wsgiref.validate`` (see ``apps.call``), so each test
also checks that the shim speaks PEP 3333 correctly.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import pytest

from wsgi_shim import get_wsgi_application, to_wsgi

from .apps import bare_a2wsgi, call, echo_app, environ, read_body, start


def test_body_round_trip() -> None:
    result = call(to_wsgi(echo_app), environ("/", "POST", b"hello world"))
    assert result.status == "200 OK"
    assert result.body == b"hello world"
    assert result.header("content-type") == "text/plain"


def test_large_body_arrives_in_pieces() -> None:
    pieces: list[int] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        while True:
            message = await receive()
            pieces.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await start(send)
        await send({"type": "http.response.body", "body": str(sum(pieces)).encode()})

    result = call(to_wsgi(app), environ("/", "POST", b"x" * 200_000))
    assert result.body == b"200000"
    assert len(pieces) == 4 and max(pieces) == 65536


def test_streaming_is_chunk_by_chunk() -> None:
    """The first chunk reaches the server before the app produces the second."""
    produced: list[int] = []
    seen_when_first_chunk_left: list[int] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        await start(send)
        for i in range(3):
            produced.append(i)
            await send({"type": "http.response.body", "body": b"%d" % i, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    wsgi = to_wsgi(app)
    env = environ("/")
    chunks: list[bytes] = []
    iterable = wsgi(env, lambda status, headers, exc_info=None: chunks.append)
    for chunk in iterable:
        if not chunks:
            seen_when_first_chunk_left.extend(produced)
        chunks.append(chunk)
    iterable.close()  # type: ignore[attr-defined]
    assert chunks == [b"0", b"1", b"2"]
    assert seen_when_first_chunk_left == [0]


def test_scope_carries_what_the_server_knows() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        seen.update(scope)
        await start(send)
        await send({"type": "http.response.body", "body": b""})

    env = environ(
        "/caf\xc3\xa9/a b",  # UTF-8 bytes in latin-1 clothing, as PEP 3333 has it
        headers={"X-Thing": "1", "Content-Type": "text/plain"},
        QUERY_STRING="q=caf\xc3\xa9",
        REMOTE_ADDR="10.1.2.3",
        REMOTE_PORT="5555",
        SERVER_NAME="example.test",
        SERVER_PORT="8080",
        RAW_URI="/caf%C3%A9/a%20b?q=caf%C3%A9",
    )
    call(to_wsgi(app), env)
    assert seen["path"] == "/café/a b"
    assert seen["raw_path"] == b"/caf%C3%A9/a%20b"
    assert seen["query_string"] == "q=café".encode()
    assert (b"x-thing", b"1") in seen["headers"]
    assert (b"content-type", b"text/plain") in seen["headers"]
    assert seen["client"] == ("10.1.2.3", 5555)
    assert seen["server"] == ("example.test", 8080)
    assert seen["http_version"] == "1.0"
    assert seen["method"] == "GET"


def test_error_before_headers_gives_a_plain_500_for_a_foreign_app(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        await start(send)  # headers recorded, but no body byte reached the server yet
        raise ValueError("boom")

    with caplog.at_level(logging.ERROR, "wsgi_shim"):
        result = call(to_wsgi(app), environ("/"))
    assert result.status == "500 Internal Server Error"
    assert result.body == b"Internal Server Error"
    assert "boom" in caplog.text


def test_error_after_headers_ends_cleanly_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        await start(send)
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise ValueError("late boom")

    with caplog.at_level(logging.ERROR, "wsgi_shim"):
        result = call(to_wsgi(app), environ("/"))
    assert result.status == "200 OK"
    assert result.body == b"partial"
    assert "late boom" in caplog.text


def test_app_returning_without_a_response_is_a_500() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError

    result = call(to_wsgi(app), environ("/"))
    assert result.status == "500 Internal Server Error"


def test_work_after_the_response_is_bounded(caplog: pytest.LogCaptureFixture) -> None:
    """a2wsgi waits forever by default (``wait_time=None``); the shim cancels."""
    cancelled: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        await start(send)
        await send({"type": "http.response.body", "body": b"done"})
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    shim = to_wsgi(app)
    shim.wait_time = 0.2
    result = call(shim, environ("/"))
    assert result.body == b"done"
    assert cancelled == [True]


def test_pathsend_uses_the_servers_file_wrapper(tmp_path: Any) -> None:
    target = tmp_path / "file.txt"
    target.write_bytes(b"file contents")
    wrapped: list[Any] = []

    class Wrapper:
        def __init__(self, file: Any, block: int) -> None:
            self.file = file
            wrapped.append(self)

        def __iter__(self) -> Any:
            return iter([self.file.read()])

        def close(self) -> None:
            self.file.close()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        assert "http.response.pathsend" in scope["extensions"]
        await start(send)
        await send({"type": "http.response.pathsend", "path": str(target)})

    result = call(to_wsgi(app), wrapped_environ("/", Wrapper), validate=False)
    assert result.body == b"file contents"
    assert len(wrapped) == 1 and wrapped[0].file.closed
    # Without a server wrapper the file is still sent (and closed).
    assert call(to_wsgi(app), environ("/")).body == b"file contents"


def test_get_wsgi_application_serves_the_project_app() -> None:
    result = call(get_wsgi_application(), environ("/nowhere/", HTTP_HOST="testserver"))
    assert result.status == "404 Not Found"
    assert (
        result.header(
            "content-type",
        )
        is not None
    )


def test_head_has_headers_but_no_body() -> None:
    get = call(get_wsgi_application(), environ("/nowhere/", HTTP_HOST="testserver"))
    head = call(get_wsgi_application(), environ("/nowhere/", "HEAD", HTTP_HOST="testserver"))
    assert head.status == get.status
    assert head.body == b""
    assert head.header("content-length") == get.header("content-length") != "0"


def test_bare_a2wsgi_is_what_the_foreign_500_replaces() -> None:
    """Both agree an app error before the body is a 500 (the shim matches Uvicorn's text)."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise ValueError("boom")

    with bare_a2wsgi(app) as bare:
        result = call(bare, environ("/"))
    assert result.status.startswith("500")
    assert result.body == b"Server got itself in trouble"
    assert call(to_wsgi(app), environ("/")).body == b"Internal Server Error"


def test_importing_and_wrapping_creates_no_loop_or_thread() -> None:
    """Fork safety: the shim creates nothing until a request arrives in the process."""
    import threading

    before = threading.active_count()
    shim = to_wsgi(echo_app)
    assert threading.active_count() == before
    assert shim.lifespan.pid == 0
    assert os.getpid() > 0
    _ = read_body


def test_zerocopysend_file_outlives_the_apps_own_handle(tmp_path: Any) -> None:
    """The app may close its file once handed over: the server reads a duplicate."""
    target = tmp_path / "data.bin"
    target.write_bytes(b"0123456789")

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError
        assert "http.response.zerocopysend" in scope["extensions"]
        await start(send)
        with target.open("rb") as file:
            if scope["path"] == "/part":
                message = {"type": "http.response.zerocopysend", "file": file, "offset": 1}
                await send({**message, "count": 3})
            else:
                file.seek(2)
                await send({"type": "http.response.zerocopysend", "file": file})

    class Wrapper:
        def __init__(self, file: Any, block: int) -> None:
            self.file = file

        def __iter__(self) -> Any:
            return iter([self.file.read()])

        def close(self) -> None:
            self.file.close()

    env = wrapped_environ("/", Wrapper)
    assert call(to_wsgi(app), env, validate=False).body == b"23456789"
    part = wrapped_environ("/part", Wrapper)
    assert call(to_wsgi(app), part, validate=False).body == b"123"
    # Without a file_wrapper the extension is not offered.
    assert "http.response.zerocopysend" not in _extensions_without_wrapper()


def _extensions_without_wrapper() -> dict[str, Any]:
    from wsgi_shim._scope import build_scope

    return dict(build_scope(environ("/"), {})["extensions"])


def wrapped_environ(path: str, wrapper: Any) -> dict[str, Any]:
    """An environ whose server offers ``wrapper`` as ``wsgi.file_wrapper``."""
    env = environ(path)
    env["wsgi.file_wrapper"] = wrapper
    return env
