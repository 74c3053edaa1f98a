"""transaction.atomic on both backends: commit, rollback, savepoints, the bridge."""

from __future__ import annotations

import asyncio
import contextvars
from pathlib import Path

import databases
import pytest
import sqlalchemy as sa

from asgi_cycle.core.exceptions import SynchronousOnlyOperation
from asgi_cycle.db import DatabaseWrapper, connections
from asgi_cycle.db.transaction import (
    TransactionManagementError,
    atomic,
    atomic_request,
    non_atomic_requests,
)
from asgi_cycle.test.utils import override_settings
from asgi_cycle.utils.asyncio import run_sync, sync_to_async

rows = sa.Table("rows", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))


class Boom(Exception):
    pass


async def setup_table(db: DatabaseWrapper) -> None:
    await db.execute(sa.schema.CreateTable(rows))


async def ids(db: DatabaseWrapper) -> list[int]:
    return [r["id"] for r in await db.fetch_all(sa.select(rows.c.id).order_by(rows.c.id))]


def insert(i: int) -> sa.Insert:
    return rows.insert().values(id=i)


async def test_commit_on_success(db: DatabaseWrapper) -> None:
    await setup_table(db)
    async with atomic():
        await db.execute(insert(1))
        await db.execute(insert(2))
    assert await ids(db) == [1, 2]


async def test_rollback_on_exception(db: DatabaseWrapper) -> None:
    await setup_table(db)
    with pytest.raises(Boom):
        async with atomic():
            await db.execute(insert(1))
            raise Boom
    assert await ids(db) == []


async def test_nested_block_rolls_back_alone(db: DatabaseWrapper) -> None:
    await setup_table(db)
    async with atomic():
        await db.execute(insert(1))
        with pytest.raises(Boom):
            async with atomic():
                await db.execute(insert(2))
                raise Boom
        async with atomic():
            await db.execute(insert(3))
    assert await ids(db) == [1, 3]


async def test_uncommitted_rows_are_invisible_to_other_connections(db: DatabaseWrapper) -> None:
    await setup_table(db)
    async with atomic():
        await db.execute(insert(1))
        assert await ids(db) == [1]  # same (pinned) connection sees its own write

        async def outside() -> list[int]:
            # A fresh context: no pin, so another pooled connection and its own snapshot.
            return await ids(db)

        seen = await asyncio.create_task(outside(), context=contextvars.Context())
        assert seen == []
    assert await ids(db) == [1]


async def test_decorates_async_and_sync_functions(db: DatabaseWrapper) -> None:
    await setup_table(db)

    @atomic
    async def async_fails() -> None:
        await db.execute(insert(1))
        raise Boom

    @atomic(using="default")
    def sync_fails() -> None:
        run_sync(db.execute(insert(2)))
        raise Boom

    @atomic()
    def sync_works() -> str:
        run_sync(db.execute(insert(3)))
        return "ok"

    with pytest.raises(Boom):
        await async_fails()
    with pytest.raises(Boom):
        await sync_to_async(sync_fails)()
    assert await sync_to_async(sync_works)() == "ok"
    assert await ids(db) == [3]


async def test_async_block_covers_sync_code_bridged_from_a_worker(db: DatabaseWrapper) -> None:
    await setup_table(db)

    def sync_part() -> None:
        # Each run_sync call becomes a new task on the loop, with this thread's context.
        run_sync(db.execute(insert(2)))
        run_sync(db.execute(insert(3)))

    with pytest.raises(Boom):
        async with atomic():
            await db.execute(insert(1))
            await sync_to_async(sync_part)()
            assert await ids(db) == [1, 2, 3]
            raise Boom
    assert await ids(db) == []


async def test_sync_atomic_in_a_sync_view(db: DatabaseWrapper) -> None:
    await setup_table(db)

    def view(fail: bool) -> None:
        with atomic():
            run_sync(db.execute(insert(10)))
            with pytest.raises(Boom), atomic():
                run_sync(db.execute(insert(11)))
                raise Boom
            if fail:
                raise Boom

    with pytest.raises(Boom):
        await sync_to_async(view)(True)
    assert await ids(db) == []
    await sync_to_async(view)(False)
    assert await ids(db) == [10]


