"""The connection API on both backends: queries, return values, config errors, loops."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from asgi_cycle.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from asgi_cycle.db import DatabaseWrapper, aconnect_all, adisconnect_all, connections
from asgi_cycle.db.transaction import atomic
from asgi_cycle.test.utils import override_settings
from asgi_cycle.utils.asyncio import run_sync, sync_to_async

metadata = sa.MetaData()
items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("price", sa.Text),
)


async def create_items(db: DatabaseWrapper) -> None:
    await db.execute(sa.schema.CreateTable(items))


async def test_vendor_dialect_url(db: DatabaseWrapper, db_vendor: str) -> None:
    assert db.alias == "default"
    assert db.vendor == db_vendor
    assert db.dialect.name == db_vendor
    assert db.url.startswith("sqlite" if db_vendor == "sqlite" else "postgresql")


async def test_core_statements_round_trip(db: DatabaseWrapper) -> None:
    await create_items(db)
    first = await db.execute(items.insert().values(name="a", price="1.50"))
    assert first == 1 or db.vendor == "postgresql"
    new_id = await db.execute(items.insert().values(name="b").returning(items.c.id))
    assert new_id == 2
    rows = await db.fetch_all(sa.select(items).order_by(items.c.id))
    assert [(r["id"], r["name"], r[2]) for r in rows] == [(1, "a", "1.50"), (2, "b", None)]
    row = await db.fetch_one(sa.select(items).where(items.c.name == "b"))
    assert row is not None and row._mapping["id"] == 2
    assert await db.fetch_one(sa.select(items).where(items.c.name == "zz")) is None
    assert await db.fetch_val(sa.select(sa.func.count()).select_from(items)) == 2
    updated = await db.execute(items.update().values(name="c"))
    assert updated == 2
    deleted = await db.execute(items.delete().where(items.c.id == 1))
    assert deleted == 1


async def test_insert_without_returning(db: DatabaseWrapper) -> None:
    await create_items(db)
    await db.execute(items.insert().values(name="x"))
    result = await db.execute(items.insert().values(name="y"))
    # SQLite gives the new rowid, PostgreSQL the rowcount (documented).
    assert result == (2 if db.vendor == "sqlite" else 1)
    # A reused connection must not report a stale lastrowid for an UPDATE.
    assert await db.execute(items.update().where(items.c.id == 99).values(name="z")) == 0


async def test_raw_sql_with_values(db: DatabaseWrapper) -> None:
    await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT)")
    await db.execute("INSERT INTO t (id, label) VALUES (:id, :label)", {"id": 7, "label": "q"})
    await db.execute_many(
        "INSERT INTO t (id, label) VALUES (:id, :label)",
        [{"id": 8, "label": "r"}, {"id": 9, "label": "s"}],
    )
    rows = await db.fetch_all("SELECT id, label FROM t WHERE id >= :low ORDER BY id", {"low": 8})
    assert [(r[0], r[1]) for r in rows] == [(8, "r"), (9, "s")]
    assert await db.fetch_val("SELECT label FROM t WHERE id = :id", {"id": 7}) == "q"
    assert await db.execute("UPDATE t SET label = 'x' WHERE id > :id", {"id": 7}) == 2


async def test_literal_percent_signs_in_sql(db: DatabaseWrapper) -> None:
    assert await db.fetch_val("SELECT 'a%b' LIKE 'a%'") in (1, True)
    assert await db.fetch_val("SELECT :v LIKE '%b'", {"v": "a%b"}) in (1, True)


class Cents(sa.types.TypeDecorator[Decimal]):
    """Stores a Decimal as integer cents: bind and result processors must both run."""

    impl = sa.Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: object) -> int | None:
        return None if value is None else int(value * 100)

    def process_result_value(self, value: int | None, dialect: object) -> Decimal | None:
        return None if value is None else Decimal(value) / 100


async def test_repeated_statements_bind_fresh_values(db: DatabaseWrapper) -> None:
    prices = sa.Table(
        "prices",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("amount", Cents),
    )
    await db.execute(sa.schema.CreateTable(prices))
    for i in range(1, 6):
        await db.execute(prices.insert().values(id=i, amount=Decimal(i) + Decimal("0.25")))
    # Same structure, new values each time: compiled once, bound afresh.
    for i in range(1, 6):
        row = await db.fetch_one(sa.select(prices).where(prices.c.id == i))
        assert row is not None and row["amount"] == Decimal(i) + Decimal("0.25")
    assert await db.fetch_val(sa.select(prices.c.amount).where(prices.c.id == 2)) == Decimal(
        "2.25"
    )
    for wanted in ([1, 2, 3], [4, 5], [2], []):
        rows = await db.fetch_all(sa.select(prices.c.id).where(prices.c.id.in_(wanted)))
        assert sorted(r["id"] for r in rows) == wanted
    cheap = await db.fetch_all(sa.select(prices.c.id).where(prices.c.amount < Decimal("3")))
    assert sorted(r["id"] for r in cheap) == [1, 2]


async def test_execute_many_core(db: DatabaseWrapper) -> None:
    await create_items(db)
    await db.execute_many(items.insert(), [{"name": f"n{i}"} for i in range(5)])
    assert await db.fetch_val(sa.select(sa.func.count()).select_from(items)) == 5


async def test_iterate(db: DatabaseWrapper) -> None:
    await create_items(db)
    await db.execute_many(items.insert(), [{"name": f"n{i}"} for i in range(3)])
    names = [row["name"] async for row in db.iterate(sa.select(items).order_by(items.c.id))]
    assert names == ["n0", "n1", "n2"]


async def test_decimal_and_text_pass_through(db: DatabaseWrapper) -> None:
    await create_items(db)
    total = Decimal("0.10") + Decimal("0.20")
    text = "naïve — ☃ 'quoted' \"double\" ; DROP TABLE items; --"
    await db.execute(items.insert().values(name=text[:50], price=str(total)))
    row = await db.fetch_one(sa.select(items))
    assert row is not None
    assert Decimal(row["price"]) == Decimal("0.30")
    assert row["price"] == "0.30"
    assert row["name"] == text[:50]


async def test_numeric_column_keeps_decimals_exact(db: DatabaseWrapper) -> None:
    money = sa.Table(
        "money",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("v", sa.Text),
    )
    await db.execute(sa.schema.CreateTable(money))
    # Decimal objects bound directly are stored in their exact text form on SQLite.
    await db.execute(
        "INSERT INTO money (id, v) VALUES (1, :v)",
        {"v": str(Decimal("12345678901234567890.123456789"))},
    )
    value = await db.fetch_val(sa.select(money.c.v))
    assert Decimal(value) == Decimal("12345678901234567890.123456789")


async def test_concurrent_inserts_from_many_tasks(db: DatabaseWrapper) -> None:
    await create_items(db)

    async def insert(i: int) -> None:
        await db.execute(items.insert().values(name=f"task{i}"))

    await asyncio.gather(*(insert(i) for i in range(200)))
    assert await db.fetch_val(sa.select(sa.func.count()).select_from(items)) == 200


async def test_sync_call_on_the_loop_raises(db: DatabaseWrapper) -> None:
    coro = db.fetch_val("SELECT 1")
    with pytest.raises(SynchronousOnlyOperation):
        run_sync(coro)


async def test_sync_code_in_a_worker_thread_reaches_the_loop(db: DatabaseWrapper) -> None:
    await create_items(db)

    def sync_view() -> int:
        run_sync(db.execute(items.insert().values(name="from-thread")))
        value: int = run_sync(db.fetch_val(sa.select(sa.func.count()).select_from(items)))
        return value

    assert await sync_to_async(sync_view)() == 1


def test_sync_script_uses_the_portal_loop(sync_db: DatabaseWrapper) -> None:
    run_sync(sync_db.execute("CREATE TABLE s (id INTEGER PRIMARY KEY)"))
    run_sync(sync_db.execute("INSERT INTO s (id) VALUES (1)"))
    assert run_sync(sync_db.fetch_val("SELECT count(*) FROM s")) == 1


class TestLoopChange:
    """Each test gets a new loop; pools from the previous (closed) loop are replaced."""

    url: str = ""

    async def test_first_loop(self, db: DatabaseWrapper) -> None:
        await db.execute("CREATE TABLE l (id INTEGER PRIMARY KEY)")
        first_loop = asyncio.get_running_loop()
        assert db.connected_loops() == [first_loop]

    async def test_new_loop_inside_one_test(self, db_url: str) -> None:
        with override_settings(DATABASES={"default": {"URL": db_url}}):
            wrapper = connections["default"]

            def in_other_loop() -> None:
                asyncio.run(wrapper.execute("CREATE TABLE IF NOT EXISTS l2 (id INTEGER)"))

            # A loop that ran and closed in another thread leaves a dead pool behind.
            await asyncio.to_thread(in_other_loop)
            assert await wrapper.fetch_val("SELECT count(*) FROM l2") == 0
            assert db_loops_alive(wrapper)
            await wrapper.adisconnect()
            assert wrapper.connected_loops() == []


def db_loops_alive(wrapper: DatabaseWrapper) -> bool:
    return all(not loop.is_closed() for loop in wrapper.connected_loops())


async def test_lifespan_hooks_connect_and_disconnect(db_url: str) -> None:
    with override_settings(DATABASES={"default": {"URL": db_url}}):
        await aconnect_all()
        wrapper = connections["default"]
        assert wrapper.connected_loops() == [asyncio.get_running_loop()]
        await adisconnect_all()
        assert wrapper.connected_loops() == []


def test_missing_alias_is_improperly_configured() -> None:
    with override_settings(DATABASES={}):
        with pytest.raises(ImproperlyConfigured, match="'default' is not in settings.DATABASES"):
            connections["default"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"URL": "mysql://h/db"}, "unsupported scheme 'mysql'"),
        ({"URL": "not a url"}, "is not a database URL"),
        ({"URL": "postgresql://127.0.0.1:5432"}, "names no database"),
        ({"URL": "sqlite://"}, "in-memory SQLite"),
        ({"URL": "sqlite:///:memory:"}, "in-memory SQLite"),
        ({"ENGINE": "asgi_cycle.db.backends.sqlite3", "NAME": ":memory:"}, "in-memory SQLite"),
        ({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}, "is not supported"),
        ({"ENGINE": "asgi_cycle.db.backends.postgresql"}, "without NAME"),
        ({}, "neither URL nor ENGINE"),
    ],
)
def test_bad_configuration_says_what_to_set(entry: dict[str, object], message: str) -> None:
    with override_settings(DATABASES={"default": entry}):
        with pytest.raises(ImproperlyConfigured, match=message):
            connections["default"]


def test_engine_settings_build_the_url() -> None:
    entry = {
        "ENGINE": "asgi_cycle.db.backends.postgresql",
        "NAME": "shop",
        "USER": "app",
        "PASSWORD": "s3cret",
        "HOST": "db.local",
        "PORT": "6543",
    }
    with override_settings(
        DATABASES={
            "default": entry,
            "other": {"ENGINE": "asgi_cycle.db.backends.sqlite3", "NAME": "x.db"},
        }
    ):
        wrapper = connections["default"]
        assert wrapper.vendor == "postgresql"
        assert wrapper.url == "postgresql://app:***@db.local:6543/shop"
        assert "s3cret" not in repr(wrapper)
        assert connections["other"].vendor == "sqlite"
        assert connections["other"].config.path == "x.db"


async def test_engine_settings_connect(tmp_path: Path) -> None:
    name = str(tmp_path / "engine.sqlite3")
    entry = {"ENGINE": "asgi_cycle.db.backends.sqlite3", "NAME": name}
    with override_settings(DATABASES={"default": entry}):
        wrapper = connections["default"]
        try:
            assert await wrapper.fetch_val("SELECT 41 + 1") == 42
        finally:
            await wrapper.adisconnect()


@pytest.mark.parametrize("ci", ["true", ""], ids=["ci-fails", "local-skips"])
def test_unreachable_postgresql_fails_in_ci_and_skips_locally(ci: str) -> None:
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # nothing listens once the socket closes
    env = dict(os.environ, CI=ci, ASGI_CYCLE_PG_PORT=str(closed_port))
    root = Path(__file__).resolve().parents[2]
    target = "tests/db/test_connections.py::test_vendor_dialect_url[postgresql]"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", target, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert f"PostgreSQL is not reachable at 127.0.0.1:{closed_port}" in done.stdout
    assert "make services" in done.stdout
    if ci:
        assert done.returncode == 1
        assert "1 error" in done.stdout or "1 failed" in done.stdout
    else:
        assert done.returncode == 0
        assert "1 skipped" in done.stdout


async def test_driver_errors_become_djangos_classes(db: DatabaseWrapper) -> None:
    from asgi_cycle import db as db_module

    await db.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)")
    await db.execute("INSERT INTO u (id, code) VALUES (1, 'a')")
    with pytest.raises(db_module.IntegrityError) as duplicate:
        await db.execute("INSERT INTO u (id, code) VALUES (2, 'a')")
    assert duplicate.value.__cause__ is not None  # the driver's own exception
    with pytest.raises(db_module.IntegrityError):
        await db.execute("INSERT INTO u (id, code) VALUES (3, NULL)")
    with pytest.raises(
        db_module.ProgrammingError if db.vendor == "postgresql" else db_module.OperationalError
    ):
        await db.fetch_all("SELECT * FROM no_such_table")
    assert issubclass(db_module.IntegrityError, db_module.DatabaseError)
    # Inside a transaction too; the failed statement leaves the pool usable.
    with pytest.raises(db_module.IntegrityError):
        async with atomic():
            await db.execute("INSERT INTO u (id, code) VALUES (4, 'b')")
            await db.execute("INSERT INTO u (id, code) VALUES (5, 'b')")
    assert await db.fetch_val("SELECT count(*) FROM u") == 1


async def test_unreachable_database_is_an_operational_error(tmp_path: Path) -> None:
    from asgi_cycle.db import OperationalError

    with socket_closed_port() as port:
        url = f"postgresql://postgres@127.0.0.1:{port}/test"
        with override_settings(DATABASES={"default": {"URL": url}}):
            with pytest.raises(
                OperationalError, match=f"Cannot connect to database 'default'.*{port}"
            ):
                await connections["default"].fetch_val("SELECT 1")
    missing_dir = tmp_path / "no" / "such" / "dir" / "x.db"
    with override_settings(DATABASES={"default": {"URL": f"sqlite:///{missing_dir}"}}):
        with pytest.raises(OperationalError, match="unable to open database file"):
            await connections["default"].fetch_val("SELECT 1")


@contextlib.contextmanager
def socket_closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    yield port
