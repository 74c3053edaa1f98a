"""Start real servers (uvicorn, gunicorn, uwsgi) on loopback for tests.

A server is started as a subprocess on 127.0.0.1 with a free port, polled
until it answers, and stopped by PID (SIGTERM, then SIGKILL after a timeout).
Its combined output is kept in a file so tests can read what it printed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server process."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``."""
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return self.log_path.read_text(errors="replace")


def example_app_env(folder: Path, **extra: str) -> dict[str, str]:
    """Environment for serving the example app from ``folder/db.sqlite3``.

    The database is made by the real ``asgi-cycle migrate`` and ``loaddata``
    commands, with the demo products; ``extra`` adds or overrides variables
    (``ASGI_CYCLE_SETTINGS`` defaults to ``app.settings``).
    """
    env = {
        "ASGI_CYCLE_SETTINGS": "app.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "example-app-test-key",
        **extra,
    }
    for command in (["migrate"], ["loaddata", "app/fixtures/products.json"]):
        done = subprocess.run(
            [str(BIN / "asgi-cycle"), *command],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return env


def uvicorn_command(app: str, port: int, extra: Sequence[str] = ()) -> list[str]:
    """The uvicorn command line for ``app`` (module:attr)."""
    return [str(BIN / "uvicorn"), app, "--host", "127.0.0.1", "--port", str(port), *extra]


def gunicorn_command(app: str, port: int, extra: Sequence[str] = ()) -> list[str]:
    """The gunicorn command line for ``app`` (sync worker unless ``extra`` says otherwise)."""
    return [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--workers",
        "1",
        "--graceful-timeout",
        "5",
        *extra,
    ]


@contextmanager
def run_server(
    command_for_port: object,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    ready_path: str = "/",
    timeout: float = 30.0,
) -> Iterator[Server]:
    """Start a server, wait until ``ready_path`` answers (any status), yield it, stop it."""
    port = free_port()
    command = command_for_port(port)  # type: ignore[operator]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)
    log_path = Path(log.name)
    process = subprocess.Popen(
        command, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    server = Server(process, port, log_path)
    try:
        _wait_until_ready(server, ready_path, timeout)
        yield server
    finally:
        stop(process)  # the log file stays, so a test can still read what was printed


def _wait_until_ready(server: Server, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"server exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            httpx.get(server.url + ready_path, timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer within {timeout}s:\n{server.output()}")


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stop a server by PID: SIGTERM, then SIGKILL if it has not exited in time."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


__all__ = [
    "Server",
    "example_app_env",
    "free_port",
    "gunicorn_command",
    "run_server",
    "stop",
    "uvicorn_command",
]
