"""querylog.collect(): every query in the context is recorded, across the bridge."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from asgi_cycle.db import DatabaseWrapper, querylog
from asgi_cycle.db.transaction import atomic
from asgi_cycle.utils.asyncio import run_sync, sync_to_async

things = sa.Table(
    "things",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
)


async def test_records_sql_params_rows_duration_alias(db: DatabaseWrapper) -> None:
    await db.execute(sa.schema.CreateTable(things))
    with querylog.collect() as records:
        await db.execute(things.insert().values(name="a"))
        await db.execute_many(things.insert(), [{"name": "b"}, {"name": "c"}])
        await db.fetch_all(sa.select(things).where(things.c.id > 0))
        await db.fetch_one(sa.select(things).where(things.c.name == "zz"))
        await db.fetch_val("SELECT count(*) FROM things")
        streamed = [row async for row in db.iterate(sa.select(things))]
        await db.execute(things.update().values(name="x"))
    assert len(streamed) == 3
    kinds = [r.sql.split()[0].upper() for r in records]
    assert kinds == [
        "INSERT",
        "INSERT",
        "INSERT",
        "SELECT",
        "SELECT",
        "SELECT",
        "SELECT",
        "UPDATE",
    ]
    assert [r.params_count for r in records] == [1, 1, 1, 1, 1, 0, 0, 1]
    assert [r.rows for r in records] == [1, 1, 1, 3, 0, 1, 3, 3]
    assert all(r.alias == "default" and r.duration >= 0 for r in records)
    assert "things" in records[3].sql


async def test_nothing_recorded_outside_collect(db: DatabaseWrapper) -> None:
    assert not querylog.is_collecting()
    with querylog.collect() as records:
        pass
    await db.fetch_val("SELECT 1")
    assert records == []


async def test_sync_queries_through_the_bridge_are_collected(db: DatabaseWrapper) -> None:
    def sync_view() -> None:
        run_sync(db.fetch_val("SELECT 1"))
        with atomic():
            run_sync(db.fetch_val("SELECT 2"))

    with querylog.collect() as records:
        await sync_to_async(sync_view)()
    assert [r.sql for r in records] == ["SELECT 1", "SELECT 2"]


async def test_collectors_are_per_context(db: DatabaseWrapper) -> None:
    async def request(n: int) -> list[querylog.QueryRecord]:
        with querylog.collect() as records:
            for _ in range(n):
                await db.fetch_val("SELECT 1")
                await asyncio.sleep(0)
        return records

    first, second = await asyncio.gather(request(2), request(5))
    assert (len(first), len(second)) == (2, 5)


async def test_nested_collectors_both_see_queries(db: DatabaseWrapper) -> None:
    with querylog.collect() as outer:
        await db.fetch_val("SELECT 1")
        with querylog.collect() as inner:
            await db.fetch_val("SELECT 2")
    assert len(outer) == 2
    assert len(inner) == 1
