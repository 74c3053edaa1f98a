"""PostgreSQL: an idle connection is taken from asyncpg's pool at once, keeping its rules."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from asgi_cycle.db import DatabaseWrapper
from asgi_cycle.db.backends.postgresql import _pool
from tests.db.test_postgresql_release import database_with, pid

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def pool_acquires(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """One entry per acquire that went through asyncpg's ``Pool._acquire``."""
    calls: list[Any] = []
    acquire = asyncpg.Pool._acquire

    async def counting(self: Any, *args: Any) -> Any:
        calls.append(args)
        return await acquire(self, *args)

    monkeypatch.setattr(asyncpg.Pool, "_acquire", counting)
    return calls


def pool_of(db: DatabaseWrapper) -> Any:
    backend: Any = db._backends[asyncio.get_running_loop()]
    return backend._pool


async def test_an_idle_connection_is_taken_without_the_pool(
    db: DatabaseWrapper, pool_acquires: list[Any]
) -> None:
    first = await pid(db)
    assert [await pid(db) for _ in range(3)] == [first] * 3
    assert pool_acquires == []
    pool = pool_of(db)
    assert pool.get_idle_size() == pool.get_size() == 1


async def test_without_asyncpgs_internals_the_pool_acquires(
    db: DatabaseWrapper, pool_acquires: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_pool, "HAS_POOL_PARTS", False)
    first = await pid(db)
    assert await pid(db) == first
    assert len(pool_acquires) == 2


async def test_a_busy_pool_acquires_through_asyncpg(
    db: DatabaseWrapper, pool_acquires: list[Any]
) -> None:
    pids = await asyncio.gather(*(pid(db) for _ in range(5)))
    assert len(set(pids)) > 1  # the others waited for or opened their own connections
    assert pool_acquires
    pool = pool_of(db)
    assert pool.get_idle_size() == pool.get_size()


async def test_expired_connections_are_replaced(db: DatabaseWrapper) -> None:
    first = await pid(db)
    await pool_of(db).expire_connections()
    second = await pid(db)
    assert second != first
    assert await pid(db) == second


async def test_a_setup_callback_still_runs_on_every_acquire(db_url: str) -> None:
    seen: list[Any] = []

    async def setup(connection: Any) -> None:
        seen.append(connection)

    async with database_with(db_url, {"setup": setup}) as db:
        for _ in range(3):
            await pid(db)
    assert len(seen) == 3


async def test_a_closed_pool_refuses(db: DatabaseWrapper) -> None:
    await pid(db)
    backend: Any = await db.backend()
    await backend._pool.close()
    handle = backend.connection()
    with pytest.raises(asyncpg.InterfaceError, match="closed"):
        await handle.acquire()


async def test_a_closing_pool_refuses(db: DatabaseWrapper) -> None:
    await pid(db)
    backend: Any = await db.backend()
    held = backend.connection()
    await held.acquire()
    closing = asyncio.create_task(backend._pool.close())
    await asyncio.sleep(0)  # close() now waits for the held connection
    try:
        with pytest.raises(asyncpg.InterfaceError, match="closing"):
            await backend.connection().acquire()
    finally:
        await held.release()
        await closing


async def test_cancelling_a_waiting_acquire_loses_no_connection(db_url: str) -> None:
    async with database_with(db_url, {"min_size": 1, "max_size": 1}) as db:
        first = await pid(db)
        backend: Any = await db.backend()
        held = backend.connection()
        await held.acquire()
        waiter = asyncio.create_task(backend.connection().acquire())
        await asyncio.sleep(0.01)
        assert not waiter.done()  # waiting in asyncpg's queue
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await held.release()
        assert await pid(db) == first
        pool = backend._pool
        assert pool.get_idle_size() == pool.get_size() == 1


async def test_an_acquire_cancelled_before_it_runs_takes_nothing(db: DatabaseWrapper) -> None:
    await pid(db)
    backend: Any = await db.backend()
    handle = backend.connection()
    task = asyncio.create_task(handle.acquire())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    pool = backend._pool
    assert pool.get_idle_size() == pool.get_size() == 1
    await handle.acquire()  # the handle holds nothing yet
    await handle.release()


async def test_a_waiter_is_served_when_the_connection_comes_back(db_url: str) -> None:
    async with database_with(db_url, {"min_size": 1, "max_size": 1}) as db:
        backend: Any = await db.backend()
        held = backend.connection()
        await held.acquire()
        waiting = backend.connection()
        waiter = asyncio.create_task(waiting.acquire())
        await asyncio.sleep(0.01)
        await held.release()
        await asyncio.wait_for(waiter, 5)
        assert waiting.raw_connection is not None
        await waiting.release()
        pool = backend._pool
        assert pool.get_idle_size() == pool.get_size() == 1
