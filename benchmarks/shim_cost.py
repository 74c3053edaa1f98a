"""In-process cost of carrying a request from WSGI to ASGI: bare a2wsgi vs wsgi_shim.

Runs the same trivial plaintext app three ways, calling the WSGI callable
directly (no sockets), and prints microseconds per request (median of
repeats):

- ``native``: a plain WSGI function (the floor: what a WSGI server pays anyway);
- ``a2wsgi``: the ASGI app under bare ``a2wsgi.ASGIMiddleware``;
- ``shim``: the ASGI app under ``wsgi_shim.to_wsgi``.

The "added cost" of an adapter is its time minus native's. Usage::

    .venv/bin/python -m benchmarks.shim_cost [--requests 2000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from a2wsgi import ASGIMiddleware

from asgi_cycle.types import Receive, Scope, Send
from wsgi_shim import to_wsgi

BODY = b"Hello, World!"
HEADERS = [(b"content-type", b"text/plain"), (b"content-length", b"13")]


async def asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The trivial ASGI app: TechEmpower's plaintext."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The same app written for WSGI."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "13")])
    return [BODY]


def _environ() -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/plaintext",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT": "*/*",
        "HTTP_USER_AGENT": "bench",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    return None


def per_request_us(app: Callable[..., Iterable[bytes]], requests: int) -> float:
    """Microseconds per request for ``requests`` calls (body consumed, iterator closed)."""
    environ = _environ()
    started = time.perf_counter()
    for _ in range(requests):
        environ["wsgi.input"] = io.BytesIO()
        result = app(dict(environ), _start_response)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - started) / requests * 1e6


def measure(requests: int, repeats: int, budget: float) -> dict[str, float]:
    """Median µs per request for each variant, interleaved, within ``budget`` seconds."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    variants: dict[str, Callable[..., Iterable[bytes]]] = {
        "native": wsgi_app,
        "a2wsgi": ASGIMiddleware(asgi_app, loop=loop),  # type: ignore[arg-type]
        "shim": to_wsgi(asgi_app),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    deadline = time.monotonic() + budget
    try:
        for app in variants.values():  # warm up
            per_request_us(app, max(50, requests // 20))
        for _ in range(repeats):
            for name, app in variants.items():
                samples[name].append(per_request_us(app, requests))
            if time.monotonic() > deadline:
                break
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    return {name: statistics.median(values) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the table and the cost ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds, at most")
    args = parser.parse_args(argv)
    result = measure(args.requests, args.repeats, args.budget)
    native = result["native"]
    for name, value in result.items():
        print(f"{name:8s} {value:8.1f} µs/request   added {value - native:7.1f} µs")
    ratio = (result["shim"] - native) / (result["a2wsgi"] - native)
    print(f"shim added cost / a2wsgi added cost = {ratio:.2f} (target <= 0.25)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
