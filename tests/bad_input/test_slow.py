"""BAD_INPUT rows 34 (incomplete framing), 35, 36 and 37: slow and vanishing clients.

The real servers here have short timeouts of their own (module-scoped, so a
worker that a test ties up never slows the rest of the suite): the example app
with ``CYCLE_BODY_TIMEOUT = 2`` under uvicorn and under gunicorn's sync workers
(``--timeout 3`` as a backstop). A stalled body gets 408 from both: under
gunicorn the shim ends the blocking read when the body timeout has passed,
before the arbiter would kill the worker (which Gunicorn answers with a 500).
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from asgi_cycle.test import AsyncClient, override_settings
from tests.servers.procs import Server, run_server
from wsgi_shim import to_wsgi

from .conftest import HEALTH, assert_server_serves, assert_unchanged_and_serving, server_command
from .urls import STREAM_EVENTS
from .wire import exchange, request

FORM = ("Content-Type", "application/x-www-form-urlencoded")


@pytest.fixture(scope="module", params=["uvicorn", "gunicorn"])
def server(request: pytest.FixtureRequest, server_env: dict[str, str]) -> Iterator[Server]:
    """A server of each kind with short timeouts, for this module only."""
    extra = ["--timeout", "3"] if request.param == "gunicorn" else []
    command = server_command(request.param, extra)
    with run_server(command, env=server_env, ready_path=HEALTH) as running:
        running.kind = request.param  # type: ignore[attr-defined]
        yield running


def scope_for(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """An ASGI http scope as a server would build it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


def environ_for(method: str, path: str, body: bytes, length: int) -> dict[str, Any]:
    """A WSGI environ as a server would build it, with ``length`` announced."""
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(length),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


FORM_HEADERS = [
    (b"content-type", b"application/x-www-form-urlencoded"),
    (b"content-length", b"100"),
]


# -- row 35: slow body -----------------------------------------------------------------


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_35_slow_body_is_408_in_process(client: AsyncClient) -> None:
    """Row 35: a body that stalls past ``CYCLE_BODY_TIMEOUT`` -> 408, connection closed.

    Anchors: Quart ``BODY_TIMEOUT``; gunicorn worker ``timeout``; nginx
    ``client_body_timeout``. ASGI only in process: under WSGI the server reads
    the body, and its own timeout applies (see the gunicorn case below).
    """
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if not sent and not getattr(receive, "started", False):
            receive.started = True  # type: ignore[attr-defined]
            return {"type": "http.request", "body": b"name=M", "more_body": True}
        await anyio.sleep(3600)
        raise AssertionError("the timeout should have fired")

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    with override_settings(CYCLE_BODY_TIMEOUT=0.3), anyio.fail_after(10):
        await client.app(scope_for("POST", "/bad/form/", FORM_HEADERS), receive, send)
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_35_slowloris_is_cut_off_while_others_are_served(server: Server) -> None:
    """Row 35 on the wire: 1 byte a second; others are served meanwhile, and the slow
    one gets 408 once ``CYCLE_BODY_TIMEOUT`` (2 s) has passed."""
    head = request("POST", "/bad/form/", [FORM, ("Content-Length", "100")])
    outcome: dict[str, Any] = {}

    def slow() -> None:
        outcome["result"] = exchange(
            server.port, [head, *[b"x"] * 20], pause=1.0, idle=8.0, limit=30.0
        )

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        time.sleep(0.5)
        # The slow request holds one worker/task; the server keeps answering others.
        for _ in range(3):
            assert httpx.get(server.url + HEALTH, timeout=10).status_code == 200
    finally:
        thread.join(40)
    result = outcome["result"]
    assert result.closed
    assert result.statuses == [408], result.raw[:300]
    assert_server_serves(server)


@pytest.mark.servers
@pytest.mark.parametrize(
    "body",
    [b"10\nname=Mug&price=1\n0\n\n", b"10\r\nname=Mug&price=1\r\n0\r\n"],
    ids=["bare-lf", "missing-final-crlf"],
)
def test_row_34_incomplete_chunked_framing_never_completes(server: Server, body: bytes) -> None:
    """Row 34: bare-LF chunk lines -> 400 (uvicorn) or, where the server keeps waiting
    for the CRLF (gunicorn), the body timeout's 408; a missing final CRLF leaves the
    message unfinished on both, so the body timeout ends it (408); nothing is stored.

    Anchors: gunicorn ``rfc9112_chunked_*``; h11 CVE-2025-43859.
    """
    data = request("POST", "/bad/form/", [FORM, ("Transfer-Encoding", "chunked")], body)
    result = exchange(server.port, data, idle=8.0, limit=20.0)
    bare_lf = b"\r" not in body
    expected = [400] if bare_lf and server.kind == "uvicorn" else [408]  # type: ignore[attr-defined]
    assert result.statuses == expected, result.raw[:300]
    assert result.closed
    assert_server_serves(server)


