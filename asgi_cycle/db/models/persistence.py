"""Writing one instance: INSERT or UPDATE for ``asave``, and the unique checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from asgi_cycle.core.exceptions import ValidationError
from asgi_cycle.db._errors import DatabaseError as _EngineDatabaseError
from asgi_cycle.db.models._db import connection
from asgi_cycle.db.models.fields import AutoField, Field

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model


# One DatabaseError for the whole package: the driver-mapped one of the engine.
DatabaseError = _EngineDatabaseError


def _value(instance: Model, field: Field, add: bool, raw: bool) -> Any:
    if raw:
        # Fixtures keep their values; an auto_now field they leave out is stamped.
        value = getattr(instance, field.attname)
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if value is not None or not stamped:
            return field.get_prep_value(value)
        add = True
    return field.get_prep_value(field.pre_save(instance, add))


async def save(
    instance: Model,
    *,
    force_insert: bool = False,
    update_fields: list[str] | None = None,
    raw: bool = False,
) -> None:
    """Insert or update ``instance``'s row (Django's rules, minus multi-table models).

    ``raw`` (loaddata) saves the attribute values as they are, skipping auto_now.
    """

    def _values(instance: Model, fields: list[Field], add: bool) -> dict[str, Any]:
        return {f.column: _value(instance, f, add, raw) for f in fields}

    meta = instance._meta
    _check_related_saved(instance, "save")
    pk_field = instance._pk_field()
    table = meta.table
    pk_column = table.c[pk_field.column]
    conn = connection()
    if update_fields is not None:
        if not update_fields:
            return
        if instance.pk is None:
            raise ValueError("Cannot force an update in save() with no primary key.")
        names = {f.name for f in meta.concrete_fields} | {f.attname for f in meta.concrete_fields}
        unknown = [name for name in update_fields if name not in names]
        if unknown:
            raise ValueError(
                "The following fields do not exist in this model, or are m2m fields, "
                f"or are non-concrete fields: {', '.join(unknown)}"
            )
        fields = [meta.get_field(name) for name in update_fields]
        stmt = sa.update(table).where(pk_column == pk_field.get_prep_value(instance.pk))
        rows = await conn.fetch_all(
            stmt.values(_values(instance, fields, False)).returning(pk_column)
        )
        if not rows:
            raise DatabaseError("Save with update_fields did not affect any rows.")
        return
    others = [f for f in meta.concrete_fields if f is not pk_field]
    pk_value = instance.pk
    if pk_value is not None and not force_insert:
        if not (instance._state.adding and pk_field.has_default()):
            stmt = sa.update(table).where(pk_column == pk_field.get_prep_value(pk_value))
            if others:
                stmt = stmt.values(_values(instance, others, False))
                if await conn.fetch_all(stmt.returning(pk_column)):
                    instance._state.adding = False
                    return
            elif await conn.fetch_one(sa.select(pk_column).where(pk_column == pk_value)):
                instance._state.adding = False
                return
    values = _values(instance, others, True)
    if pk_value is not None or not isinstance(pk_field, AutoField):
        values[pk_field.column] = _value(instance, pk_field, True, raw)
    new_pk = await conn.fetch_val(sa.insert(table).values(values).returning(pk_column))
    instance.pk = pk_field.from_db_value(new_pk)
    instance._state.adding = False


def _check_related_saved(instance: Model, operation: str) -> None:
    """Refuse to save a key to a related object that has no pk yet (it would be lost)."""
    for field in instance._meta.concrete_fields:
        if not field.is_relation:
            continue
        related = instance._state.fields_cache.get(field.name)
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(
                f"{operation}() prohibited to prevent data loss due to unsaved "
                f"related object '{field.name}'."
            )
        if getattr(instance, field.attname) is None:
            # The related object was saved after being assigned: pick up its new key.
            instance.__dict__[field.attname] = related.pk


def _unique_sets(instance: Model, exclude: list[str]) -> list[tuple[str, ...]]:
    meta = instance._meta
    sets: list[tuple[str, ...]] = []
    for field in meta.concrete_fields:
        if not field.unique or field.name in exclude:
            continue
        if field.primary_key and instance.pk is None:
            continue
        sets.append((field.name,))
    for constraint in meta.constraints:
        names = tuple(constraint.fields)
        if not any(name in exclude for name in names):
            sets.append(names)
    return sets


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def has_unique_checks(instance: Model, exclude: list[str]) -> bool:
    """Whether ``validate_unique`` has anything to ask the database."""
    return bool(_unique_sets(instance, exclude))


async def validate_unique(instance: Model, exclude: list[str]) -> None:
    """Raise ValidationError for each unique field or constraint another row already uses."""
    meta = instance._meta
    errors: dict[str, list[str]] = {}
    for names in _unique_sets(instance, exclude):
        fields = [meta.get_field(name) for name in names]
        lookup = {f.attname: getattr(instance, f.attname) for f in fields}
        if any(value is None for value in lookup.values()):
            continue
        qs = type(instance)._default_manager.filter(**lookup)
        if not instance._state.adding and instance.pk is not None:
            qs = qs.exclude(pk=instance.pk)
        if await qs.aexists():
            labels = " and ".join(_capfirst(str(f.verbose_name)) for f in fields)
            message = f"{_capfirst(meta.verbose_name)} with this {labels} already exists."
            key = names[0] if len(names) == 1 else "__all__"
            errors.setdefault(key, []).append(message)
    if errors:
        raise ValidationError(errors)


__all__ = ["DatabaseError", "has_unique_checks", "save", "validate_unique"]
