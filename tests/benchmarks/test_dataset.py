"""The harness prepares TechEmpower's tables alike for every target, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg
import pytest

from benchmarks import dataset, procs, rules
from benchmarks.targets import BY_NAME
from benchmarks.validate import stored_numbers, validate

PG_URL = "postgresql://postgres@127.0.0.1:5432/tfb_pytest"


def test_sqlite_layout_and_rows(tmp_path):
    url = dataset.prepare_sqlite(tmp_path / "tfb.sqlite3")
    assert url == f"sqlite:///{(tmp_path / 'tfb.sqlite3').resolve()}"
    with sqlite3.connect(tmp_path / "tfb.sqlite3") as con:
        schema = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        worlds = con.execute("SELECT count(*), min(id), max(id) FROM world").fetchone()
        fortunes = dict(con.execute("SELECT id, message FROM fortune"))
    con.close()
    assert "id INTEGER PRIMARY KEY, randomnumber INTEGER" in schema["world"]
    assert "id INTEGER PRIMARY KEY, message TEXT" in schema["fortune"]
    assert worlds == (10000, 1, 10000)
    assert fortunes == rules.FORTUNES


def test_sqlite_prepare_starts_over(tmp_path):
    path = tmp_path / "tfb.sqlite3"
    url = dataset.prepare_sqlite(path)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE world SET randomnumber = 0")
    con.close()
    dataset.prepare_sqlite(path, seed=1)
    assert 0 not in stored_numbers(url, list(range(1, 101))).values()


@pytest.mark.postgres
def test_postgres_layout_and_rows():
    assert dataset.postgres_available(PG_URL)
    dataset.prepare_postgres(PG_URL)

    async def read():
        con = await asyncpg.connect(PG_URL)
        try:
            return (
                await con.fetchrow("SELECT count(*), min(id), max(id) FROM world"),
                dict(await con.fetch("SELECT id, message FROM fortune")),
            )
        finally:
            await con.close()

    worlds, fortunes = asyncio.run(read())
    assert tuple(worlds) == (10000, 1, 10000)
    assert fortunes == rules.FORTUNES
    assert len(stored_numbers(PG_URL, [1, 2, 3])) == 3


@pytest.mark.postgres
@pytest.mark.servers
def test_app_on_postgres_follows_the_rules(tmp_path):
    dataset.prepare_postgres(PG_URL)
    target = BY_NAME["cycle"]
    server = procs.start(target, PG_URL, tmp_path, timeout=60)
    try:
        assert validate(server.base_url, target.tests, PG_URL) == []
    finally:
        server.stop()


def test_postgres_available_is_false_for_a_closed_port():
    assert dataset.postgres_available("postgresql://postgres@127.0.0.1:1/tfb") is False
