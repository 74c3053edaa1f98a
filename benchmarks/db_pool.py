"""Single-row SELECTs per "request": shipped ``databases`` SQLite vs our pooled backend.

Each request is a new task (as under an ASGI server) doing one primary-key SELECT.
``databases`` 0.9 opens a new aiosqlite connection, with its own thread, for every
task; ``asgi_cycle.db`` reuses pooled connections. Run:

    .venv/bin/python -m benchmarks.db_pool [--requests N] [--concurrency C] [--seconds S]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

Prints requests/s for both and the ratio. Each side stops after ``--seconds``.
With ``--postgres`` the same comparison runs on PostgreSQL in a throwaway schema
(``databases`` pools there too, so the gap is statement compilation only).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import databases
import sqlalchemy as sa

from asgi_cycle.db import connections
from asgi_cycle.test.utils import override_settings

world = sa.Table(
    "world",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("randomnumber", sa.Integer),
)
ROWS = 1000


async def measure(
    query: Callable[[int], Awaitable[object]], requests: int, concurrency: int, seconds: float
) -> float:
    """Run up to ``requests`` one-query tasks, ``concurrency`` at a time; return req/s."""
    done = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while done < requests and time.perf_counter() < deadline:
        batch = min(concurrency, requests - done)
        ids = [random.randint(1, ROWS) for _ in range(batch)]
        await asyncio.gather(*(asyncio.create_task(query(i)) for i in ids))  # type: ignore[arg-type]
        done += batch
    return done / (time.perf_counter() - started)


async def prepare(url: str, **options: Any) -> None:
    database = databases.Database(url, **options)
    await database.connect()
    await database.execute(sa.schema.CreateTable(world))
    await database.execute_many(
        world.insert(),
        [{"id": i, "randomnumber": random.randint(1, 10000)} for i in range(1, ROWS + 1)],
    )
    await database.disconnect()


async def compare(
    url: str, label: str, requests: int, concurrency: int, seconds: float, **options: Any
) -> None:
    """Measure shipped ``databases`` and ``asgi_cycle.db`` on ``url`` and print both.

    ``options`` go to ``databases.Database`` only (it ignores unknown URL options);
    asgi_cycle.db reads the same settings from the URL.
    """
    await prepare(url, **options)
    shipped = databases.Database(url, **options)
    await shipped.connect()

    async def shipped_query(i: int) -> object:
        return await shipped.fetch_one(sa.select(world).where(world.c.id == i))

    await measure(shipped_query, 200, concurrency, seconds)  # warm-up
    shipped_rps = await measure(shipped_query, requests, concurrency, seconds)
    await shipped.disconnect()

    with override_settings(DATABASES={"default": {"URL": url}}):
        pooled = connections["default"]

        async def pooled_query(i: int) -> object:
            return await pooled.fetch_one(sa.select(world).where(world.c.id == i))

        await measure(pooled_query, 200, concurrency, seconds)  # warm-up
        pooled_rps = await measure(pooled_query, requests, concurrency, seconds)
        await pooled.adisconnect()

    print(f"{label}: requests={requests} concurrency={concurrency}")
    print(f"  databases 0.9:  {shipped_rps:10.0f} req/s")
    print(f"  asgi_cycle.db:  {pooled_rps:10.0f} req/s")
    print(f"  ratio:          {pooled_rps / shipped_rps:10.2f}x")


async def main(
    requests: int, concurrency: int, seconds: float, postgres: str | None = None
) -> None:
    """SQLite always; PostgreSQL too when a server URL is given (in a throwaway schema)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        label = "sqlite (databases: a new connection per task; ours: pooled)"
        await compare(url, label, requests, concurrency, seconds)
    if postgres:
        import asyncpg

        schema = f"bench_{os.getpid()}"
        admin = await asyncpg.connect(postgres)
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            joiner = "&" if "?" in postgres else "?"
            label = "postgresql (both pooled by asyncpg; ours caches compiled statements)"
            await compare(
                f"{postgres}{joiner}search_path={schema}",
                label,
                requests,
                concurrency,
                seconds,
                server_settings={"search_path": schema},
            )
        finally:
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await admin.close()


def run() -> None:
    """Parse arguments and run the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--postgres", metavar="URL", help="also compare on this PostgreSQL")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.seconds, args.postgres))


if __name__ == "__main__":
    run()
