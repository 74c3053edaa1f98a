"""SELECT statements for a Query, and the decoders turning rows into results.

Model rows become instances (with ``select_related`` objects attached);
``values()`` rows become dicts, tuples or single values. A plain model's base
SELECT and decoder are built once per model: this is the hot path of
``Product.objects.aget(id=...)``.

``prepare`` turns a compiled SELECT into a ``Prepared`` statement: its SQL, how to
bind a query's ``params`` and how to decode the driver's own rows by position.
A QuerySet whose ``Query.cache_key()`` was seen before reuses it, skipping the
SQLAlchemy statement, its compilation and ``databases``' record wrappers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.util import LRUCache

from asgi_cycle.core.exceptions import FieldError
from asgi_cycle.db.backends.base import compile_cached
from asgi_cycle.db.models.fields import Field
from asgi_cycle.db.models.related import ForeignKey
from asgi_cycle.db.models.sql import Query

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model

Decoder = Callable[[Any], Any]

_base_selects: dict[type[Model], sa.Select[Any]] = {}
_decoders: dict[type[Model], Decoder] = {}
_row_decoders: dict[type[Model], Decoder] = {}


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


def row_decoder(model: type[Model]) -> Decoder:
    """``decoder`` for the driver's own rows, read by position in one pass."""
    decode = _row_decoders.get(model)
    if decode is None:
        decode = _row_decoder(model)
        _row_decoders[model] = decode
    return decode


def _row_decoder(model: type[Model]) -> Decoder:
    from asgi_cycle.db.models.base import Model, ModelState  # base imports this module

    fields = model._meta.concrete_fields
    names = tuple(f.attname for f in fields)
    # Fields that keep what the driver returned need no call per value.
    converted = [
        (f.attname, f.from_db_value)
        for f in fields
        if type(f).from_db_value is not Field.from_db_value
    ]
    from_db = model.from_db
    inherited = getattr(from_db, "__func__", None) is getattr(Model.from_db, "__func__", 0)
    if converted or not inherited:

        def decode(row: Any) -> Model:
            values = dict(zip(names, row, strict=True))
            for name, convert in converted:
                values[name] = convert(values[name])
            return from_db(values)

        return decode
    new = model.__new__

    def plain(row: Any) -> Model:
        # Model.from_db inlined: one instance per row is the hot loop of a list. The
        # row comes from base_select(model), one column per name in this order; a zip
        # with any keyword (strict=) takes CPython's slow call path, a third of this call.
        obj = new(model)
        values = obj.__dict__
        values["_state"] = ModelState(False)
        values.update(zip(names, row))  # noqa: B905 - lengths agree by construction
        return obj

    return plain


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


@dataclass(frozen=True, slots=True)
class Prepared:
    """A compiled SELECT for one query shape: the SQL and how to bind and decode."""

    sql: str
    #: The dialect's bind processor for each of the query's ``params`` (None: as is).
    binds: tuple[Callable[[Any], Any] | None, ...]
    #: Values bound after them, fixed by the shape (LIMIT, OFFSET).
    tail: tuple[Any, ...]
    #: A driver row (asyncpg Record, sqlite3 tuple) -> the result.
    decode: Decoder

    def args(self, params: Sequence[Any]) -> list[Any]:
        """The positional arguments for ``sql``."""
        args = [p if bind is None else bind(p) for bind, p in zip(self.binds, params, strict=True)]
        args.extend(self.tail)
        return args


_compiled_once: LRUCache[Any, Any] = LRUCache(100)


def prepare(
    stmt: sa.Select[Any], decode: Decoder, params: Sequence[Any], dialect: Dialect
) -> Prepared | None:
    """Compile ``stmt`` for reuse with other ``params``; None if it cannot be reused.

    The statement's own bound values must start with ``params`` (bind processors
    applied), in order: that check guards the shape's tokens against any lookup
    whose SQL binds differently from what ``lookup_params`` said.
    """
    sql, args, compiled = compile_cached(stmt, dialect, _compiled_once)
    if compiled.literal_execute_params or compiled.post_compile_params:
        return None  # values rendered into the SQL text: it differs per call
    n = len(params)
    processors = compiled._bind_processors
    binds = tuple(processors.get(key) for key in (compiled.positiontup or ())[:n])
    if len(binds) != n:
        return None
    try:
        mine = [p if bind is None else bind(p) for bind, p in zip(binds, params, strict=True)]
        if mine != args[:n]:
            return None
    except Exception:  # an odd value (NaN, a type without ==): not worth caching
        return None
    converters = [
        entry.type._cached_result_processor(dialect, None) for entry in compiled._result_columns
    ]
    if any(converters):
        decode = _converting(decode, converters, native=dialect.name == "postgresql")
    return Prepared(sql, binds, tuple(args[n:]), decode)


def _converting(
    decode: Decoder, converters: list[Callable[[Any], Any] | None], native: bool
) -> Decoder:
    """``decode`` applied to the row after the column types' result processors.

    On PostgreSQL, asyncpg already returns Python types: as ``databases`` does, a
    processor only sees ints, strings and floats there.
    """
    pairs = list(enumerate(converters))

    def convert(row: Any) -> Any:
        values = list(row)
        for i, proc in pairs:
            if proc is not None and (not native or isinstance(values[i], int | str | float)):
                values[i] = proc(values[i])
        return decode(values)

    return convert


__all__ = [
    "Decoder",
    "Prepared",
    "base_select",
    "decoder",
    "model_select",
    "non_null_paths",
    "prepare",
    "row_decoder",
    "values_select",
]
