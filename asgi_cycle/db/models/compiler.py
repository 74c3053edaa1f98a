"""SELECT statements for a Query, and the decoders turning rows into results.

Model rows become instances (with ``select_related`` objects attached);
``values()`` rows become dicts, tuples or single values. A plain model's base
SELECT and decoder are built once per model: this is the hot path of
``Product.objects.aget(id=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from asgi_cycle.core.exceptions import FieldError
from asgi_cycle.db.models.fields import Field
from asgi_cycle.db.models.related import ForeignKey
from asgi_cycle.db.models.sql import Query

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model

Decoder = Callable[[Any], Any]

_base_selects: dict[type[Model], sa.Select[Any]] = {}
_decoders: dict[type[Model], Decoder] = {}


def non_null_paths(model: type[Model], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every chain of non-null foreign keys (``select_related()`` with no names)."""
    paths: list[tuple[str, ...]] = []
    if len(prefix) >= 5:
        return paths
    for field in model._meta.concrete_fields:
        if isinstance(field, ForeignKey) and not field.null:
            path = (*prefix, field.name)
            paths.append(path)
            if field.related_model is not model:
                paths.extend(non_null_paths(field.related_model, path))
    return paths


def base_select(model: type[Model]) -> sa.Select[Any]:
    """``SELECT <every column> FROM <table>``, built once per model (Selects are immutable)."""
    stmt = _base_selects.get(model)
    if stmt is None:
        table = model._meta.table
        stmt = sa.select(*[table.c[f.column] for f in model._meta.concrete_fields])
        _base_selects[model] = stmt
    return stmt


def decoder(model: type[Model]) -> Decoder:
    """Row -> instance for a plain model query (no select_related), built once per model."""
    decode = _decoders.get(model)
    if decode is None:
        pairs = [(f.attname, f.from_db_value) for f in model._meta.concrete_fields]
        from_db = model.from_db

        def decode(row: Any) -> Model:
            return from_db({name: convert(row[i]) for i, (name, convert) in enumerate(pairs)})

        _decoders[model] = decode
    return decode


def model_select(
    model: type[Model], query: Query, ordered: bool = True
) -> tuple[sa.Select[Any], Decoder]:
    """SELECT every column of the model and of each select_related path."""
    if not query.select_related:
        return query.apply(base_select(model), ordered=ordered), decoder(model)
    columns: list[Any] = []
    plan: list[tuple[tuple[str, ...], type[Model], list[Field], int]] = []
    for path in [(), *query.select_related]:
        source = query.table if not path else query.joins[path].alias
        target = model if not path else query.joins[path].field.related_model
        fields = target._meta.concrete_fields
        plan.append((path, target, fields, len(columns)))
        columns.extend(source.c[f.column] for f in fields)
    stmt = query.apply(sa.select(*columns), ordered=ordered)

    def decode(row: Any) -> Model:
        made: dict[tuple[str, ...], Model | None] = {}
        for path, target, fields, start in plan:
            values = {f.attname: f.from_db_value(row[start + i]) for i, f in enumerate(fields)}
            pk = target._meta.pk
            if path and pk is not None and values[pk.attname] is None:
                obj = None  # LEFT JOIN found no related row
            else:
                obj = target.from_db(values)
            made[path] = obj
            if path:
                parent = made[path[:-1]]
                if parent is not None:
                    parent._state.fields_cache[path[-1]] = obj
        result = made[()]
        if result is None:  # the base row always has a pk
            raise TypeError("Row without a primary key.")
        return result

    return stmt, decode


def values_select(
    query: Query, names: Sequence[str], kind: str, ordered: bool = True
) -> tuple[sa.Select[Any], Decoder]:
    """SELECT the named fields (all, by attname, when none) for values()/values_list()."""
    query = query.clone()  # resolving may add joins; the QuerySet's query stays as it was
    if query.distinct and query.order_by is None:
        # DISTINCT over chosen columns: Meta.ordering's columns would change the rows
        # (and PostgreSQL refuses ORDER BY columns missing from a DISTINCT list).
        query.default_ordering = False
    keys = list(names)
    if not keys:
        fields = query.model._meta.concrete_fields
        resolved = [query.resolve(f.attname)[0] for f in fields]
        keys = [f.attname for f in fields]
    else:
        resolved = []
        for name in keys:
            found, rest = query.resolve(name, outer=True)
            if rest:
                raise FieldError(f"Cannot resolve {name!r} into a field for values().")
            resolved.append(found)
    stmt = query.apply(sa.select(*[r.column for r in resolved]), ordered=ordered)
    converters = [r.field.from_db_value for r in resolved]
    if kind == "values":

        def as_dict(row: Any) -> Any:
            pairs = zip(keys, converters, strict=True)
            return {n: c(row[i]) for i, (n, c) in enumerate(pairs)}

        return stmt, as_dict
    if kind == "flat":
        only = converters[0]
        return stmt, lambda row: only(row[0])
    return stmt, lambda row: tuple(c(row[i]) for i, c in enumerate(converters))


__all__ = ["Decoder", "base_select", "decoder", "model_select", "non_null_paths", "values_select"]
