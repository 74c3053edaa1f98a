"""``field__lookup=value`` -> a SQLAlchemy boolean expression.

LIKE-based lookups escape ``%``, ``_`` and ``\\`` in the value. ``contains``,
``startswith`` and ``endswith`` are case-sensitive on both backends (SQLite's
LIKE is not, so SQLite compiles them with ``instr``/``substr``).

Hostile values are answered without the database where the answer is known:
an integer or decimal out of the column's range (BAD_INPUT 41: a 30-digit id
is a 404, not an OverflowError), a decimal with more places than the column
keeps (compared on the column's grid instead), text containing NUL (PostgreSQL
cannot receive it, no stored text holds it).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement

from asgi_cycle.core.exceptions import FieldError
from asgi_cycle.db.models.fields import BooleanField, DecimalField, Field, IntegerField
from asgi_cycle.db.models.related import ForeignKey

Column = ColumnElement[Any]
Condition = ColumnElement[bool]

LOOKUPS = frozenset(
    {
        "exact",
        "iexact",
        "contains",
        "icontains",
        "in",
        "gt",
        "gte",
        "lt",
        "lte",
        "isnull",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "range",
    }
)


def escape_like(value: str) -> str:
    """Escape LIKE wildcards so the value matches literally (escape char ``\\``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class CaseSensitiveMatch(ColumnElement[bool]):
    """``column`` contains / starts with / ends with ``value``, case-sensitively."""

    inherit_cache = False
    type = sa.Boolean()

    def __init__(self, column: Column, value: str, mode: str) -> None:
        self.column = column
        self.value = value
        self.mode = mode


@compiles(CaseSensitiveMatch)
def _match_like(element: CaseSensitiveMatch, compiler: SQLCompiler, **kw: Any) -> str:
    escaped = escape_like(element.value)
    pattern = {
        "contains": f"%{escaped}%",
        "startswith": f"{escaped}%",
        "endswith": f"%{escaped}",
    }[element.mode]
    expr = element.column.like(sa.literal(pattern, sa.String()), escape="\\")
    return f"({compiler.process(expr, **kw)})"


@compiles(CaseSensitiveMatch, "sqlite")
def _match_sqlite(element: CaseSensitiveMatch, compiler: SQLCompiler, **kw: Any) -> str:
    value = sa.literal(element.value, sa.String())
    col = element.column
    expr: Condition
    if element.mode == "contains":
        expr = sa.func.instr(col, value) > 0
    elif element.mode == "startswith":
        expr = sa.func.substr(col, 1, sa.func.length(value)) == value
    else:
        n = len(element.value)
        expr = sa.func.substr(col, -n) == value if n else col.is_not(None)
    return f"({compiler.process(expr, **kw)})"


def _prep(field: Field, value: Any) -> Any:
    if hasattr(value, "_meta") and not isinstance(field, ForeignKey):
        return value.pk
    if isinstance(field, DecimalField):
        # Compare exactly: rounding to the field's places here would change the answer.
        return field.to_python(value)
    return field.get_prep_value(value)


def _bounded(field: Field) -> IntegerField | DecimalField | None:
    """The numeric field whose storable range bounds a lookup, if any."""
    if isinstance(field, ForeignKey):
        field = field.target_field
    return field if isinstance(field, IntegerField | DecimalField) else None


def _in_range(field: IntegerField | DecimalField, value: Any) -> bool:
    if isinstance(field, IntegerField):
        return field.in_range(value)
    limit = Decimal(10) ** (field.max_digits - field.decimal_places)
    return bool(-limit < value < limit)


def _stored_form(field: Field, value: Any, rounding: str | None) -> Any:
    """A decimal bound moved onto the column's grid (stored values have exact places)."""
    if not isinstance(field, DecimalField) or rounding is None:
        return value
    return value.quantize(Decimal(1).scaleb(-field.decimal_places), rounding=rounding)


def _storable(field: Field, prepared: Any) -> bool:
    """Whether a stored value can equal ``prepared`` (else the answer is known: none)."""
    if _has_nul(prepared):
        return False
    bounded = _bounded(field)
    if bounded is not None and not _in_range(bounded, prepared):
        return False
    # A decimal with more places than the column keeps equals no stored value.
    return bool(_stored_form(field, prepared, ROUND_DOWN) == prepared)


def _exact(field: Field, col: Column, value: Any) -> Condition:
    if value is None:
        return col.is_(None)
    prepared = _prep(field, value)
    if not _storable(field, prepared):
        return sa.false()
    cond: Condition = col == prepared
    return cond


#: For x on a grid of step q: x > v  <=>  x > floor_q(v), x >= v  <=>  x >= ceil_q(v), ...
_GRID_ROUNDING = {"gt": ROUND_FLOOR, "gte": ROUND_CEILING, "lt": ROUND_CEILING, "lte": ROUND_FLOOR}


def _compare(op: str) -> Callable[[Field, Column, Any], Condition]:
    def build(field: Field, col: Column, value: Any) -> Condition:
        if value is None:
            raise ValueError(f"Cannot use None as a query value for '{op}'.")
        prepared = _prep(field, value)
        bounded = _bounded(field)
        if bounded is not None and not _in_range(bounded, prepared):
            # Out of range: the answer is known without asking the database.
            above = prepared > 0
            everything = (op in ("lt", "lte")) == above
            return col.is_not(None) if everything else sa.false()
        prepared = _stored_form(field, prepared, _GRID_ROUNDING[op])
        ops: dict[str, Callable[[Column, Any], Condition]] = {
            "gt": lambda c, v: c > v,
            "gte": lambda c, v: c >= v,
            "lt": lambda c, v: c < v,
            "lte": lambda c, v: c <= v,
        }
        return ops[op](col, prepared)

    return build


def _in_values(field: Field, value: Any) -> list[Any]:
    """The values an IN list binds: prepared, without those no stored value can equal."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"The 'in' lookup needs an iterable, not {type(value).__name__}.")
    values = []
    for item in value:
        if item is None:
            continue
        prepared = _prep(field, item)
        if _storable(field, prepared):
            values.append(prepared)
    return values


def _in(field: Field, col: Column, value: Any) -> Condition:
    values = _in_values(field, value)
    if not values:
        return sa.false()
    # One typed bind per value, not an "expanding" IN parameter: databases' compiler
    # skips the column type's bind processor for expanded values.
    return col.in_([sa.literal(v, col.type) for v in values])


def _range(field: Field, col: Column, value: Any) -> Condition:
    low, high = value
    return sa.and_(_compare("gte")(field, col, low), _compare("lte")(field, col, high))


def _isnull(field: Field, col: Column, value: Any) -> Condition:
    if not isinstance(value, bool):
        raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
    return col.is_(None) if value else col.is_not(None)


def _text(value: Any) -> str:
    if value is None:
        raise ValueError("Cannot use None as a query value for a text lookup.")
    return str(value)


def _has_nul(value: Any) -> bool:
    """Text with a NUL: PostgreSQL cannot even receive it, and no saved text holds one."""
    return isinstance(value, str) and "\x00" in value


def _sensitive(mode: str) -> Callable[[Field, Column, Any], Condition]:
    def build(field: Field, col: Column, value: Any) -> Condition:
        text = _text(value)
        if _has_nul(text):
            return sa.false()
        return CaseSensitiveMatch(col, text, mode)

    return build


def _insensitive(template: str) -> Callable[[Field, Column, Any], Condition]:
    def build(field: Field, col: Column, value: Any) -> Condition:
        if _has_nul(_text(value)):
            return sa.false()
        pattern = template.format(escape_like(_text(value)))
        return col.ilike(sa.literal(pattern, sa.String()), escape="\\")

    return build


_BUILDERS: dict[str, Callable[[Field, Column, Any], Condition]] = {
    "exact": _exact,
    "iexact": _insensitive("{}"),
    "contains": _sensitive("contains"),
    "icontains": _insensitive("%{}%"),
    "startswith": _sensitive("startswith"),
    "istartswith": _insensitive("{}%"),
    "endswith": _sensitive("endswith"),
    "iendswith": _insensitive("%{}"),
    "in": _in,
    "gt": _compare("gt"),
    "gte": _compare("gte"),
    "lt": _compare("lt"),
    "lte": _compare("lte"),
    "range": _range,
    "isnull": _isnull,
}


def build_lookup(field: Field, column: Column, lookup: str, value: Any) -> Condition:
    """The condition for ``field__lookup=value`` on ``column``."""
    try:
        builder = _BUILDERS[lookup]
    except KeyError:
        raise FieldError(
            f"Unsupported lookup {lookup!r} for {type(field).__name__} '{field.name}'. "
            f"Choices are: {', '.join(sorted(LOOKUPS))}."
        ) from None
    if isinstance(field, BooleanField) and lookup == "exact" and value is not None:
        cond: Condition = column == field.to_python(value)
        return cond
    return builder(field, column, value)


def lookup_params(field: Field, lookup: str, value: Any) -> tuple[Hashable, list[Any]] | None:
    """What ``build_lookup`` binds, when the value shapes its SQL only through a token.

    Returns ``(token, params)``: two values with equal tokens give the same SQL, with
    ``params`` bound in that order. None when the value changes the SQL in a way no
    token here describes (a condition answered without the database, an empty IN
    list, LIKE patterns built by the compiler): those take the ordinary path, which
    also raises the errors a bad value deserves. Pure and cheap: no SQLAlchemy.
    """
    if lookup == "isnull":
        return (("isnull", value), []) if isinstance(value, bool) else None
    if lookup == "exact":
        if value is None:
            return "exact-null", []
        if isinstance(field, BooleanField):
            return "exact", [field.to_python(value)]
        prepared = _prep(field, value)
        return ("exact", [prepared]) if _storable(field, prepared) else None
    if lookup in _GRID_ROUNDING:
        if value is None:
            return None
        prepared = _prep(field, value)
        bounded = _bounded(field)
        if bounded is not None and not _in_range(bounded, prepared):
            return None
        return lookup, [_stored_form(field, prepared, _GRID_ROUNDING[lookup])]
    if lookup == "in":
        values = _in_values(field, value)
        return (("in", len(values)), values) if values else None
    return None


__all__ = ["LOOKUPS", "build_lookup", "escape_like", "lookup_params"]
