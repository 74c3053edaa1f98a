"""Raw ASGI apps served by real servers in ``test_servers.py``.

Every lifespan event and cleanup is appended, with the process id, to the
file named by ``SHIM_EVENTS``, so a test can see what each worker did after
the server has gone.

- ``wsgi``: the app through the shim; ``failing``: its startup fails;
  ``bare``: the app through bare ``a2wsgi.ASGIMiddleware`` (for the fork test).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from typing import Any

from a2wsgi import ASGIMiddleware

from asgi_cycle.types import Receive, Scope, Send
from wsgi_shim import to_wsgi

_barrier = threading.Barrier(2, timeout=20)


def record(event: str) -> None:
    """Append ``event pid`` to the events file."""
    path = os.environ.get("SHIM_EVENTS")
    if path:
        with open(path, "a") as file:
            file.write(f"{event} {os.getpid()}\n")


async def _lifespan(scope: Scope, receive: Receive, send: Send, fail: bool) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            record("startup")
            if fail:
                await send({"type": "lifespan.startup.failed", "message": "database unreachable"})
                return
            scope["state"]["started_by"] = os.getpid()
            await send({"type": "lifespan.startup.complete"})
        else:
            record("shutdown")
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _json(send: Send, data: Any) -> None:
    body = json.dumps(data).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def application(scope: Scope, receive: Receive, send: Send, fail: bool = False) -> None:
    """The test app (see the module docstring for the endpoints)."""
    if scope["type"] == "lifespan":
        await _lifespan(scope, receive, send, fail)
        return
    path = scope["path"]
    if path == "/pieces":
        pieces: list[Any] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                record("disconnect")
                pieces.append("disconnect")
                break
            pieces.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await _json(send, pieces)
    elif path == "/stream-forever":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            while True:
                await send({"type": "http.response.body", "body": b"x" * 1024, "more_body": True})
                await asyncio.sleep(0.01)
        finally:
            record("finally")
    elif path == "/broken-stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise ValueError("stream broke after the headers")
    elif path == "/broken":
        raise ValueError("broke before the headers")
    elif path == "/barrier":
        _barrier.wait()  # returns only when two requests are inside at once
        await _json(send, {"thread": threading.get_ident()})
    else:
        headers = [[k.decode(), v.decode()] for k, v in scope["headers"]]
        await _json(
            send,
            {
                "pid": os.getpid(),
                "state": scope.get("state"),
                "headers": headers,
                "server": scope.get("server"),
                "raw_path": scope.get("raw_path", b"").decode(),
            },
        )


async def failing_application(scope: Scope, receive: Receive, send: Send) -> None:
    """The same app, whose startup fails."""
    await application(scope, receive, send, fail=True)


wsgi = to_wsgi(application)
failing = to_wsgi(failing_application)


def __getattr__(name: str) -> Any:
    # Built only when asked for: a2wsgi starts its loop thread on construction.
    if name == "bare":
        return ASGIMiddleware(application)  # type: ignore[arg-type]
    raise AttributeError(name)
