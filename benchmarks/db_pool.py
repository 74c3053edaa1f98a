"""Single-row SELECTs per "request": shipped ``databases`` SQLite vs our pooled backend.

Each request is a new task (as under an ASGI server) doing one primary-key SELECT.
``databases`` 0.9 opens a new aiosqlite connection, with its own thread, for every
task; ``asgi_cycle.db`` reuses pooled connections. Run:

    .venv/bin/python -m benchmarks.db_pool [--requests N] [--concurrency C] [--seconds S]

Prints requests/s for both and the ratio. Each side stops after ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

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


async def prepare(url: str) -> None:
    database = databases.Database(url)
    await database.connect()
    await database.execute(sa.schema.CreateTable(world))
    await database.execute_many(
        world.insert(),
        [{"id": i, "randomnumber": random.randint(1, 10000)} for i in range(1, ROWS + 1)],
    )
    await database.disconnect()


async def main(requests: int, concurrency: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await prepare(url)

        shipped = databases.Database(url)
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

    print(f"requests={requests} concurrency={concurrency}")
    print(f"databases 0.9 sqlite (connection per task): {shipped_rps:10.0f} req/s")
    print(f"asgi_cycle.db pooled sqlite:                 {pooled_rps:10.0f} req/s")
    print(f"ratio pooled/shipped:                        {pooled_rps / shipped_rps:10.2f}x")


def run() -> None:
    """Parse arguments and run the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.seconds))


if __name__ == "__main__":
    run()
