"""``QuerySet``: lazy, chainable, async at heart.

Chaining methods (``filter``, ``order_by``, ``values`` ...) only clone and
change the pure ``Query``. Evaluation is written once, async (``aget``,
``acount``, ``async for`` ...); the sync names (``get``, ``count``, ``for``,
``len()`` ...) call the async code through ``asgi_cycle.utils.asyncio.run_sync``,
so they work in sync views (worker threads) and scripts, and raise
``SynchronousOnlyOperation`` on the event-loop thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect

from asgi_cycle.core.exceptions import FieldError, SynchronousOnlyOperation
from asgi_cycle.db._errors import IntegrityError
from asgi_cycle.db.models import compiler
from asgi_cycle.db.models._db import connection
from asgi_cycle.db.models.compiler import Decoder
from asgi_cycle.db.models.deletion import delete_query
from asgi_cycle.db.models.fields import Field
from asgi_cycle.db.models.related import ForeignKey
from asgi_cycle.db.models.sql import Query
from asgi_cycle.utils.asyncio import run_sync

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model

M = TypeVar("M", bound="Model")
REPR_OUTPUT_SIZE = 20
BULK_BATCH_SIZE = 500
#: Compiled SELECTs kept per database (query shapes come from code: few hundred at most).
PREPARED_CACHE_SIZE = 1000
MAX_PARAMS = 30_000


def _keywords_only(args: tuple[Any, ...], method: str) -> None:
    if args:
        raise TypeError(
            f"{method}() takes field__lookup=value keywords only; "
            "Q objects and positional conditions are not supported."
        )


def _lookup_text(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


class QuerySet(Generic[M]):
    """A lazy database query for one model."""

    def __init__(self, model: type[M], query: Query | None = None) -> None:
        self.model = model
        self.query = query if query is not None else Query(model)
        self._result_cache: list[Any] | None = None
        self._kind = "model"  # or "values", "values_list", "flat"
        self._fields: tuple[str, ...] = ()

    # -- chaining (pure) ----------------------------------------------------------

    def _clone(self) -> QuerySet[M]:
        new: QuerySet[M] = type(self)(self.model, self.query.clone())
        new._kind = self._kind
        new._fields = self._fields
        return new

    def _not_sliced(self, action: str) -> None:
        if self.query.is_sliced:
            raise TypeError(f"Cannot {action} a query once a slice has been taken.")

    def all(self) -> QuerySet[M]:
        """A copy of this QuerySet."""
        return self._clone()

    def filter(self, *args: Any, **kwargs: Any) -> QuerySet[M]:
        """Rows matching every ``field__lookup=value``."""
        _keywords_only(args, "filter")
        self._not_sliced("filter")
        clone = self._clone()
        clone.query.add_filter(kwargs)
        return clone

    def exclude(self, *args: Any, **kwargs: Any) -> QuerySet[M]:
        """Rows not matching all of the keywords together."""
        _keywords_only(args, "exclude")
        self._not_sliced("filter")
        clone = self._clone()
        clone.query.add_filter(kwargs, negate=True)
        return clone

    def order_by(self, *field_names: str) -> QuerySet[M]:
        """Order by these fields (``-name`` descending, ``?`` random); none clears it."""
        self._not_sliced("reorder")
        clone = self._clone()
        clone.query.order_clauses([n for n in field_names if n != "?"])  # validate now
        clone.query.order_by = list(field_names)
        clone.query.default_ordering = False
        return clone

    def reverse(self) -> QuerySet[M]:
        """The same rows in the opposite order."""
        clone = self._clone()
        order = clone.query.ordering() or ["pk"]
        clone.query.order_by = [n[1:] if n.startswith("-") else f"-{n}" for n in order]
        return clone

    def distinct(self) -> QuerySet[M]:
        """SELECT DISTINCT."""
        clone = self._clone()
        clone.query.distinct = True
        return clone

    def none(self) -> QuerySet[M]:
        """A QuerySet that matches nothing and runs no query."""
        clone = self._clone()
        clone.query.empty = True
        return clone

    def select_related(self, *fields: str) -> QuerySet[M]:
        """Load these foreign keys in the same query (all non-null ones when none given)."""
        clone = self._clone()
        paths = [tuple(f.split("__")) for f in fields] or compiler.non_null_paths(self.model)
        for path in paths:
            model: type[Model] = self.model
            for i, name in enumerate(path):
                field = model._meta.get_field(name)
                if not isinstance(field, ForeignKey):
                    raise FieldError(f"Non-relational field given in select_related: {name!r}.")
                clone.query.join(path[: i + 1], field, outer=False)
                if path[: i + 1] not in clone.query.select_related:
                    clone.query.select_related.append(path[: i + 1])
                model = field.related_model
        return clone

    def values(self, *fields: str) -> QuerySet[Any]:
        """Rows as dicts (all fields by attname, or the named ones)."""
        clone: QuerySet[Any] = self._clone()
        clone._kind = "values"
        clone._fields = fields
        return clone

    def values_list(self, *fields: str, flat: bool = False) -> QuerySet[Any]:
        """Rows as tuples, or single values with ``flat=True`` (one field)."""
        if flat and len(fields) != 1:
            raise TypeError("'flat' is valid only when values_list is called with one field.")
        clone: QuerySet[Any] = self._clone()
        clone._kind = "flat" if flat else "values_list"
        clone._fields = fields
        return clone

    @overload
    def __getitem__(self, k: int) -> M: ...

    @overload
    def __getitem__(self, k: slice) -> QuerySet[M]: ...

    def __getitem__(self, k: int | slice) -> M | QuerySet[M]:
        """``qs[5]`` fetches one row (sync); ``qs[:10]`` adds LIMIT/OFFSET lazily."""
        if isinstance(k, slice):
            if (k.start is not None and k.start < 0) or (k.stop is not None and k.stop < 0):
                raise ValueError("Negative indexing is not supported.")
            if k.step not in (None, 1):
                raise ValueError("Slice steps are not supported.")
            if self._result_cache is not None:
                clone = self._clone()
                clone._result_cache = self._result_cache[k]
                return clone
            clone = self._clone()
            clone.query.set_limits(k.start, k.stop)
            return clone
        if not isinstance(k, int):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(k)}.")
        if k < 0:
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            found: M = self._result_cache[k]
            return found
        clone = self._clone()
        clone.query.set_limits(k, k + 1)
        rows = run_sync(clone.alist())
        if not rows:
            raise IndexError("QuerySet index out of range")
        first: M = rows[0]
        return first

    # -- compiling ----------------------------------------------------------------

    def _select(self, ordered: bool = True) -> tuple[sa.Select[Any], Decoder]:
        """The SELECT statement and the function turning a row into a result."""
        if self._kind == "model":
            return compiler.model_select(self.model, self.query, ordered)
        return compiler.values_select(self.query, self._fields, self._kind, ordered)

    # -- evaluation (async, written once) ----------------------------------------

    async def alist(self) -> list[Any]:
        """Every result, as a list (cached on this QuerySet)."""
        if self._result_cache is None:
            if self.query.empty:
                self._result_cache = []
            else:
                self._result_cache = await self._fetch()
        return self._result_cache

    async def _fetch(self) -> list[Any]:
        """Run the SELECT: compiled once per query shape, when the query has one."""
        conn = connection()
        shape = self.query.cache_key()
        prepared: compiler.Prepared | None = None
        if shape is not None:
            key = (self._kind, self._fields, shape)
            found = conn.prepared.get(key)
            if found is None:
                found = self._prepare(conn.dialect) or False
                if len(conn.prepared) >= PREPARED_CACHE_SIZE:
                    conn.prepared.clear()
                conn.prepared[key] = found
            prepared = found if isinstance(found, compiler.Prepared) else None
        if prepared is None:
            stmt, decode = self._select()
            return [decode(row) for row in await conn.fetch_all(stmt)]
        decode = prepared.decode
        rows = await conn.fetch_prepared(prepared.sql, prepared.args(self.query.params))
        return [decode(row) for row in rows]

    def _prepare(self, dialect: Dialect) -> compiler.Prepared | None:
        """This query's SELECT compiled for reuse by every query of its shape."""
        stmt, decode = self._select()
        if self._kind == "model" and not self.query.select_related:
            decode = compiler.row_decoder(self.model)
        return compiler.prepare(stmt, decode, self.query.params, dialect)

    async def __aiter__(self) -> AsyncIterator[M]:
        for item in await self.alist():
            yield item

    async def aiterator(self) -> AsyncIterator[M]:
        """Stream the results without caching them (rows arrive as the driver reads them)."""
        if self.query.empty:
            return
        stmt, decode = self._select()
        async for row in connection().iterate(stmt):
            yield decode(row)

    async def alatest(self, *fields: str) -> M:
        """The object with the largest value of ``fields`` (or Meta.get_latest_by)."""
        return await self._extreme(fields, descending=True)

    async def aearliest(self, *fields: str) -> M:
        """The object with the smallest value of ``fields`` (or Meta.get_latest_by)."""
        return await self._extreme(fields, descending=False)

    async def _extreme(self, fields: tuple[str, ...], descending: bool) -> M:
        self._not_sliced("change the order of")
        names = list(fields) or (
            [self.model._meta.get_latest_by] if self.model._meta.get_latest_by else []
        )
        if not names:
            raise ValueError(
                "earliest() and latest() require either fields as positional arguments "
                "or 'get_latest_by' in the model's Meta."
            )
        if descending:
            names = [n[1:] if n.startswith("-") else f"-{n}" for n in names]
        found = await self.order_by(*names).afirst()
        if found is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return found

    async def aget(self, *args: Any, **kwargs: Any) -> M:
        """The one object matching; ``DoesNotExist`` / ``MultipleObjectsReturned`` otherwise."""
        _keywords_only(args, "get")
        qs = self.filter(**kwargs) if kwargs else self._clone()
        if not qs.query.is_sliced:
            qs.query.order_by, qs.query.default_ordering = [], False
            qs.query.set_limits(None, 21)
        rows = await qs.alist()
        if len(rows) == 1:
            return rows[0]  # type: ignore[no-any-return]
        name = self.model._meta.object_name
        where = f" ({_lookup_text(kwargs)})" if kwargs else ""
        if not rows:
            raise self.model.DoesNotExist(f"{name} matching query does not exist{where}.")
        more = "more than 20" if len(rows) > 20 else str(len(rows))
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {name} -- it returned {more}!{where}"
        )

    async def acount(self) -> int:
        """The number of matching rows (SELECT COUNT)."""
        if self._result_cache is not None:
            return len(self._result_cache)
        if self.query.empty:
            return 0
        query = self.query
        if query.distinct or query.is_sliced or self._kind != "model":
            inner, _ = self._select(ordered=query.is_sliced)
            stmt = sa.select(sa.func.count()).select_from(inner.subquery())
        else:
            stmt = query.apply(sa.select(sa.func.count()), ordered=False, bare=True)
        return int(await connection().fetch_val(stmt))

    async def aexists(self) -> bool:
        """Whether any row matches (SELECT ... LIMIT 1)."""
        if self._result_cache is not None:
            return bool(self._result_cache)
        if self.query.empty:
            return False
        query = self.query.clone()
        query.set_limits(None, 1)
        stmt = query.apply(sa.select(sa.literal_column("1")), ordered=False, bare=True)
        return await connection().fetch_one(stmt) is not None

    async def afirst(self) -> M | None:
        """The first object (ordered by pk when unordered), or None."""
        if self._result_cache is not None:
            rows = self._result_cache
        else:
            ordered = self.query.ordering() or self.query.is_sliced
            qs = self if ordered else self.order_by("pk")
            rows = await qs[:1].alist()  # relative to an existing slice, so LIMIT 1 always
        return rows[0] if rows else None

    async def alast(self) -> M | None:
        """The last object (ordered by pk when unordered), or None."""
        self._not_sliced("reverse")
        qs = self.reverse() if self.query.ordering() else self.order_by("-pk")
        return await qs.afirst()

    async def acreate(self, **kwargs: Any) -> M:
        """Build, insert and return a new object."""
        obj = self.model(**kwargs)
        await obj.asave(force_insert=True)
        return obj

    async def aget_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """Get the matching object, or create it from kwargs and defaults."""
        try:
            return await self.aget(**kwargs), False
        except self.model.DoesNotExist:
            pass
        params = {k: v for k, v in kwargs.items() if "__" not in k}
        params.update({k: v() if callable(v) else v for k, v in (defaults or {}).items()})
        conn = connection()
        try:
            async with conn.transaction():
                return await self.acreate(**params), True
        except IntegrityError:
            # A concurrent request may have created it between the get and the insert.
            try:
                return await self.aget(**kwargs), False
            except self.model.DoesNotExist:
                pass
            raise

    async def aupdate_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """Update the matching object with defaults, or create it."""
        defaults = defaults or {}
        async with connection().transaction():
            obj, created = await self.aget_or_create(defaults, **kwargs)
            if created:
                return obj, True
            for name, value in defaults.items():
                setattr(obj, name, value() if callable(value) else value)
            await obj.asave()
        return obj, False

    async def abulk_create(self, objs: Sequence[M], batch_size: int | None = None) -> list[M]:
        """Insert many objects in few statements; sets their pks; returns them."""
        objs = list(objs)
        if not objs:
            return objs
        meta = self.model._meta
        pk_field = self.model._pk_field()
        table = meta.table
        pk_column = table.c[pk_field.column]
        # Stay under the drivers' limit of 32767 bound parameters per statement.
        widest = max(1, len(meta.concrete_fields))
        size = max(1, min(batch_size or BULK_BATCH_SIZE, MAX_PARAMS // widest))
        conn = connection()
        # Objects with and without a pk need different column lists.
        with_pk = [o for o in objs if o.pk is not None]
        without_pk = [o for o in objs if o.pk is None]
        async with conn.transaction():
            for group, include_pk in ((with_pk, True), (without_pk, False)):
                fields = [f for f in meta.concrete_fields if include_pk or f is not pk_field]
                for start in range(0, len(group), size):
                    batch = group[start : start + size]
                    rows = [
                        {f.column: f.get_prep_value(f.pre_save(o, True)) for f in fields}
                        for o in batch
                    ]
                    stmt = sa.insert(table).values(rows).returning(pk_column)
                    returned = await conn.fetch_all(stmt)
                    for obj, row in zip(batch, returned, strict=True):
                        obj.pk = pk_field.from_db_value(row[0])
                        obj._state.adding = False
        return objs

    async def ain_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, M]:
        """A dict of objects keyed by ``field_name`` (restricted to ``id_list``)."""
        self._not_sliced("use in_bulk() on")
        if id_list is not None and not id_list:
            return {}
        name = self.model._pk_field().attname if field_name == "pk" else field_name
        if id_list is None:
            return {getattr(obj, name): obj for obj in await self.alist()}
        ids = list(id_list)
        found: dict[Any, M] = {}
        for start in range(0, len(ids), BULK_BATCH_SIZE):
            batch = self.filter(**{f"{field_name}__in": ids[start : start + BULK_BATCH_SIZE]})
            found.update((getattr(obj, name), obj) for obj in await batch.alist())
        return found

    async def aupdate(self, **kwargs: Any) -> int:
        """UPDATE the matching rows; returns how many changed."""
        self._not_sliced("update")
        if self.query.empty:
            return 0
        meta = self.model._meta
        table = meta.table
        values: dict[str, Any] = {}
        for name, value in kwargs.items():
            field: Field = meta.get_field(name)
            if field.primary_key:
                raise FieldError("Cannot update a model's primary key with update().")
            values[field.column] = field.get_prep_value(value)
        if not values:
            return 0
        pk_column = table.c[self.model._pk_field().column]
        stmt = sa.update(table).values(values)
        if self.query.joins:
            stmt = stmt.where(pk_column.in_(self.query.pk_subquery()))
        elif self.query.where:
            stmt = stmt.where(*self.query.where)
        rows = await connection().fetch_all(stmt.returning(pk_column))
        self._result_cache = None
        return len(rows)

    async def adelete(self) -> tuple[int, dict[str, int]]:
        """DELETE the matching rows, applying on_delete; returns (total, per model)."""
        self._not_sliced("delete")
        if self._kind != "model":
            raise TypeError("Cannot call delete() after .values() or .values_list().")
        if self.query.empty:
            return 0, {}
        result = await delete_query(self.query)
        self._result_cache = None
        return result

    # -- sync twins (derived through the bridge) ----------------------------------

    def get(self, *args: Any, **kwargs: Any) -> M:
        """Sync twin of ``aget``."""
        return run_sync(self.aget(*args, **kwargs))

    def latest(self, *fields: str) -> M:
        """Sync twin of ``alatest``."""
        return run_sync(self.alatest(*fields))

    def earliest(self, *fields: str) -> M:
        """Sync twin of ``aearliest``."""
        return run_sync(self.aearliest(*fields))

    def iterator(self) -> Iterator[M]:
        """The results without caching them on the QuerySet (fetched in one go here)."""
        clone = self._clone()
        return iter(run_sync(clone.alist()))

    def count(self) -> int:
        """Sync twin of ``acount``."""
        return run_sync(self.acount())

    def exists(self) -> bool:
        """Sync twin of ``aexists``."""
        return run_sync(self.aexists())

    def first(self) -> M | None:
        """Sync twin of ``afirst``."""
        return run_sync(self.afirst())

    def last(self) -> M | None:
        """Sync twin of ``alast``."""
        return run_sync(self.alast())

    def create(self, **kwargs: Any) -> M:
        """Sync twin of ``acreate``."""
        return run_sync(self.acreate(**kwargs))

    def get_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """Sync twin of ``aget_or_create``."""
        return run_sync(self.aget_or_create(defaults, **kwargs))

    def update_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """Sync twin of ``aupdate_or_create``."""
        return run_sync(self.aupdate_or_create(defaults, **kwargs))

    def bulk_create(self, objs: Sequence[M], batch_size: int | None = None) -> list[M]:
        """Sync twin of ``abulk_create``."""
        return run_sync(self.abulk_create(objs, batch_size))

    def in_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, M]:
        """Sync twin of ``ain_bulk``."""
        return run_sync(self.ain_bulk(id_list, field_name=field_name))

    def update(self, **kwargs: Any) -> int:
        """Sync twin of ``aupdate``."""
        return run_sync(self.aupdate(**kwargs))

    def delete(self) -> tuple[int, dict[str, int]]:
        """Sync twin of ``adelete``."""
        return run_sync(self.adelete())

    def __iter__(self) -> Iterator[M]:
        return iter(run_sync(self.alist()))

    def __len__(self) -> int:
        return len(run_sync(self.alist()))

    def __bool__(self) -> bool:
        return bool(run_sync(self.alist()))

    def __repr__(self) -> str:
        if self._result_cache is None:
            try:
                data = list(self[: REPR_OUTPUT_SIZE + 1])
            except SynchronousOnlyOperation:
                # repr() must not fail in a debugger or a log line on the loop thread.
                return f"<{type(self).__name__} (not evaluated) for {self.model.__name__}>"
        else:
            data = self._result_cache[: REPR_OUTPUT_SIZE + 1]
        shown = [repr(item) for item in data[:REPR_OUTPUT_SIZE]]
        if len(data) > REPR_OUTPUT_SIZE:
            shown.append("'...(remaining elements truncated)...'")
        return f"<{type(self).__name__} [{', '.join(shown)}]>"


__all__ = ["QuerySet"]
