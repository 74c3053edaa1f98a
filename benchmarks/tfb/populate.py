"""Fill the TechEmpower tables: `python -m benchmarks.tfb.populate`.

Run `ASGI_CYCLE_SETTINGS=benchmarks.tfb.settings asgi-cycle migrate` first; both
use `DATABASE_URL`. Existing rows are replaced: 10,000 worlds with random numbers
in 1..10,000 and the 12 TechEmpower fortunes.
"""

from __future__ import annotations

import asyncio
import os
import random

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "benchmarks.tfb.settings")

from asgi_cycle.db import adisconnect_all, transaction
from benchmarks.rules import FORTUNES, WORLD_ROWS
from benchmarks.tfb.models import Fortune, World


async def populate(seed: int | None = None) -> tuple[int, int]:
    """Replace the rows of both tables; return how many worlds and fortunes were written."""
    rng = random.Random(seed)
    worlds = [
        World(id=i, randomnumber=rng.randint(1, WORLD_ROWS)) for i in range(1, WORLD_ROWS + 1)
    ]
    fortunes = [Fortune(id=i, message=message) for i, message in sorted(FORTUNES.items())]
    try:
        async with transaction.atomic():
            await World.objects.all().adelete()
            await Fortune.objects.all().adelete()
            await World.objects.abulk_create(worlds, batch_size=1000)
            await Fortune.objects.abulk_create(fortunes)
        return await World.objects.acount(), await Fortune.objects.acount()
    finally:
        await adisconnect_all()


def main() -> None:
    """Command-line entry point."""
    worlds, fortunes = asyncio.run(populate())
    print(f"{worlds} worlds and {fortunes} fortunes written")


if __name__ == "__main__":
    main()
