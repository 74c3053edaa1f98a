"""PostgreSQL: a clean connection goes back to asyncpg's pool at once, keeping its rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest

from asgi_cycle.db import DatabaseWrapper, connections
from asgi_cycle.test.utils import override_settings

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


async def pid(db: DatabaseWrapper, *, raw: bool = False, begin: bool = False) -> int:
    """The server process of one acquire/release, used only as the ORM's reads use it."""
    handle = (await db.backend()).connection()
    await handle.acquire()
    try:
        if begin:
            await handle.control("BEGIN")
        if raw:
            return int(await handle.raw_connection.fetchval("SELECT pg_backend_pid()"))
        rows = await handle.fetch_rows("SELECT pg_backend_pid()", [])
        return int(rows[0][0])
    finally:
        await handle.release()


@asynccontextmanager
async def database_with(db_url: str, options: dict[str, Any]) -> AsyncIterator[DatabaseWrapper]:
    """The default database at ``db_url`` with these ``OPTIONS``, disconnected after."""
    with override_settings(DATABASES={"default": {"URL": db_url, "OPTIONS": options}}):
        db = connections["default"]
        try:
            yield db
        finally:
            await db.adisconnect()


@pytest.fixture
def pool_releases(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every connection that went through ``asyncpg.Pool.release``."""
    calls: list[Any] = []
    release = asyncpg.Pool.release

    async def counting(self: Any, connection: Any, **kwargs: Any) -> Any:
        calls.append(connection)
        return await release(self, connection, **kwargs)

    monkeypatch.setattr(asyncpg.Pool, "release", counting)
    return calls


async def test_a_clean_read_is_released_without_the_pool(
    db: DatabaseWrapper, pool_releases: list[Any]
) -> None:
    first = await pid(db)
    assert await pid(db) == first
    pool = (await db.backend())._pool  # type: ignore[attr-defined]
    assert pool_releases == []
    assert pool.get_idle_size() == pool.get_size() == 1


async def test_anything_else_goes_through_the_pool(
    db: DatabaseWrapper, pool_releases: list[Any]
) -> None:
    await pid(db, raw=True)
    await pid(db, begin=True)
    assert len(pool_releases) == 2
    handle = (await db.backend()).connection()
    await handle.acquire()
    try:
        assert not handle.raw_connection.is_in_transaction()  # asyncpg rolled it back
    finally:
        await handle.release()


async def test_a_session_change_is_still_reset(db: DatabaseWrapper) -> None:
    handle = (await db.backend()).connection()
    await handle.acquire()
    try:
        await handle.raw_connection.execute("SET application_name = 'changed'")
    finally:
        await handle.release()
    for _ in range(3):
        await pid(db)
    assert await db.fetch_val("SHOW application_name") != "changed"


async def test_max_queries_still_replaces_the_connection(db_url: str) -> None:
    async with database_with(db_url, {"max_queries": 2}) as db:
        pids = [await pid(db) for _ in range(6)]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4] == pids[5]


async def test_an_idle_connection_still_expires(db_url: str) -> None:
    options = {"min_size": 0, "max_inactive_connection_lifetime": 0.05}
    async with database_with(db_url, options) as db:
        await pid(db)
        pool = (await db.backend())._pool  # type: ignore[attr-defined]
        assert pool.get_size() == 1
        for _ in range(100):
            if pool.get_size() == 0:
                break
            await asyncio.sleep(0.02)
        assert pool.get_size() == 0


async def test_disconnect_closes_connections_released_at_once(db: DatabaseWrapper) -> None:
    await asyncio.gather(*(pid(db) for _ in range(20)))
    pool = (await db.backend())._pool  # type: ignore[attr-defined]
    connections_used = [holder._con for holder in pool._holders if holder._con is not None]
    assert connections_used
    await asyncio.wait_for(db.adisconnect(), 10)
    assert pool._closed
    assert all(connection.is_closed() for connection in connections_used)


async def test_a_connection_class_from_options_keeps_asyncpgs_release(
    db_url: str, pool_releases: list[Any]
) -> None:
    async with database_with(db_url, {"connection_class": asyncpg.Connection}) as db:
        assert await pid(db) == await pid(db)
    assert len(pool_releases) == 2


async def test_a_reset_callback_keeps_asyncpgs_release(
    db_url: str, pool_releases: list[Any]
) -> None:
    resets: list[Any] = []

    async def reset(connection: Any) -> None:
        resets.append(connection)

    async with database_with(db_url, {"reset": reset}) as db:
        assert await pid(db) == await pid(db)
    assert len(pool_releases) == len(resets) == 2
