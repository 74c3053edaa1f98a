"""In-process harness: µs per request with the ASGI callable called directly.

No server and no socket: a prepared scope, a `receive` that hands over an empty
body, and a `send` that keeps the messages. Each target runs in its own child
process (settings of Django and asgi_cycle are process-wide), pinned to the
server core; the figure is the median of several repeats, which stays stable on
a noisy machine where the wrk figures do not.

Child mode: `python -m benchmarks.inprocess TARGET PATH --seconds S --repeats R`
prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from benchmarks.procs import ROOT, SERVER_CPU, pinned
from benchmarks.targets import INPROCESS

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def make_scope(path: str) -> dict[str, Any]:
    """The scope Uvicorn would pass for `GET path` on loopback."""
    path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"localhost:8000"), (b"user-agent", b"bench"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


# Set by `--profile FILE`: the timed repeats run under pyinstrument, whose text goes there.
PROFILE_OUT: Path | None = None


def _profiler() -> Any:
    if PROFILE_OUT is None:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002, async_mode="enabled")
    profiler.start()
    return profiler


@asynccontextmanager
async def lifespan(app: App, state: dict[str, Any]) -> AsyncIterator[None]:
    """Run the app's startup and shutdown when it speaks lifespan (Django does not)."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    replies: asyncio.Queue[str] = asyncio.Queue()

    async def send(message: dict[str, Any]) -> None:
        await replies.put(message["type"])

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": state}
    task = asyncio.ensure_future(app(scope, queue.get, send))
    await queue.put({"type": "lifespan.startup"})
    reply = asyncio.ensure_future(replies.get())
    done, _ = await asyncio.wait({task, reply}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if not done:
        raise RuntimeError("lifespan startup did not finish within 60 s")
    if reply in done and reply.result() != "lifespan.startup.complete":
        raise RuntimeError(f"startup failed: {reply.result()}")
    if task in done:
        reply.cancel()
        task.exception()  # an app without lifespan support raises: that is fine
    try:
        yield
    finally:
        if not task.done():
            await queue.put({"type": "lifespan.shutdown"})
            await asyncio.wait({task}, timeout=10)


async def measure(app: App, path: str, seconds: float, repeats: int) -> dict[str, Any]:
    """Validate one response, then time `repeats` runs of about `seconds` each."""
    state: dict[str, Any] = {}
    async with lifespan(app, state):
        return await _measure(app, {**make_scope(path), "state": state}, seconds, repeats)


async def _measure(
    app: App, scope: dict[str, Any], seconds: float, repeats: int
) -> dict[str, Any]:
    path = scope["path"]
    request = {"type": "http.request", "body": b"", "more_body": False}
    sent: list[dict[str, Any]] = []
    forever = asyncio.Event()
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return request
        await forever.wait()  # the client never disconnects
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(dict(scope), receive, send)
    status = sent[0].get("status")
    body = b"".join(m.get("body", b"") for m in sent[1:])
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
    # Warm up, and size each repeat to about `seconds` of work.
    start = time.perf_counter()
    warm = 0
    while warm < 20 or time.perf_counter() - start < seconds / 4:
        first = True
        sent.clear()
        await app(dict(scope), receive, send)
        warm += 1
    number = max(20, round(seconds * warm / (time.perf_counter() - start)))
    runs = []
    profiler = _profiler()
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            first = True
            sent.clear()
            await app(dict(scope), receive, send)
        runs.append((time.perf_counter() - start) / number * 1e6)
    result = {"us": statistics.median(runs), "runs": runs, "number": number, "bytes": len(body)}
    if profiler is not None:
        profiler.stop()
        result["profile"] = profiler.output_text(unicode=True, color=False)
    return result


def child(target: str, path: str, seconds: float, repeats: int) -> dict[str, Any]:
    """Import the target's ASGI callable and measure it (called in the child process)."""
    module_name, _, attribute = INPROCESS[target][0].partition(":")
    app = getattr(importlib.import_module(module_name), attribute)
    try:
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    except ImportError:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(measure(app, path, seconds, repeats))


def run(target: str, path: str, seconds: float, repeats: int, database_url: str) -> dict[str, Any]:
    """Measure `target` on `path` in a fresh child process pinned to the server core."""
    app_env = INPROCESS[target][1]
    env = {**os.environ, **app_env, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "benchmarks.inprocess",
        target,
        path,
        "--seconds",
        str(seconds),
        "--repeats",
        str(repeats),
    ]
    out = subprocess.run(
        pinned(command, SERVER_CPU),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    if out.returncode != 0:
        raise RuntimeError(f"in-process {target} {path} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Child entry point."""
    parser = argparse.ArgumentParser()
    parser.add_argument("target", choices=sorted(INPROCESS))
    parser.add_argument("path")
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument text profile here")
    args = parser.parse_args()
    global PROFILE_OUT
    PROFILE_OUT = args.profile
    result = child(args.target, args.path, args.seconds, args.repeats)
    if args.profile:
        args.profile.write_text(result.pop("profile"))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
