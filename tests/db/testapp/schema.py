"""Create and drop the test app's tables with DDL compiled from ``_meta.table``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from asgi_cycle.db.models.registry import all_models, metadata

from . import models  # noqa: F401 - registers the models


def tables() -> list[sa.Table]:
    """The test app's tables, parents before children."""
    names = {m._meta.table.name for m in all_models("testapp")}
    return [t for t in metadata.sorted_tables if t.name in names]


async def create_all(conn: Any) -> None:
    """Drop (if left over) and create every test table with its indexes."""
    await drop_all(conn)
    for table in tables():
        await conn.execute(sa.schema.CreateTable(table))
        for index in table.indexes:
            await conn.execute(sa.schema.CreateIndex(index))


async def drop_all(conn: Any) -> None:
    """Drop every test table, children first."""
    for table in reversed(tables()):
        await conn.execute(sa.schema.DropTable(table, if_exists=True))
