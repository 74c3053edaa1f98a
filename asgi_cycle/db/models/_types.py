"""SQLAlchemy column types that give both backends the same Python values.

SQLite has no exact decimal and no timezone-aware timestamp, so:

- ``DecimalType`` stores a scaled integer on SQLite (``Decimal("9.99")`` with 2
  places is ``999``), which keeps ordering and comparisons in SQL right and the
  round trip exact; past 18 digits (beyond a 64-bit integer) it stores the
  scaled integer as fixed-width text that sorts like the number (``sortable_text``).
  PostgreSQL gets ``NUMERIC(max_digits, decimal_places)``.
- ``UTCDateTime`` stores fixed-width ISO text in UTC on SQLite (sortable as
  text) and ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL.

Bind conversion happens here (SQLAlchemy applies it when a statement is
compiled); result conversion is the field's ``from_db_value``, because the
``databases`` records do not run result processors on SQLite.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import zoneinfo
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

UTC = datetime.UTC
#: The widest decimal whose scaled integer still fits SQLite's 64-bit INTEGER.
MAX_SCALED_DIGITS = 18


#: Wide enough for any NUMERIC PostgreSQL accepts: quantize/scaleb never round here.
EXACT = decimal.Context(prec=1100)


def quantize(value: Decimal, places: int) -> Decimal:
    """``value`` with exactly ``places`` decimal places (ROUND_HALF_EVEN past them)."""
    return value.quantize(Decimal(1).scaleb(-places), context=EXACT)


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> datetime.tzinfo:
    return UTC if name == "UTC" else zoneinfo.ZoneInfo(name)


def default_timezone() -> datetime.tzinfo:
    """``settings.TIME_ZONE``: where a naive datetime is taken to be, as Django does."""
    from asgi_cycle.conf import settings

    return _zone(str(getattr(settings, "TIME_ZONE", "UTC") or "UTC"))


def as_utc(value: datetime.datetime) -> datetime.datetime:
    """The same instant, aware and in UTC; a naive value is in ``settings.TIME_ZONE``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_timezone())
    return value.astimezone(UTC)


class DecimalType(TypeDecorator[Decimal]):
    """An exact decimal column: NUMERIC where native, a scaled integer on SQLite."""

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, max_digits: int, decimal_places: int) -> None:
        super().__init__(precision=max_digits, scale=decimal_places, asdecimal=True)
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def _scaled(self, dialect: Dialect) -> bool:
        return dialect.name == "sqlite"

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Pick the storage type for this backend."""
        if dialect.name == "sqlite":
            if self.max_digits <= MAX_SCALED_DIGITS:
                return dialect.type_descriptor(sa.BigInteger())
            return dialect.type_descriptor(sa.Text())
        return dialect.type_descriptor(sa.Numeric(self.max_digits, self.decimal_places))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Convert a Decimal (or int/str) to the backend's storage form."""
        if value is None:
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        number = quantize(number, self.decimal_places)
        if dialect.name == "sqlite":
            scaled = int(number.scaleb(self.decimal_places, context=EXACT))
            if abs(scaled) >= 10**self.max_digits:
                # PostgreSQL refuses it too ("numeric field overflow"): same on SQLite.
                raise ValueError(
                    f"{value!r} has more than {self.max_digits} digits "
                    f"({self.decimal_places} after the point)."
                )
            if self.max_digits <= MAX_SCALED_DIGITS:
                return scaled
            return sortable_text(scaled, self.max_digits)
        return number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Read the storage form back as a Decimal with the field's places."""
        return decimal_from_db(value, self.decimal_places, self.max_digits)

    @property
    def python_type(self) -> type[Decimal]:
        """Values are always Decimal."""
        return Decimal


def sortable_text(scaled: int, digits: int) -> str:
    """A scaled integer as text whose string order is its numeric order.

    ``"1" + n`` zero-padded for n >= 0 and ``"0" + (10**digits + n)`` for n < 0,
    always ``digits + 1`` characters, so SQLite's text comparison and ORDER BY agree
    with the numbers, and equality stays exact.
    """
    if scaled >= 0:
        return "1" + str(scaled).zfill(digits)
    return "0" + str(10**digits + scaled).zfill(digits)


def _from_sortable_text(text: str, digits: int) -> int | None:
    if len(text) != digits + 1 or not text.isdigit() or text[0] not in "01":
        return None
    body = int(text[1:])
    return body if text[0] == "1" else body - 10**digits


def decimal_from_db(
    value: Any, decimal_places: int, max_digits: int | None = None
) -> Decimal | None:
    """A stored decimal as a Decimal: an int (or sortable text) is a scaled integer."""
    if value is None:
        return None
    if isinstance(value, str) and max_digits is not None and max_digits > MAX_SCALED_DIGITS:
        scaled = _from_sortable_text(value, max_digits)
        if scaled is not None:
            value = scaled
    if isinstance(value, int) and not isinstance(value, bool):
        return quantize(Decimal(value).scaleb(-decimal_places, context=EXACT), decimal_places)
    if isinstance(value, float):
        value = repr(value)
    return quantize(Decimal(value), decimal_places)


class UTCDateTime(TypeDecorator[datetime.datetime]):
    """An aware UTC datetime column: timestamptz, or fixed-width ISO text on SQLite."""

    impl = sa.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Pick the storage type for this backend."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(26))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Convert to UTC and, on SQLite, to sortable text."""
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        value = as_utc(value)
        if dialect.name == "sqlite":
            # isoformat, not strftime: years below 1000 keep four digits (fixed width).
            return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime.datetime | None:
        """Read back an aware UTC datetime."""
        return datetime_from_db(value)

    @property
    def python_type(self) -> type[datetime.datetime]:
        """Values are always datetime."""
        return datetime.datetime


def datetime_from_db(value: Any) -> datetime.datetime | None:
    """A stored datetime (text or native) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"Cannot read {value!r} as a datetime.")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # stored in UTC (SQLite text)
    return value.astimezone(UTC)


__all__ = [
    "EXACT",
    "DecimalType",
    "UTCDateTime",
    "as_utc",
    "quantize",
    "datetime_from_db",
    "default_timezone",
    "decimal_from_db",
]