async def test_atomic_request_wraps_a_view_like_the_handler(db: DatabaseWrapper) -> None:
    await setup_table(db)

    def failing_view() -> None:
        run_sync(db.execute(insert(1)))
        raise Boom

    async def async_view() -> str:
        await db.execute(insert(2))
        return "done"

    with pytest.raises(Boom):
        await sync_to_async(atomic_request("default")(failing_view))()
    assert await atomic_request("default")(async_view)() == "done"
    assert await ids(db) == [2]

    @non_atomic_requests
    def skipped() -> None: ...

    @non_atomic_requests("other")
    def skipped_other() -> None: ...

    assert skipped._non_atomic_requests == {"default"}  # type: ignore[attr-defined]
    assert skipped_other._non_atomic_requests == {"other"}  # type: ignore[attr-defined]


async def test_sync_atomic_on_the_loop_raises_and_leaves_no_transaction(
    db: DatabaseWrapper,
) -> None:
    await setup_table(db)
    with pytest.raises(SynchronousOnlyOperation), atomic():
        pass  # pragma: no cover - never entered
    # Nothing is pinned afterwards: this write commits on its own.
    await db.execute(insert(1))
    assert await ids(db) == [1]


def test_sync_atomic_from_a_script(sync_db: DatabaseWrapper) -> None:
    run_sync(sync_db.execute(sa.schema.CreateTable(rows)))
    with pytest.raises(Boom), atomic():
        run_sync(sync_db.execute(insert(1)))
        raise Boom
    with atomic():
        run_sync(sync_db.execute(insert(2)))
    assert [r["id"] for r in run_sync(sync_db.fetch_all(sa.select(rows)))] == [2]


async def test_many_concurrent_transactions(db: DatabaseWrapper) -> None:
    await setup_table(db)

    async def work(i: int) -> None:
        async with atomic():
            await db.execute(insert(2 * i + 1))
            await db.execute(insert(2 * i + 2))

    await asyncio.gather(*(work(i) for i in range(50)))
    assert await ids(db) == list(range(1, 101))


async def test_gathered_tasks_share_the_transaction(db: DatabaseWrapper) -> None:
    await setup_table(db)
    with pytest.raises(Boom):
        async with atomic():
            await asyncio.gather(*(db.execute(insert(i)) for i in range(1, 21)))
            assert len(await ids(db)) == 20
            raise Boom
    assert await ids(db) == []


async def test_task_outliving_the_block_runs_outside_it(db: DatabaseWrapper) -> None:
    await setup_table(db)
    release = asyncio.Event()

    async def late() -> None:
        await release.wait()
        await db.execute(insert(5))

    async with atomic():
        task = asyncio.create_task(late())
    release.set()
    await task
    assert await ids(db) == [5]


async def test_durable_block_refuses_nesting(db: DatabaseWrapper) -> None:
    await setup_table(db)
    async with atomic(durable=True):
        await db.execute(insert(1))
    with pytest.raises(TransactionManagementError, match="durable"):
        async with atomic():
            async with atomic(durable=True):
                pass  # pragma: no cover
    assert await ids(db) == [1]


async def test_failed_block_without_savepoint_dooms_the_transaction(db: DatabaseWrapper) -> None:
    await setup_table(db)
    async with atomic():
        await db.execute(insert(1))
        with pytest.raises(Boom):
            async with atomic(savepoint=False):
                raise Boom
    assert await ids(db) == []


async def test_using_selects_the_database(db: DatabaseWrapper, tmp_path: Path) -> None:
    other_url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    settings = {"default": {"URL": str(db.config.url.render_as_string(False))}}
    settings["other"] = {"URL": other_url}
    with override_settings(DATABASES=settings):
        default, other = connections["default"], connections["other"]
        try:
            await setup_table(default)
            await setup_table(other)
            with pytest.raises(Boom):
                async with atomic(using="other"):
                    await other.execute(insert(1))
                    await default.execute(insert(2))  # not in a transaction: commits
                    raise Boom
            assert await ids(other) == []
            assert await ids(default) == [2]
        finally:
            await default.adisconnect()
            await other.adisconnect()


async def test_plain_databases_binds_connections_to_tasks(tmp_path: Path) -> None:
    """Why the wrapper pins connections itself: ``databases`` 0.9 gives every task its
    own connection, so a new task (what the bridge makes) falls outside the transaction
    and, on SQLite, waits on the transaction's write lock."""
    database = databases.Database(f"sqlite:///{tmp_path / 'plain.sqlite3'}", timeout=0.05)
    await database.connect()
    try:
        await database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        async with database.transaction(force_rollback=False):
            await database.execute("INSERT INTO t (id) VALUES (1)")
            with pytest.raises(Exception, match="database is locked"):
                await asyncio.create_task(database.execute("INSERT INTO t (id) VALUES (2)"))
    finally:
        await database.disconnect()


