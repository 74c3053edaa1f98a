"""``Query``: the state behind a QuerySet, compiled to SQLAlchemy Core statements.

A Query holds conditions, joins (one alias per foreign-key path), ordering,
limits, DISTINCT and the select_related paths. Forward keys become joins
(INNER, or LEFT OUTER when a key on the path is nullable or the join serves an
exclude/ordering); reverse keys become ``IN (subquery)``. It is pure: building and
compiling it runs no I/O, so a QuerySet can be built on the event loop and
only evaluated through ``await`` (or the sync bridge).

Filters on the model's own columns are also described by a *shape*: one token per
keyword saying what SQL it compiles to, with the values it binds kept apart in
``params``. Two queries with equal ``cache_key()`` compile to the same SQL and
differ only in ``params``, so the compiled statement can be reused; their
SQLAlchemy conditions are built only when somebody reads ``where``. A filter the
shape cannot describe (joins, reverse relations, a value that changes the SQL)
turns the shape off for that query.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from asgi_cycle.core.exceptions import FieldDoesNotExist, FieldError
from asgi_cycle.db.models.fields import Field
from asgi_cycle.db.models.lookups import LOOKUPS, build_lookup, lookup_params
from asgi_cycle.db.models.related import ForeignKey

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model

Column = ColumnElement[Any]
Condition = ColumnElement[bool]


@dataclass(frozen=True)
class Join:
    """One LEFT/INNER join along a foreign key."""

    alias: FromClause
    parent: tuple[str, ...]
    field: ForeignKey
    outer: bool


@dataclass(frozen=True)
class Resolved:
    """A field path resolved to its field, the column expression and its join path."""

    field: Field
    column: Column
    path: tuple[str, ...]


class Query:
    """The SQL a QuerySet stands for."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.table: sa.Table = model._meta.table
        self._where: list[Condition] = []
        #: Filters whose conditions are not built yet: (kwargs, negate), in order.
        self._pending: list[tuple[dict[str, Any], bool]] = []
        #: One token per filter() / exclude() call; None when the filters have no shape.
        self.shape: list[Hashable] | None = []
        #: The values the shaped filters bind, in the order the SQL binds them.
        self.params: list[Any] = []
        self.joins: dict[tuple[str, ...], Join] = {}
        self.order_by: list[str] | None = None
        self.default_ordering = True
        self.low = 0
        self.high: int | None = None
        self.distinct = False
        self.select_related: list[tuple[str, ...]] = []
        self.empty = False

    def clone(self) -> Query:
        """A copy whose lists can change independently."""
        new = Query.__new__(Query)
        new.__dict__.update(self.__dict__)
        new._where = list(self._where)
        new._pending = list(self._pending)
        new.shape = list(self.shape) if self.shape is not None else None
        new.params = list(self.params)
        new.joins = dict(self.joins)
        new.order_by = list(self.order_by) if self.order_by is not None else None
        new.select_related = list(self.select_related)
        return new

    # -- resolving names --------------------------------------------------------

    def _source(self, path: tuple[str, ...]) -> FromClause:
        return self.table if not path else self.joins[path].alias

    def join(self, path: tuple[str, ...], field: ForeignKey, outer: bool) -> FromClause:
        """The alias for following ``field`` from ``path[:-1]`` (created once)."""
        existing = self.joins.get(path)
        if existing is not None:
            return existing.alias
        parent_outer = bool(path[:-1]) and self.joins[path[:-1]].outer
        alias = field.related_model._meta.table.alias(f"T{len(self.joins) + 1}")
        self.joins[path] = Join(alias, path[:-1], field, outer or field.null or parent_outer)
        return alias

    def resolve(self, name: str, *, outer: bool = False) -> tuple[Resolved, list[str]]:
        """Follow ``a__b__c``: fields across foreign keys, then the lookup names left."""
        parts = name.split("__")
        model = self.model
        path: tuple[str, ...] = ()
        i = 0
        while True:
            field = _get_field(model, parts[i])
            i += 1
            rest = parts[i:]
            if not rest or (rest[0] in LOOKUPS and not _is_field(field, rest[0])):
                break
            if not isinstance(field, ForeignKey) or parts[i - 1] == field.attname:
                raise FieldError(f"Unsupported lookup {'__'.join(rest)!r} in {name!r}.")
            if rest[0] in (field.target_field.name, "pk") and (
                len(rest) == 1 or rest[1] in LOOKUPS
            ):
                # ``author__id`` needs no join: the key is in this table.
                i += 1
                rest = parts[i:]
                break
            path = (*path, field.name)
            self.join(path, field, outer)
            model = field.related_model
        column = self._source(path).c[field.column]
        return Resolved(field, column, path), rest

    def condition(self, name: str, value: Any, *, negate: bool = False) -> Condition:
        """The condition for one ``filter()``/``exclude()`` keyword."""
        resolved, rest = self.resolve(name, outer=negate)
        if len(rest) > 1:
            raise FieldError(f"Unsupported lookup {'__'.join(rest)!r} in {name!r}.")
        lookup = rest[0] if rest else "exact"
        cond = build_lookup(resolved.field, resolved.column, lookup, value)
        null_test = lookup == "isnull" or (lookup == "exact" and value is None)
        if negate and not null_test and (resolved.field.null or resolved.path):
            # NOT (x = v) is NULL, not true, for NULL x: keep those rows as Django does.
            cond = sa.and_(cond, resolved.column.is_not(None))
        return cond

    @property
    def where(self) -> list[Condition]:
        """The WHERE conditions (ANDed), building any deferred filter's now."""
        if self._pending:
            pending, self._pending = self._pending, []
            for kwargs, negate in pending:
                self._build_filter(kwargs, negate)
        return self._where

    def add_filter(self, kwargs: dict[str, Any], *, negate: bool = False) -> None:
        """AND the keywords in (or, for exclude, AND NOT all of them).

        Keywords through a reverse relation (``book__title`` on Author) become one
        ``pk IN (SELECT author_id FROM book WHERE ...)`` per relation, so one
        related row must match all of that relation's keywords, as in Django.
        """
        if self.shape is not None:
            kwargs = dict(kwargs)
            shaped = self._shape_of(kwargs)
            if shaped is not None:
                tokens, params = shaped
                self.shape.append((negate, tokens))
                self.params.extend(params)
                self._pending.append((kwargs, negate))
                return
            self.shape = None
        self.where  # noqa: B018 -- deferred filters first, so conditions keep their order
        self._build_filter(kwargs, negate)

    def _shape_of(self, kwargs: dict[str, Any]) -> tuple[tuple[Hashable, ...], list[Any]] | None:
        """Tokens and bound values of keywords on this model's own columns, if all are.

        An ``in`` value is read into a list in ``kwargs`` itself, so whichever path
        builds the condition later sees the same values, even from an iterator.
        """
        tokens: list[Hashable] = []
        params: list[Any] = []
        for name, value in list(kwargs.items()):
            found = _local_lookup(self.model, name)
            if found is None:
                return None
            field, lookup = found
            if lookup == "in" and not isinstance(value, str | bytes):
                try:
                    value = kwargs[name] = list(value)
                except TypeError:
                    return None
            try:
                described = lookup_params(field, lookup, value)
            except Exception:  # the ordinary path raises it, in its own words
                return None
            if described is None:
                return None
            tokens.append((name, described[0]))
            params.extend(described[1])
        return tuple(tokens), params

    def _build_filter(self, kwargs: dict[str, Any], negate: bool) -> None:
        conds: list[Condition] = []
        reverse: dict[str, dict[str, Any]] = {}
        for name, value in kwargs.items():
            head, _, rest = name.partition("__")
            if _reverse_relation(self.model, head) is not None:
                reverse.setdefault(head, {})[rest] = value
            else:
                conds.append(self.condition(name, value, negate=negate))
        for head, sub_kwargs in reverse.items():
            conds.append(self._reverse_condition(head, sub_kwargs))
        if not conds:
            return
        if negate:
            self._where.append(sa.not_(sa.and_(*conds)))
        else:
            self._where.extend(conds)

    def cache_key(self) -> Hashable | None:
        """Equal keys compile to the same SQL, binding ``params``; None: no shape."""
        if self.shape is None:
            return None
        return (
            self.model,
            tuple(self.shape),
            tuple(self.order_by) if self.order_by is not None else None,
            self.default_ordering,
            self.low,
            self.high,
            self.distinct,
            tuple(self.select_related),
            tuple((path, join.outer) for path, join in self.joins.items()),
        )

    def _reverse_condition(self, name: str, kwargs: dict[str, Any]) -> Condition:
        fk = _reverse_relation(self.model, name)
        if fk is None or fk.model is None:
            raise FieldError(f"Cannot resolve keyword {name!r} into field.")
        sub = Query(fk.model)
        sub_kwargs: dict[str, Any] = {}
        has_related: bool | None = None
        for rest, value in kwargs.items():
            if rest == "isnull":
                has_related = not value
                continue
            if not rest or (rest in LOOKUPS and not _has_field(fk.model, rest)):
                rest = f"pk__{rest}" if rest else "pk"
            sub_kwargs[rest] = value
        sub.add_filter(sub_kwargs)
        key = sub.table.c[fk.column]
        related = sub.apply(sa.select(key), ordered=False).where(key.is_not(None))
        # Never correlate: with a self-reference the inner FROM is the outer table.
        related = related.correlate(None)
        cond: Condition = self.table.c[fk.target_field.column].in_(related)
        return sa.not_(cond) if has_related is False else cond

    # -- ordering -----------------------------------------------------------------

    def ordering(self) -> list[str]:
        """The effective ordering: explicit, else Meta.ordering."""
        if self.order_by is not None:
            return self.order_by
        return list(self.model._meta.ordering) if self.default_ordering else []

    def order_clauses(self, names: list[str]) -> list[Any]:
        """ORDER BY expressions for Django-style names (``-`` for descending, ``?``)."""
        clauses: list[Any] = []
        for name in names:
            if name == "?":
                clauses.append(sa.func.random())
                continue
            desc = name.startswith("-")
            resolved, rest = self.resolve(name.lstrip("-"), outer=True)
            if rest:
                raise FieldError(f"Cannot order by {name!r}.")
            clauses.append(resolved.column.desc() if desc else resolved.column.asc())
        return clauses

    # -- compiling ----------------------------------------------------------------

    def from_clause(self) -> FromClause:
        """The base table joined with every alias."""
        source: FromClause = self.table
        for join in self.joins.values():
            parent = self._source(join.parent)
            on = parent.c[join.field.column] == join.alias.c[join.field.target_field.column]
            source = source.join(join.alias, on, isouter=join.outer)
        return source

    def apply(
        self, stmt: sa.Select[Any], *, ordered: bool = True, bare: bool = False
    ) -> sa.Select[Any]:
        """Add FROM, WHERE, ORDER BY, DISTINCT, LIMIT and OFFSET to a select.

        ``bare``: the select names no column of the table (COUNT(*), 1), so it needs
        an explicit FROM; otherwise the columns imply it unless there are joins.
        """
        order = self.order_clauses(self.ordering()) if ordered else []
        if self.joins or bare:
            stmt = stmt.select_from(self.from_clause())
        if self.where:
            stmt = stmt.where(*self.where)
        if order:
            stmt = stmt.order_by(*order)
        if self.distinct:
            stmt = stmt.distinct()
        if self.high is not None:
            stmt = stmt.limit(self.high - self.low)
        if self.low:
            stmt = stmt.offset(self.low)
        return stmt

    def set_limits(self, low: int | None, high: int | None) -> None:
        """Narrow the window, relative to the current one (slices of slices work)."""
        if high is not None:
            new_high = self.low + high
            self.high = min(self.high, new_high) if self.high is not None else new_high
        if low is not None:
            self.low = self.low + low
            if self.high is not None:
                self.low = min(self.low, self.high)

    @property
    def is_sliced(self) -> bool:
        """Whether LIMIT/OFFSET are set."""
        return self.low != 0 or self.high is not None

    def pk_subquery(self) -> sa.Select[Any]:
        """SELECT pk of the matching rows (for UPDATE/DELETE across joins)."""
        pk = self.model._pk_field()
        return self.apply(sa.select(self.table.c[pk.column]), ordered=self.is_sliced)


