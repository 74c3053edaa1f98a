"""PostgreSQL: a statement asyncpg already prepared runs on its protocol, keeping its rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from asgi_cycle.db import DatabaseWrapper
from asgi_cycle.db.backends.postgresql import _statements
from tests.db.test_postgresql_release import database_with

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of every query that went through asyncpg's ``Connection.fetch``."""
    calls: list[str] = []
    fetch = asyncpg.Connection.fetch

    async def counting(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return await fetch(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Connection, "fetch", counting)
    return calls


@pytest.fixture
async def handle(db: DatabaseWrapper) -> AsyncIterator[Any]:
    """An acquired backend connection, released afterwards."""
    connection = (await db.backend()).connection()
    await connection.acquire()
    try:
        yield connection
    finally:
        await connection.release()


async def values(handle: Any, sql: str, *args: Any) -> list[Any]:
    return [tuple(row) for row in await handle.fetch_rows(sql, list(args))]


async def test_a_prepared_statement_skips_fetch(handle: Any, fetches: list[str]) -> None:
    sql = "SELECT $1::int + 1"
    assert await values(handle, sql, 1) == [(2,)]
    assert await values(handle, sql, 2) == [(3,)]
    assert await values(handle, sql, 3) == [(4,)]
    assert fetches == [sql]  # only the first, which prepared it
    assert handle.rowcount == 1


async def test_without_asyncpgs_internals_fetch_runs(
    handle: Any, fetches: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_statements, "HAS_STATEMENT_PARTS", False)
    for _ in range(2):
        assert await values(handle, "SELECT 1") == [(1,)]
    assert len(fetches) == 2


async def test_query_loggers_still_see_every_query(handle: Any, fetches: list[str]) -> None:
    seen: list[str] = []
    await values(handle, "SELECT 1")
    with handle.raw_connection.query_logger(lambda record: seen.append(record.query)):
        await values(handle, "SELECT 1")
    await asyncio.sleep(0)  # asyncpg calls loggers soon after
    assert seen == ["SELECT 1"]
    assert len(fetches) == 2


async def test_a_changed_result_type_is_prepared_again(handle: Any) -> None:
    await handle.control("CREATE TABLE retyped (x int)")
    await handle.control("INSERT INTO retyped VALUES (7)")
    assert await values(handle, "SELECT * FROM retyped") == [(7,)]
    await handle.control("ALTER TABLE retyped ALTER COLUMN x TYPE text")
    assert await values(handle, "SELECT * FROM retyped") == [("7",)]


async def test_a_changed_result_type_in_a_transaction_raises(handle: Any) -> None:
    await handle.control("CREATE TABLE retyped (x int)")
    assert await values(handle, "SELECT * FROM retyped") == []
    await handle.control("ALTER TABLE retyped ALTER COLUMN x TYPE text")
    await handle.control("BEGIN")
    with pytest.raises(asyncpg.exceptions.InvalidCachedStatementError):
        await values(handle, "SELECT * FROM retyped")
    await handle.control("ROLLBACK")
    assert await values(handle, "SELECT * FROM retyped") == []


async def test_a_changed_composite_type_reloads_the_type_cache(handle: Any) -> None:
    await handle.control("CREATE TYPE pair AS (a int)")
    await handle.control("CREATE TABLE pairs (p pair)")
    await handle.control("INSERT INTO pairs VALUES (ROW(1))")
    sql = "SELECT p FROM pairs"
    assert await values(handle, sql) == [((1,),)]
    await handle.control("ALTER TYPE pair ADD ATTRIBUTE b int")
    with pytest.raises(asyncpg.exceptions.OutdatedSchemaCacheError):
        await values(handle, sql)
    assert await values(handle, sql) == [((1, None),)]


async def test_an_operation_in_progress_is_refused(handle: Any) -> None:
    await values(handle, "SELECT pg_sleep($1)", 0.0)
    slow = asyncio.create_task(values(handle, "SELECT pg_sleep($1)", 0.2))
    await asyncio.sleep(0.02)
    with pytest.raises(asyncpg.InterfaceError, match="another operation is in progress"):
        await values(handle, "SELECT pg_sleep($1)", 0.0)
    await slow


async def test_a_cancelled_query_leaves_a_usable_pool(db: DatabaseWrapper, handle: Any) -> None:
    await values(handle, "SELECT pg_sleep($1)", 0.0)
    slow = asyncio.create_task(values(handle, "SELECT pg_sleep($1)", 10.0))
    await asyncio.sleep(0.05)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    await handle.release()
    await handle.acquire()  # the fixture releases it again
    assert await asyncio.wait_for(values(handle, "SELECT 1"), 5) == [(1,)]
    pool: Any = (await db.backend())._pool  # type: ignore[attr-defined]
    assert pool.get_size() >= 1


async def test_a_closed_connection_has_no_statement(db_url: str) -> None:
    connection = await asyncpg.connect(db_url.partition("?")[0])
    try:
        await connection.fetch("SELECT 1")
        assert _statements.cached_statement(connection, "SELECT 1") is not None
        assert _statements.cached_statement(connection, "SELECT 2") is None
    finally:
        await connection.close()
    assert _statements.cached_statement(connection, "SELECT 1") is None
    assert _statements.cached_statement(None, "SELECT 1") is None


async def test_a_command_timeout_still_applies(db_url: str) -> None:
    async with database_with(db_url, {"command_timeout": 0.05}) as db:
        connection = (await db.backend()).connection()
        await connection.acquire()
        try:
            await values(connection, "SELECT pg_sleep($1)", 0.0)
            with pytest.raises(TimeoutError):
                await values(connection, "SELECT pg_sleep($1)", 5.0)
        finally:
            await connection.release()


async def test_a_changed_result_type_drops_the_pools_statements(
    db: DatabaseWrapper, handle: Any
) -> None:
    other = (await db.backend()).connection()
    await other.acquire()
    try:
        await handle.control("CREATE TABLE retyped (x int)")
        sql = "SELECT * FROM retyped"
        assert await values(handle, sql) == await values(other, sql) == []
        other_connection = other.raw_connection._con  # the proxied asyncpg connection
        assert _statements.cached_statement(other_connection, sql) is not None
        await handle.control("ALTER TABLE retyped ALTER COLUMN x TYPE text")
        assert await values(handle, sql) == []
        assert _statements.cached_statement(other_connection, sql) is None
    finally:
        await other.release()


async def test_a_pool_proxy_is_not_taken_for_its_connection(handle: Any) -> None:
    await values(handle, "SELECT 1")
    proxy = handle.raw_connection
    assert _statements.cached_statement(proxy._con, "SELECT 1") is not None
    assert _statements.cached_statement(proxy, "SELECT 1") is None
