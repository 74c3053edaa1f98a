"""The shim under real Gunicorn (sync, gthread, --preload) and uWSGI processes.

Gap 1 (lifespan per worker: startup before serving, shutdown on SIGTERM and
on max-requests recycling, a failing startup stops the server with the error
shown), gap 2 (fork safety: ``--preload``; bare a2wsgi hangs there, shown by
``test_bare_a2wsgi_hangs_under_preload``), gap 3 (chunked uploads in pieces),
gap 4 (a client leaving mid-body), gap 5 (a client leaving mid-stream), gap 7
(underscore headers, the server address), item 10 (gthread concurrency, uWSGI)
and item 13 (``asgi-cycle serve``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.servers._procs import SHIM_CONF, uwsgi_command
from tests.servers.procs import (
    BIN,
    ROOT,
    Server,
    example_app_env,
    free_port,
    gunicorn_command,
    run_server,
    stop,
)

pytestmark = pytest.mark.servers

APP = "tests.wsgi_shim.server_apps:wsgi"
CONF = SHIM_CONF


@pytest.fixture
def events(tmp_path: Path) -> Path:
    return tmp_path / "events.txt"


def env_for(events: Path) -> dict[str, str]:
    return {"SHIM_EVENTS": str(events), "ASGI_CYCLE_SETTINGS": "tests.settings"}


def read_events(events: Path) -> list[tuple[str, int]]:
    if not events.exists():
        return []
    rows = [line.split() for line in events.read_text().splitlines()]
    return [(name, int(pid)) for name, pid in rows]


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def terminate(server: Server) -> None:
    stop(server.process)
    assert server.process.returncode is not None


# -- gap 1: lifespan per worker ---------------------------------------------------------


def test_gunicorn_hooks_run_startup_per_worker_and_shutdown_on_sigterm(events: Path) -> None:
    command = lambda port: gunicorn_command(APP, port, [*CONF, "--workers", "2"])  # noqa: E731
    with run_server(command, env=env_for(events), ready_path="/") as server:
        assert wait_for(lambda: len(read_events(events)) >= 2)
        startups = {pid for name, pid in read_events(events) if name == "startup"}
        assert len(startups) == 2  # before either worker served anything but the probe
        answers = [httpx.get(server.url + "/").json() for _ in range(6)]
        assert all(a["state"]["started_by"] == a["pid"] for a in answers)
        terminate(server)
    shutdowns = {pid for name, pid in read_events(events) if name == "shutdown"}
    assert shutdowns == startups


def test_without_hooks_startup_is_lazy_and_shutdown_still_runs(events: Path) -> None:
    command = lambda port: gunicorn_command(APP, port)  # noqa: E731
    with run_server(command, env=env_for(events), ready_path="/") as server:
        answer = httpx.get(server.url + "/").json()
        assert answer["state"] == {"started_by": answer["pid"]}
        terminate(server)
    assert [name for name, _ in read_events(events)] == ["startup", "shutdown"]


def test_max_requests_recycling_shuts_down_and_starts_again(events: Path) -> None:
    extra = [*CONF, "--max-requests", "2"]
    command = lambda port: gunicorn_command(APP, port, extra)  # noqa: E731
    with run_server(command, env=env_for(events), ready_path="/") as server:
        pids = set()
        for _ in range(5):
            try:
                pids.add(httpx.get(server.url + "/", timeout=10).json()["pid"])
            except httpx.TransportError:
                time.sleep(0.2)  # the worker was being replaced
        assert wait_for(
            lambda: [n for n, _ in read_events(events)][:3] == ["startup", "shutdown", "startup"]
        )
        terminate(server)
    assert len(pids) >= 2
    names = [name for name, _ in read_events(events)]
    assert names.count("startup") == names.count("shutdown")


@pytest.mark.parametrize("hooks", [True, False], ids=["hooks", "lazy"])
def test_failing_startup_stops_gunicorn_with_the_error_shown(
    events: Path, tmp_path: Path, hooks: bool
) -> None:
    port = free_port()
    extra = CONF if hooks else []
    log = tmp_path / "gunicorn.log"
    command = gunicorn_command("tests.wsgi_shim.server_apps:failing", port, extra)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env_for(events)}, stdout=out, stderr=out
        )
    try:
        if not hooks:
            wait_for(lambda: "Booting worker" in log.read_text(), 20)
            with pytest.raises(httpx.TransportError):
                for _ in range(50):
                    httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                    time.sleep(0.1)
        process.wait(30)
    finally:
        stop(process)
    output = log.read_text()
    assert process.returncode != 0
    assert "database unreachable" in output
    assert "Worker failed to boot" in output


# -- gap 2: fork safety ------------------------------------------------------------------


@pytest.fixture(scope="module")
def article_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return example_app_env(tmp_path_factory.mktemp("preload"))


@pytest.mark.parametrize("hooks", [False, True], ids=["lazy", "hooks"])
def test_preload_with_four_workers_serves_database_pages(
    article_env: dict[str, str], hooks: bool
) -> None:
    extra = ["--preload", "--workers", "4", *(CONF if hooks else [])]
    command = lambda port: gunicorn_command("app.wsgi:application", port, extra)  # noqa: E731
    with run_server(command, env=article_env, ready_path="/static/css/site.css") as server:
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda i: httpx.get(f"{server.url}/products/{i % 3 + 1}/"), range(16))
            )
        assert all(a.status_code == 200 and "<h1>" in a.text for a in answers)
        assert httpx.get(server.url + "/api/products/").status_code == 200
    # Every worker shut down its lifespan (disconnecting the databases) without an error.
    assert "Traceback" not in server.output()
    assert "Lifespan shutdown" not in server.output()


def test_bare_a2wsgi_hangs_under_preload(events: Path) -> None:
    port = free_port()
    command = gunicorn_command(
        "tests.wsgi_shim.server_apps:bare", port, ["--preload", "--timeout", "60"]
    )
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env_for(events)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its hung worker never exits on its own: kill the group
    )
    try:
        assert wait_for(lambda: _accepts(port), 20)
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=3)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


# -- gaps 3-5 and 7 on a real server --------------------------------------------------------


@pytest.fixture(scope="module", params=["sync", "gthread"])
def gunicorn(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    events = tmp_path_factory.mktemp(request.param) / "events.txt"
    extra = [*CONF]
    if request.param == "gthread":
        extra += ["--worker-class", "gthread", "--threads", "4"]
    command = lambda port: gunicorn_command(APP, port, extra)  # noqa: E731
    with run_server(command, env=env_for(events), ready_path="/") as server:
        server.events = events  # type: ignore[attr-defined]
        yield server


def test_chunked_upload_arrives_in_pieces(gunicorn: Server) -> None:
    def upload() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 30_000

    pieces = httpx.post(gunicorn.url + "/pieces", content=upload()).json()
    assert sum(pieces) == 300_000
    assert len(pieces) > 2 and max(pieces) <= 65536


def test_client_leaving_mid_body_frees_the_worker(gunicorn: Server) -> None:
    with socket.create_connection(("127.0.0.1", gunicorn.port)) as sock:
        sock.sendall(b"POST /pieces HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
        sock.shutdown(socket.SHUT_WR)
        sock.recv(10)
    events: Path = gunicorn.events  # type: ignore[attr-defined]
    assert wait_for(lambda: any(name == "disconnect" for name, _ in read_events(events)))
    assert httpx.get(gunicorn.url + "/", timeout=10).status_code == 200


def test_client_leaving_mid_stream_cancels_the_app(gunicorn: Server) -> None:
    events: Path = gunicorn.events  # type: ignore[attr-defined]
    before = sum(1 for name, _ in read_events(events) if name == "finally")
    with socket.create_connection(("127.0.0.1", gunicorn.port)) as sock:
        sock.sendall(b"GET /stream-forever HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(4096)
    assert wait_for(lambda: sum(1 for n, _ in read_events(events) if n == "finally") > before)
    assert httpx.get(gunicorn.url + "/", timeout=10).status_code == 200


def test_underscore_headers_are_dropped_and_server_is_the_socket(gunicorn: Server) -> None:
    answer = httpx.get(
        gunicorn.url + "/a%20b",
        headers={"X-Forwarded-Proto": "http", "X_Forwarded_Proto": "https", "Host": "evil.test"},
    ).json()
    values = [value for name, value in answer["headers"] if name == "x-forwarded-proto"]
    assert values == ["http"]
    assert answer["server"] == ["127.0.0.1", gunicorn.port]
    assert answer["raw_path"] == "/a%20b"


def test_bad_bytes_are_400_never_500(gunicorn: Server) -> None:
    assert httpx.get(gunicorn.url + "/%ff%fe/").status_code == 400
    with socket.create_connection(("127.0.0.1", gunicorn.port)) as sock:
        sock.sendall(b"GET /q?x=\xc3\xa9\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    # Raw non-ASCII in the request line is the server's to refuse (BAD_INPUT row 18).
    assert reply.startswith(b"HTTP/1.1 400")


def test_errors_before_and_after_the_headers(gunicorn: Server) -> None:
    before = httpx.get(gunicorn.url + "/broken")
    assert (before.status_code, before.text) == (500, "Internal Server Error")
    with socket.create_connection(("127.0.0.1", gunicorn.port)) as sock:
        sock.sendall(b"GET /broken-stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200") and b"partial" in reply
    assert wait_for(lambda: "stream broke after the headers" in gunicorn.output())
    assert "Exception in ASGI application after the response started" in gunicorn.output()
    assert httpx.get(gunicorn.url + "/", timeout=10).status_code == 200


def test_gthread_serves_requests_concurrently(tmp_path: Path) -> None:
    extra = [*CONF, "--worker-class", "gthread", "--threads", "4"]
    command = lambda port: gunicorn_command(APP, port, extra)  # noqa: E731
    with run_server(command, env=env_for(tmp_path / "e.txt"), ready_path="/") as server:
        with ThreadPoolExecutor(2) as pool:
            answers = list(
                pool.map(lambda _: httpx.get(server.url + "/barrier", timeout=30), [0, 1])
            )
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json()["thread"] != answers[1].json()["thread"]


# -- uWSGI ----------------------------------------------------------------------------------


def test_uwsgi_runs_lifespan_streams_and_takes_chunked_uploads(events: Path) -> None:
    command = lambda port: uwsgi_command(APP, port)  # noqa: E731
    with run_server(command, env=env_for(events), ready_path="/") as server:
        answer = httpx.get(server.url + "/").json()
        assert answer["state"] == {"started_by": answer["pid"]}
        assert answer["server"] == ["127.0.0.1", server.port]
        with httpx.stream("GET", server.url + "/stream-forever") as response:
            first = next(response.iter_bytes())
            assert first
        # uWSGI notices the closed stream on a later write; SIGTERM while that thread is
        # still closing it can end the worker before the lifespan shuts down.
        assert wait_for(lambda: "finally" in [name for name, _ in read_events(events)])
        pieces = httpx.post(
            server.url + "/pieces", content=iter([b"a" * 1000, b"b" * 1000])
        ).json()
        assert sum(pieces) == 2000
        terminate(server)
    names = [name for name, _ in read_events(events)]
    assert names[0] == "startup" and "shutdown" in names


# -- item 13: asgi-cycle serve -----------------------------------------------------------------


def test_serve_command_starts_gunicorn_with_the_hooks(events: Path) -> None:
    def command(port: int) -> list[str]:
        return [
            str(BIN / "asgi-cycle"),
            "serve",
            "--server",
            "gunicorn",
            "--workers",
            "2",
            "--threads",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--app",
            APP,
        ]

    with run_server(command, env=env_for(events), ready_path="/") as server:
        assert wait_for(lambda: len(read_events(events)) >= 2)
        assert httpx.get(server.url + "/").json()["state"]["started_by"] > 0
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(30)
    names = [name for name, _ in read_events(events)]
    assert names.count("startup") == 2 and names.count("shutdown") == 2
    assert sys.executable


def test_serve_command_line_for_each_server() -> None:
    from asgi_cycle.core.management import build_parser
    from asgi_cycle.core.management.commands.serve import command

    parser = build_parser()
    uvicorn = command(parser.parse_args(["serve", "--workers", "3", "--bind", "0.0.0.0:9000"]))
    assert uvicorn[1:] == [
        "app.asgi:application",
        "--host",
        "0.0.0.0",
        "--port",
        "9000",
        "--workers",
        "3",
    ]
    gunicorn = command(
        parser.parse_args(
            ["serve", "--server", "gunicorn", "--threads", "8", "--preload", "--max-requests", "9"]
        )
    )
    assert gunicorn[1:4] == ["app.wsgi:application", "-c", "python:wsgi_shim.gunicorn_conf"]
    assert "--no-control-socket" in gunicorn
    assert gunicorn[gunicorn.index("--worker-class") + 1] == "gthread"
    assert gunicorn[gunicorn.index("--threads") + 1] == "8"
    assert "--preload" in gunicorn and gunicorn[gunicorn.index("--max-requests") + 1] == "9"


def test_serve_command_starts_uvicorn() -> None:
    def command(port: int) -> list[str]:
        return [
            str(BIN / "asgi-cycle"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--app",
            "tests.servers.scenario_app.asgi:application",
        ]

    with run_server(command, ready_path="/hello/") as server:
        assert httpx.get(server.url + "/hello/", headers={"Host": "localhost"}).text == (
            "Hello, cycle!\n"
        )
