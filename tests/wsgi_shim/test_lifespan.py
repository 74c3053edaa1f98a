"""Lifespan per worker process, in-process: gap 1 of issue 4.

Bare a2wsgi never sends a ``lifespan`` scope, so startup never runs and
``scope["state"]`` is missing: ``test_bare_a2wsgi_has_no_lifespan`` shows it,
the other tests show the shim doing it. Real-server versions (SIGTERM,
max-requests, a failing startup stopping Gunicorn) are in ``test_servers.py``.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from wsgi_shim import to_wsgi

from .apps import bare_a2wsgi, call, environ, start


class LifespanApp:
    """Records lifespan events; puts a value into the shared state at startup."""

    def __init__(self, fail: bool = False) -> None:
        self.events: list[str] = []
        self.fail = fail

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                self.events.append(message["type"])
                if message["type"] == "lifespan.startup":
                    if self.fail:
                        await send({"type": "lifespan.startup.failed", "message": "no database"})
                        return
                    scope["state"]["pool"] = "connected"
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        self.events.append("request")
        state = scope.get("state", {})
        await start(send)
        await send({"type": "http.response.body", "body": repr(state).encode()})


def test_startup_runs_once_before_the_first_request_and_state_is_shared() -> None:
    app = LifespanApp()
    shim = to_wsgi(app)
    assert app.events == []
    first = call(shim, environ("/"))
    second = call(shim, environ("/"))
    assert first.body == second.body == b"{'pool': 'connected'}"
    assert app.events == ["lifespan.startup", "request", "request"]
    shim.shutdown()
    assert app.events[-1] == "lifespan.shutdown"
    shim.shutdown()  # once only
    assert app.events.count("lifespan.shutdown") == 1


def test_request_state_is_a_copy() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            scope["state"]["n"] = 0
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        scope["state"]["n"] += 1
        await start(send)
        await send({"type": "http.response.body", "body": str(scope["state"]["n"]).encode()})

    shim = to_wsgi(app)
    assert call(shim, environ("/")).body == b"1"
    assert call(shim, environ("/")).body == b"1"
    shim.shutdown()


def test_failed_startup_refuses_every_request(caplog: pytest.LogCaptureFixture) -> None:
    app = LifespanApp(fail=True)
    shim = to_wsgi(app)
    with caplog.at_level(logging.ERROR, "wsgi_shim"):
        result = call(shim, environ("/"))
    assert result.status == "500 Internal Server Error"
    assert "no database" in caplog.text
    assert call(shim, environ("/")).status == "500 Internal Server Error"
    assert "request" not in app.events


def test_app_without_lifespan_support_is_still_served(caplog: pytest.LogCaptureFixture) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError("only http")
        await start(send)
        await send({"type": "http.response.body", "body": b"ok"})

    with caplog.at_level(logging.INFO, "wsgi_shim"):
        result = call(to_wsgi(app), environ("/"))
    assert result.body == b"ok"
    assert "unsupported" in caplog.text


def test_bare_a2wsgi_has_no_lifespan() -> None:
    app = LifespanApp()
    with bare_a2wsgi(app) as bare:
        result = call(bare, environ("/"))
    assert result.body == b"{}"
    assert app.events == ["request"]


def test_concurrent_first_requests_start_up_once() -> None:
    """gthread: several threads may bring the first requests of a worker at once."""
    import threading

    app = LifespanApp()
    shim = to_wsgi(app)
    barrier = threading.Barrier(4)
    bodies: list[bytes] = []

    def first_request() -> None:
        barrier.wait()
        bodies.append(call(shim, environ("/")).body)

    threads = [threading.Thread(target=first_request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert bodies == [b"{'pool': 'connected'}"] * 4
    assert app.events.count("lifespan.startup") == 1
    shim.shutdown()
    assert app.events[-1] == "lifespan.shutdown"
