"""A request's first step runs without starting the loop, yet sees a normal task.

``_loops.start_task`` takes the app's first step outside ``run_until_complete``
(most responses end there). These tests pin what an app must still see in that
step, the same as under Uvicorn: a current task, a running loop that says it
runs, callbacks it schedules being run, async generators finalised by the
loop, and a task that suspends going on under the loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

from wsgi_shim import to_wsgi
from wsgi_shim._loops import close_thread_loop

from .apps import call, environ, start


def _http_only(scope: Any) -> None:
    if scope["type"] != "http":
        raise RuntimeError("no lifespan here")  # the shim then runs without one


def _plain(body: bytes) -> dict[str, Any]:
    return {"type": "http.response.body", "body": body}


def test_the_first_step_has_a_current_task_and_a_running_loop() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        _http_only(scope)
        seen["task"] = asyncio.current_task()
        seen["loop"] = asyncio.get_running_loop()
        seen["running"] = seen["loop"].is_running()  # other threads check it
        async with asyncio.timeout(5):  # needs a current task, as under Uvicorn
            await start(send)
            await send(_plain(b"ok"))

    result = call(to_wsgi(app), environ("/"))
    assert result.body == b"ok"
    assert isinstance(seen["task"], asyncio.Task) and seen["task"].done()
    assert seen["loop"].is_closed() is False
    assert seen["running"] is True
    assert seen["loop"].is_running() is False  # between requests it is idle


def test_callbacks_scheduled_by_a_finished_step_run_before_the_call_returns() -> None:
    ran: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        _http_only(scope)
        loop = asyncio.get_running_loop()
        loop.call_soon(ran.append, "callback")
        loop.create_task(_note(ran, "task"))
        await start(send)
        await send(_plain(b"ok"))

    assert call(to_wsgi(app), environ("/")).body == b"ok"
    assert ran == ["callback", "task"]


async def _note(ran: list[str], what: str) -> None:
    ran.append(what)


def test_an_unfinished_async_generator_is_closed_by_its_loop() -> None:
    closed: list[str] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            yield 1
            yield 2
        finally:
            closed.append("finally")

    kept: list[AsyncIterator[int]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        _http_only(scope)
        generator = numbers()
        kept.append(generator)  # still referenced: only the loop's shutdown can close it
        first = await generator.__anext__()
        await start(send)
        await send(_plain(str(first).encode()))

    def serve_then_close() -> None:
        assert call(to_wsgi(app), environ("/")).body == b"1"
        assert closed == []
        close_thread_loop()  # shutdown_asyncgens knows it: the step registered it

    worker = threading.Thread(target=serve_then_close)
    worker.start()
    worker.join(10)
    assert closed == ["finally"]


def test_a_task_that_suspends_goes_on_under_the_loop() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        _http_only(scope)
        await asyncio.sleep(0.01)
        await asyncio.get_running_loop().run_in_executor(None, lambda: None)
        await start(send)
        await send(_plain(b"later"))

    assert call(to_wsgi(app), environ("/")).body == b"later"