def _get_field(model: type[Model], name: str) -> Field:
    meta = model._meta
    if name == "pk":
        return model._pk_field()
    try:
        return meta.get_field(name)
    except FieldDoesNotExist:
        choices = ", ".join(sorted(f.name for f in meta.fields))
        raise FieldError(
            f"Cannot resolve keyword {name!r} into field. Choices are: {choices}."
        ) from None


_local_lookups: dict[tuple[type[Model], str], tuple[Field, str]] = {}


def _local_lookup(model: type[Model], name: str) -> tuple[Field, str] | None:
    """``(field, lookup)`` when ``name`` is a column of the model itself, else None."""
    key = (model, name)
    found = _local_lookups.get(key)
    if found is not None:
        return found
    field_name, _, lookup = name.partition("__")
    try:
        field = _get_field(model, field_name)
    except FieldError:
        return None
    if not lookup:
        lookup = "exact"
    elif lookup not in LOOKUPS or _is_field(field, lookup):
        return None
    if len(_local_lookups) >= 4096:  # names come from code; this bounds odd callers
        _local_lookups.clear()
    _local_lookups[key] = found = (field, lookup)
    return found


def _has_field(model: type[Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return name == "pk"
    return True


def _reverse_relation(model: type[Model], name: str) -> ForeignKey | None:
    """The ForeignKey reached backwards as ``name`` (related_name, else the model name)."""
    if _has_field(model, name):
        return None
    for fk in model._meta.related_objects:
        if fk.related_name == "+" or fk.model is None:
            continue
        if (fk.related_name or fk.model._meta.model_name) == name:
            return fk
    return None


def _is_field(field: Field, name: str) -> bool:
    """Whether ``name`` after ``field`` is a field of the related model (not a lookup)."""
    if not isinstance(field, ForeignKey):
        return False
    try:
        field.related_model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


__all__ = ["Join", "Query", "Resolved"]
