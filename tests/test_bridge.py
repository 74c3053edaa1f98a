"""The sync<->async bridge: asgi_cycle.utils.asyncio."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

from asgi_cycle.core.exceptions import SynchronousOnlyOperation
from asgi_cycle.utils.asyncio import (
    async_to_sync,
    is_async_callable,
    markcoroutinefunction,
    sync_to_async,
)

current = contextvars.ContextVar("current", default="unset")


async def double(x: int) -> tuple[int, int]:
    return x * 2, threading.get_ident()


async def test_sync_code_in_worker_reaches_the_request_loop() -> None:
    loop_thread = threading.get_ident()

    def blocking() -> tuple[int, int, int]:
        value, ran_on = async_to_sync(double)(21)
        return value, ran_on, threading.get_ident()

    value, ran_on, worker = await sync_to_async(blocking)()
    assert value == 42
    assert ran_on == loop_thread
    assert worker != loop_thread


async def test_context_variables_cross_both_ways() -> None:
    current.set("request-1")

    async def read() -> str:
        return current.get()

    def blocking() -> tuple[str, str]:
        return current.get(), async_to_sync(read)()

    assert await sync_to_async(blocking)() == ("request-1", "request-1")


async def test_blocking_call_on_the_loop_thread_is_refused() -> None:
    with pytest.raises(SynchronousOnlyOperation, match="async twin"):
        async_to_sync(double)(1)


def test_without_a_loop_the_portal_loop_serves_and_persists() -> None:
    async def loop_id() -> int:
        return id(asyncio.get_running_loop())

    first = async_to_sync(loop_id)()
    second = async_to_sync(loop_id)()
    assert first == second


def test_is_async_callable_sees_functions_partials_and_instances() -> None:
    import functools

    class AsyncCallable:
        async def __call__(self) -> None: ...

    class Marked:
        def __init__(self) -> None:
            markcoroutinefunction(self)

        def __call__(self) -> None: ...

    assert is_async_callable(double)
    assert is_async_callable(functools.partial(double, 1))
    assert is_async_callable(AsyncCallable())
    assert is_async_callable(Marked())
    assert not is_async_callable(print)
    assert not is_async_callable(lambda: None)
