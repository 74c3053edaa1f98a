"""Deleting rows and applying ``on_delete`` to the rows that point at them.

Rules: everything happens in one transaction; PROTECT raises ``ProtectedError``
(rolling back what was already cascaded), CASCADE deletes pointing rows first
(recursively), SET_NULL clears their key, DO_NOTHING leaves them to the
database. Counts are returned per model label, as Django's ``delete()`` does.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from asgi_cycle.db.models._db import Connection, connection
from asgi_cycle.db.models.related import CASCADE, PROTECT, SET_NULL

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model
    from asgi_cycle.db.models.sql import Query


#: Keys per ``IN (...)`` list: far below the drivers' bound-parameter limits (32767).
CHUNK_SIZE = 1000


class ProtectedError(Exception):
    """A delete was refused because PROTECT foreign keys point at the objects."""

    def __init__(self, msg: str, protected_objects: set[Model]) -> None:
        super().__init__(msg, protected_objects)
        self.protected_objects = protected_objects


async def delete_query(query: Query) -> tuple[int, dict[str, int]]:
    """Delete the rows ``query`` matches; returns (total, {label: count})."""
    conn = connection()
    counts: Counter[str] = Counter()
    model = query.model
    if not _has_dependents(model):
        # Nothing points here: one DELETE ... WHERE, no key list to ship back and forth.
        table = model._meta.table
        pk_column = table.c[model._pk_field().column]
        stmt = sa.delete(table)
        if query.joins or query.is_sliced:
            stmt = stmt.where(pk_column.in_(query.pk_subquery()))
        elif query.where:
            stmt = stmt.where(*query.where)
        deleted = len(await conn.fetch_all(stmt.returning(pk_column)))
        return deleted, ({model._meta.label: deleted} if deleted else {})
    async with conn.transaction():
        rows = await conn.fetch_all(query.pk_subquery())
        pks = [row[0] for row in rows]
        for start in range(0, len(pks), CHUNK_SIZE):
            await _delete(conn, model, pks[start : start + CHUNK_SIZE], counts, set())
    return sum(counts.values()), dict(counts)


def _has_dependents(model: type[Model]) -> bool:
    """Whether any CASCADE/PROTECT/SET_NULL key points at the model."""
    return any(fk.on_delete in (CASCADE, PROTECT, SET_NULL) for fk in model._meta.related_objects)


async def _delete(
    conn: Connection,
    model: type[Model],
    pks: list[Any],
    counts: Counter[str],
    seen: set[tuple[str, Any]],
) -> None:
    label = model._meta.label
    # A cycle of CASCADE keys (self-references) must not delete a row twice.
    pks = [pk for pk in pks if (label, pk) not in seen]
    if not pks:
        return
    seen.update((label, pk) for pk in pks)
    table = model._meta.table
    pk_column = table.c[model._pk_field().column]
    for fk in list(model._meta.related_objects):
        if fk.model is None or fk.on_delete not in (CASCADE, PROTECT, SET_NULL):
            continue
        keys = pks
        if fk.target_field is not model._meta.pk:
            target = table.c[fk.target_field.column]
            found_keys = await conn.fetch_all(sa.select(target).where(pk_column.in_(pks)))
            keys = [row[0] for row in found_keys]
        rel_table = fk.model._meta.table
        column = rel_table.c[fk.column]
        if fk.on_delete is PROTECT:
            found = await fk.model._default_manager.filter(**{f"{fk.attname}__in": keys}).alist()
            if found:
                raise ProtectedError(
                    f"Cannot delete some instances of model {model.__name__!r} because they "
                    f"are referenced through protected foreign keys: "
                    f"'{fk.model.__name__}.{fk.name}'.",
                    set(found),
                )
        elif fk.on_delete is CASCADE:
            rel_pk = rel_table.c[fk.model._pk_field().column]
            rows = await conn.fetch_all(sa.select(rel_pk).where(column.in_(keys)))
            children = [r[0] for r in rows]
            for start in range(0, len(children), CHUNK_SIZE):
                chunk = children[start : start + CHUNK_SIZE]
                await _delete(conn, fk.model, chunk, counts, seen)
        else:
            await conn.execute(sa.update(rel_table).where(column.in_(keys)).values({column: None}))
    deleted = await conn.fetch_all(sa.delete(table).where(pk_column.in_(pks)).returning(pk_column))
    if deleted:
        counts[label] += len(deleted)


__all__ = ["ProtectedError", "delete_query"]
