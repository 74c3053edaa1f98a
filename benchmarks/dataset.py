"""Prepare the TechEmpower tables (`world`, `fortune`) for every target alike.

The layout is TechEmpower's: `world(id INTEGER PRIMARY KEY, randomnumber INTEGER)`
and `fortune(id INTEGER PRIMARY KEY, message TEXT)`. The harness fills them with
plain SQL so no framework under test prepares its own data.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.rules import FORTUNES, WORLD_ROWS

_SCHEMA = (
    "DROP TABLE IF EXISTS world",
    "DROP TABLE IF EXISTS fortune",
    "CREATE TABLE world (id INTEGER PRIMARY KEY, randomnumber INTEGER NOT NULL)",
    "CREATE TABLE fortune (id INTEGER PRIMARY KEY, message TEXT NOT NULL)",
)


def _rows(seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(i, rng.randint(1, WORLD_ROWS)) for i in range(1, WORLD_ROWS + 1)]


def prepare_sqlite(path: Path, seed: int = 1) -> str:
    """Create and fill an SQLite file; return its `sqlite:///` URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(path) as con:
        for statement in _SCHEMA:
            con.execute(statement)
        con.executemany("INSERT INTO world VALUES (?, ?)", _rows(seed))
        con.executemany("INSERT INTO fortune VALUES (?, ?)", sorted(FORTUNES.items()))
    con.close()
    return f"sqlite:///{path.resolve()}"


async def _create_database(url: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = await asyncpg.connect(parts._replace(path="/postgres").geturl())
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def _prepare_postgres(url: str, seed: int) -> None:
    import asyncpg

    await _create_database(url)
    con = await asyncpg.connect(url)
    try:
        async with con.transaction():
            for statement in _SCHEMA:
                await con.execute(statement)
            await con.executemany("INSERT INTO world VALUES ($1, $2)", _rows(seed))
            await con.executemany("INSERT INTO fortune VALUES ($1, $2)", sorted(FORTUNES.items()))
    finally:
        await con.close()


def prepare_postgres(url: str, seed: int = 1) -> str:
    """Create the database of `url` when missing, then create and fill the tables."""
    asyncio.run(_prepare_postgres(url, seed))
    return url


def postgres_available(url: str) -> bool:
    """Whether the PostgreSQL server of `url` accepts a connection within 2 s."""
    import asyncpg

    async def probe() -> bool:
        try:
            admin = urlsplit(url)._replace(path="/postgres").geturl()
            con = await asyncio.wait_for(asyncpg.connect(admin), 2)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return False
        await con.close()
        return True

    return asyncio.run(probe())


def describe(url: str) -> str:
    """A short name for the database behind `url` (for reports)."""
    return urlsplit(url).scheme.split("+")[0] or "sqlite"