# -- row 36: the client leaves mid-body ------------------------------------------------


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_36_disconnect_mid_body_asgi(client: AsyncClient) -> None:
    """Row 36: ``http.disconnect`` mid-body -> the view never runs, nothing is sent or stored.

    Anchor: Django ``tests/asgi/tests.py::test_disconnect_with_body``, ``RequestAborted``.
    """
    messages = iter(
        [
            {"type": "http.request", "body": b"name=Mug&pr", "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> Any:
        return next(messages)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    with anyio.fail_after(10):
        await client.app(scope_for("POST", "/bad/form/", FORM_HEADERS), receive, send)
    assert sent == []
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize("path_kind", ["wsgi"])
async def test_row_36_short_body_through_the_shim(client: AsyncClient) -> None:
    """Row 36 through the shim: a body shorter than its Content-Length means the client
    left; the view never runs and nothing is stored (a2wsgi spun forever here)."""
    shim = to_wsgi(client.app)
    statuses: list[str] = []

    def call() -> bytes:
        environ = environ_for("POST", "/bad/form/", b"name=Mug&price=1", 1000)
        result = shim(environ, lambda status, headers, exc_info=None: statuses.append(status))
        try:
            return b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()

    with anyio.fail_after(20):
        await anyio.to_thread.run_sync(call)
    assert not any(status.startswith("5") for status in statuses), statuses
    await assert_unchanged_and_serving(client)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its child processes so far."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.mark.servers
def test_row_36_disconnect_mid_body_on_real_servers(server: Server) -> None:
    """Row 36 on the wire: the client sends half the body and leaves; nothing is stored,
    and the server does not spin (its CPU time stays near idle afterwards)."""
    head = request("POST", "/bad/form/", [FORM, ("Content-Length", "1000")], b"name=Mug&price=1")
    for _ in range(3):
        exchange(server.port, head, idle=0.2)  # closes the socket after 0.2 s of silence
    time.sleep(0.5)
    before = _cpu_seconds(server.process.pid)
    time.sleep(2.0)
    assert _cpu_seconds(server.process.pid) - before < 1.0  # a spinning worker burns ~2 s
    assert_server_serves(server)


# -- row 37: the client leaves mid-stream ----------------------------------------------


def _closed_count(env: dict[str, str]) -> int:
    path = Path(env[STREAM_EVENTS])
    return path.read_text().count("closed") if path.exists() else 0


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_37_disconnect_mid_stream_asgi(
    client: AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 37: ``http.disconnect`` mid-stream -> the generator is closed, the call returns.

    Anchors: Django ``test_streaming_disconnect``; uvicorn ``test_early_disconnect``.
    """
    monkeypatch.setenv(STREAM_EVENTS, str(tmp_path / "events"))
    chunks: list[bytes] = []
    gone = anyio.Event()

    async def receive() -> dict[str, Any]:
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message["body"])
            if len(chunks) == 3:
                gone.set()

    with anyio.fail_after(10):
        await client.app(scope_for("GET", "/bad/stream/", []), receive, send)
    assert len(chunks) >= 3
    assert (tmp_path / "events").read_text().count("closed") == 1
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize("path_kind", ["wsgi"])
async def test_row_37_early_close_through_the_shim(
    client: AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 37 through the shim: the server closes the iterable early -> generator closed."""
    monkeypatch.setenv(STREAM_EVENTS, str(tmp_path / "events"))
    shim = to_wsgi(client.app)

    def call() -> int:
        environ = environ_for("GET", "/bad/stream/", b"", 0)
        result = shim(environ, lambda status, headers, exc_info=None: None)
        received = 0
        try:
            for chunk in result:
                received += len(chunk)
                if received >= 3 * 1024:
                    break
        finally:
            result.close()  # type: ignore[attr-defined]
        return received

    with anyio.fail_after(20):
        assert await anyio.to_thread.run_sync(call) >= 3 * 1024
    assert (tmp_path / "events").read_text().count("closed") == 1
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_37_disconnect_mid_stream_on_real_servers(
    server: Server, server_env: dict[str, str]
) -> None:
    """Row 37 on the wire: reading 16 kB of an endless stream and leaving closes the
    generator on the server (its ``finally`` runs), and the worker serves on."""
    before = _closed_count(server_env)
    with socket_reading(server.port, request("GET", "/bad/stream/", [])) as received:
        assert received > 16 * 1024
    deadline = time.monotonic() + 15
    while _closed_count(server_env) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _closed_count(server_env) == before + 1
    assert_server_serves(server)


class socket_reading:
    """Send a request, read at least 16 kB of the answer, then close the socket."""

    def __init__(self, port: int, data: bytes) -> None:
        import socket

        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(data)

    def __enter__(self) -> int:
        received = 0
        while received <= 16 * 1024:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            received += len(chunk)
        return received

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