@pytest.mark.parametrize("wsgi", [False, True], ids=["asgi", "wsgi"])
async def test_atomic_requests_roll_back_a_failing_view(db: DatabaseWrapper, wsgi: bool) -> None:
    from asgi_cycle.core.asgi import get_asgi_application
    from asgi_cycle.test.client import AsyncClient

    await create_hits(db)
    url = db.config.url.render_as_string(hide_password=False)
    databases_setting = {"default": {"URL": url, "ATOMIC_REQUESTS": True}}
    with override_settings(DATABASES=databases_setting, ROOT_URLCONF="tests.db.atomic_urls"):
        wrapper = connections["default"]
        try:
            async with AsyncClient(get_asgi_application(), wsgi=wsgi) as client:
                for kind in ("sync", "async"):
                    assert (await client.get(f"/{kind}/1/")).status_code == 500
                    assert (await client.get(f"/{kind}/0/")).status_code == 200
                assert (await client.get("/non-atomic/")).status_code == 500
            labels = await wrapper.fetch_all("SELECT label FROM hits ORDER BY id")
            assert [r["label"] for r in labels] == ["sync", "async", "non-atomic"]
        finally:
            await wrapper.adisconnect()


async def create_hits(db: DatabaseWrapper) -> None:
    """The ``hits`` table the views in tests.db.atomic_urls write to."""
    key = "INTEGER PRIMARY KEY" if db.vendor == "sqlite" else "SERIAL PRIMARY KEY"
    await db.execute(f"CREATE TABLE hits (id {key}, label TEXT)")


async def test_cancelled_task_rolls_back_and_frees_the_connection(db: DatabaseWrapper) -> None:
    await setup_table(db)
    inside = asyncio.Event()

    async def request() -> None:
        async with atomic():
            await db.execute(insert(1))
            inside.set()
            await asyncio.sleep(30)  # the client goes away while the view waits

    task = asyncio.create_task(request())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The write lock and the connection are free again: new writes go straight through.
    await asyncio.wait_for(db.execute(insert(2)), timeout=10)
    assert await ids(db) == [2]


async def test_on_commit_runs_after_the_outermost_commit(db: DatabaseWrapper) -> None:
    from asgi_cycle.db.transaction import on_commit

    await setup_table(db)
    calls: list[str] = []

    async def async_callback() -> None:
        calls.append("async")

    on_commit(lambda: calls.append("no transaction"))  # runs at once
    async with atomic():
        await db.execute(insert(1))
        on_commit(lambda: calls.append("outer"))
        async with atomic():
            on_commit(lambda: calls.append("inner kept"))
        with pytest.raises(Boom):
            async with atomic():
                on_commit(lambda: calls.append("inner rolled back"))
                raise Boom
        on_commit(async_callback)
        assert calls == ["no transaction"]
    assert calls == ["no transaction", "outer", "inner kept", "async"]

    with pytest.raises(Boom):
        async with atomic():
            on_commit(lambda: calls.append("never"))
            raise Boom
    assert "never" not in calls


async def test_on_commit_from_a_sync_view(db: DatabaseWrapper) -> None:
    from asgi_cycle.db.transaction import on_commit

    await setup_table(db)
    calls: list[int] = []

    def view() -> None:
        with atomic():
            run_sync(db.execute(insert(1)))
            on_commit(lambda: calls.append(run_sync(db.fetch_val("SELECT count(*) FROM rows"))))
            assert calls == []

    await sync_to_async(view)()
    assert calls == [1]  # ran after COMMIT, outside the transaction, and saw the row


async def test_set_rollback_without_raising(db: DatabaseWrapper) -> None:
    from asgi_cycle.db.transaction import get_rollback, set_rollback

    await setup_table(db)
    async with atomic():
        await db.execute(insert(1))
        async with atomic():
            await db.execute(insert(2))
            set_rollback(True)
            assert get_rollback()
        assert not get_rollback()  # the savepoint absorbed it
    assert await ids(db) == [1]
    async with atomic():
        await db.execute(insert(3))
        set_rollback(True)
    assert await ids(db) == [1]
    with pytest.raises(TransactionManagementError, match="inside an 'atomic' block"):
        set_rollback(True)
