"""Server processes: start pinned to a core on loopback, wait until ready, measure, stop.

Rules: every server binds 127.0.0.1 on a free port, runs in its own session so
that it and its workers are stopped by process group, and is always stopped by
PID with a timeout (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.targets import Target

ROOT = Path(__file__).resolve().parent.parent
SERVER_CPU = "0"
CLIENT_CPU = "1"


def pinned(command: list[str], cpu: str) -> list[str]:
    """Prefix `command` with `taskset -c cpu` when the machine has a second core."""
    if (os.cpu_count() or 1) >= 2 and _has("taskset"):
        return ["taskset", "-c", cpu, *command]
    return command


def _has(program: str) -> bool:
    return any((Path(d) / program).exists() for d in os.environ.get("PATH", "").split(":"))


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(target: Target, port: int) -> list[str]:
    """The command line that serves `target` with one worker."""
    if target.server == "uvicorn":
        return [
            sys.executable,
            "-m",
            "uvicorn",
            target.app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        target.app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--worker-class",
        "sync",
        "--no-control-socket",
        "--log-level",
        "warning",
    ]


@dataclass
class Server:
    """A running server process for one target."""

    target: Target
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    def worker_pid(self) -> int:
        """The PID that serves requests (Gunicorn's worker, or Uvicorn's only process)."""
        if self.target.server != "gunicorn":
            return self.process.pid
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        return int(pids[0]) if pids else self.process.pid

    def rss_kib(self) -> int:
        """Resident memory of the worker, in KiB."""
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server's process group, then kill it if it lingers."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
            except ProcessLookupError:
                pass


def start(target: Target, database_url: str, workdir: Path, timeout: float = 60.0) -> Server:
    """Start `target` pinned to the server core and wait until it answers /plaintext."""
    port = free_port()
    env = {**os.environ, **target.env, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    log = workdir / f"{target.name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            pinned(server_command(target, port), SERVER_CPU),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(target, port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{target.name} exited: {log.read_text()[-2000:]}")
        try:
            status, _, _ = fetch(server.base_url + "/" + target.tests[0], timeout=2)
            if status:
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{target.name} did not answer within {timeout:.0f}s: {log.read_text()}")


def fetch(url: str, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    """GET `url` (loopback only) and return status, lower-cased headers and body."""
    rest = url.removeprefix("http://")
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    if host not in ("127.0.0.1", "localhost"):
        raise ValueError(f"benchmarks only talk to loopback, not {host}")
    conn = http.client.HTTPConnection(host, int(port or 80), timeout=timeout)
    try:
        conn.request("GET", "/" + path, headers={"Host": "localhost"})
        response = conn.getresponse()
        body = response.read()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return response.status, headers, body
    finally:
        conn.close()
