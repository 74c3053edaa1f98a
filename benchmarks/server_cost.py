"""Instructions per request through Uvicorn's HTTP protocol, counted by callgrind.

wrk figures swing by ±20 % on a shared 2-core machine, and the in-process harness
leaves out what the server does with the app's messages (parsing the request,
building the scope, checking and writing each response header). This harness
feeds keep-alive requests to Uvicorn's httptools protocol over a fake transport,
so server and app run exactly as under load but with no socket, and counts the
instructions with valgrind's callgrind: the difference between a run of `few`
and one of `many` requests, divided by the extra requests, on uvloop as the
benchmark's servers run. The count does not depend on what else the machine is
doing.

    python -m benchmarks.server_cost                    # raw, starlette, cycle, ...
    python -m benchmarks.server_cost --path /json --targets starlette,cycle

`raw-default-headers` is the raw app sending the four headers asgi_cycle's default
stack adds (X-Frame-Options, X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy): set against `raw`, it shows what Uvicorn itself
spends on them.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import re
import shutil
import subprocess
import sys
from typing import Any

from benchmarks.procs import ROOT
from benchmarks.targets import INPROCESS

REQUEST = "GET {path} HTTP/1.1\r\nHost: localhost:8000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"
DEFAULT_TARGETS = ("raw", "raw-default-headers", "starlette", "cycle", "cycle-bare")
DEFAULT_STACK_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


async def raw_default_headers(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The raw peer's plaintext answer plus the default stack's four headers."""
    body = b"Hello, World!"
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"13")]
    await send(
        {"type": "http.response.start", "status": 200, "headers": headers + DEFAULT_STACK_HEADERS}
    )
    await send({"type": "http.response.body", "body": body})


class FakeTransport:
    """The transport calls Uvicorn's protocol makes, keeping what it writes."""

    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def load_app(target: str) -> Any:
    """The ASGI callable of `target` (an in-process target, or raw-default-headers)."""
    if target == "raw-default-headers":
        return raw_default_headers
    spec, env = INPROCESS[target]
    os.environ.update(env)
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


async def serve(app: Any, path: str, count: int) -> bytes:
    """Serve `count` requests for `path` on one keep-alive connection; return the last answer."""
    from uvicorn.config import Config
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    from uvicorn.server import ServerState

    config = Config(app=app, lifespan="off", access_log=False, log_level="warning")
    config.http = "httptools"
    config.load()
    state = ServerState()
    protocol = HttpToolsProtocol(
        config=config, server_state=state, app_state={}, _loop=asyncio.get_running_loop()
    )
    transport = FakeTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    request = REQUEST.format(path=path).encode()
    answer = b""
    for _ in range(count):
        transport.written.clear()
        protocol.data_received(request)
        for task in list(state.tasks):  # the request's task, which writes the response
            await task
        answer = b"".join(transport.written)
    return answer


def child(target: str, path: str, count: int) -> None:
    """Serve `count` requests (child process); fail unless the answer is a 200."""
    app = load_app(target)
    try:  # the benchmark's servers run on uvloop
        import uvloop

        factory: Any = uvloop.new_event_loop
    except ImportError:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        answer = runner.run(serve(app, path, count))
    if not answer.startswith(b"HTTP/1.1 200 "):
        raise SystemExit(f"{target} {path} answered {answer[:200]!r}")
    lines = answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]
    print("response headers:", ", ".join(line.split(b":")[0].decode() for line in lines))


def instructions(target: str, path: str, count: int, database_url: str) -> int:
    """Instructions callgrind counts for a child serving `count` requests."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "0",
        "DATABASE_URL": database_url,
    }
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks.server_cost",
        "--child",
        target,
        path,
        str(count),
    ]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"{target} {path}: {out.stdout[-500:]}{out.stderr[-2000:]}")
    return callgrind_total(out.stderr)


def callgrind_total(stderr: str) -> int:
    """The instruction total callgrind prints on exit."""
    found = re.search(r"Collected : (\d+)", stderr)
    if found is None:
        raise RuntimeError(f"no callgrind total in: {stderr[-500:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    """Print instructions per request for each target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_cost")
    parser.add_argument("--targets", default=",".join(DEFAULT_TARGETS))
    parser.add_argument("--path", default="/plaintext", choices=("/plaintext", "/json"))
    parser.add_argument("--few", type=int, default=200)
    parser.add_argument("--many", type=int, default=1200)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'tfb.sqlite3'}")
    parser.add_argument("--child", nargs=3, metavar=("TARGET", "PATH", "COUNT"))
    args = parser.parse_args(argv)
    if args.child:
        target, path, count = args.child
        child(target, path, int(count))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is missing: apt-get install valgrind", file=sys.stderr)
        return 2
    names = args.targets.split(",")
    unknown = [n for n in names if n not in INPROCESS and n not in DEFAULT_TARGETS]
    if unknown:
        print(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(INPROCESS)}")
        return 2
    extra = args.many - args.few
    print(f"instructions per request through Uvicorn's httptools protocol, {args.path}")
    for name in names:
        print(f"{name}: counting ({args.few} then {args.many} requests)...", file=sys.stderr)
        few = instructions(name, args.path, args.few, args.database_url)
        many = instructions(name, args.path, args.many, args.database_url)
        print(f"  {name:<20} {(many - few) / extra:>10,.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
