"""Model fields: the Python value, its validation, and its database column.

Each field knows three conversions:

- ``to_python(value)``: user input -> the field's Python type (``ValidationError``
  when impossible); used by ``full_clean``, lookups and fixtures.
- ``get_prep_value(value)``: a Python value -> the value bound in SQL (the
  column type then adapts it to the backend).
- ``from_db_value(value)``: what the driver returned -> the Python value.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

import sqlalchemy as sa

from asgi_cycle.core.exceptions import ValidationError
from asgi_cycle.db.models._types import (
    DecimalType,
    UTCDateTime,
    as_utc,
    datetime_from_db,
    decimal_from_db,
    quantize,
)

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model


class _NotProvided:
    def __repr__(self) -> str:
        return "NOT_PROVIDED"


NOT_PROVIDED: Any = _NotProvided()


class Field:
    """A model attribute stored in one column."""

    empty_values: tuple[Any, ...] = (None, "", [], (), {})
    is_relation = False
    auto_created = False
    _creation_counter = 0

    def __init__(
        self,
        verbose_name: str | None = None,
        *,
        primary_key: bool = False,
        null: bool = False,
        blank: bool = False,
        default: Any = NOT_PROVIDED,
        unique: bool = False,
        db_index: bool = False,
        choices: Iterable[tuple[Any, str]] | None = None,
        db_column: str | None = None,
        editable: bool = True,
        help_text: str = "",
    ) -> None:
        self.verbose_name = verbose_name
        self.primary_key = primary_key
        self.null = null
        self.blank = blank
        self.default = default
        self.unique = unique or primary_key
        self.db_index = db_index
        self.choices = list(choices) if choices is not None else None
        self.db_column = db_column
        self.editable = editable
        self.help_text = help_text
        self.name = ""
        self.attname = ""
        self.column = ""
        self.model: type[Model] | None = None
        # Declaration order decides column order, as in Django.
        self.creation_counter = Field._creation_counter
        Field._creation_counter += 1

    def __repr__(self) -> str:
        owner = f"{self.model.__name__}." if self.model is not None else ""
        return f"<{type(self).__name__}: {owner}{self.name}>"

    # -- wiring ---------------------------------------------------------------

    def set_attributes_from_name(self, name: str) -> None:
        """Derive attname, column and verbose_name from the attribute name."""
        self.name = name
        self.attname = self.get_attname()
        self.column = self.db_column or self.attname
        if self.verbose_name is None:
            self.verbose_name = name.replace("_", " ")

    def get_attname(self) -> str:
        """The instance attribute holding the raw value."""
        return self.name

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        """Attach the field to a model class."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self)
        if self.choices is not None and f"get_{name}_display" not in cls.__dict__:
            setattr(cls, f"get_{name}_display", _display_method(self))

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """The SQLAlchemy column type."""
        raise NotImplementedError

    def make_column(self) -> sa.Column[Any]:
        """The SQLAlchemy column for the model's table."""
        return sa.Column(
            self.column,
            self.sa_type(),
            primary_key=self.primary_key,
            nullable=self.null and not self.primary_key,
            unique=self.unique and not self.primary_key,
            index=self.db_index and not self.unique,
            autoincrement=False,
        )

    # -- values ---------------------------------------------------------------

    def has_default(self) -> bool:
        """Whether a default was declared."""
        return self.default is not NOT_PROVIDED

    def get_default(self) -> Any:
        """The default value (calling a callable default)."""
        if self.has_default():
            return self.default() if callable(self.default) else self.default
        if not self.empty_strings_allowed or self.null:
            return None
        return ""

    empty_strings_allowed = True

    def to_python(self, value: Any) -> Any:
        """Convert input to the field's Python type."""
        return value

    def get_prep_value(self, value: Any) -> Any:
        """The value to bind in a query."""
        return value

    def from_db_value(self, value: Any) -> Any:
        """Convert what the database returned."""
        return value

    def pre_save(self, instance: Model, add: bool) -> Any:
        """The value to save for ``instance`` (auto_now fields set it here)."""
        return getattr(instance, self.attname)

    def validate(self, value: Any, instance: Model | None) -> None:
        """Check choices, null and blank; raise ValidationError."""
        if self.choices is not None and value not in self.empty_values:
            if value not in {key for key, _ in self.choices}:
                raise ValidationError(
                    f"Value {value!r} is not a valid choice.", code="invalid_choice"
                )
        if value is None and not self.null:
            raise ValidationError("This field cannot be null.", code="null")
        if not self.blank and value in self.empty_values:
            raise ValidationError("This field cannot be blank.", code="blank")

    def run_validators(self, value: Any) -> None:
        """Field-type checks (length, range, digits) on a non-empty value."""

    def clean(self, value: Any, instance: Model | None) -> Any:
        """Convert, validate and return the cleaned value."""
        value = self.to_python(value)
        self.validate(value, instance)
        if value not in self.empty_values:
            self.run_validators(value)
        return value

    def value_to_string(self, instance: Model) -> Any:
        """The JSON-friendly value for fixtures."""
        return getattr(instance, self.attname)


_T = TypeVar("_T")


class _Typed(Generic[_T]):
    """Typing only: on an instance a field reads as its Python value (``str`` ...).

    At runtime fields are not class attributes (the metaclass collects them) and
    instances hold plain values; this tells type checkers the same.
    """

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: Any) -> Self: ...

        @overload
        def __get__(self, instance: Model, owner: Any) -> _T: ...

        def __get__(self, instance: Model | None, owner: Any) -> Any: ...

        def __set__(self, instance: Model, value: Any) -> None: ...


def _display_method(field: Field) -> Callable[[Model], str]:
    labels = dict(field.choices or [])

    def get_display(self: Model) -> str:
        """The human-readable label of the field's choice (the value if none matches)."""
        value = getattr(self, field.attname)
        return str(labels.get(value, value))

    get_display.__name__ = f"get_{field.name}_display"
    return get_display


class IntegerField(Field, _Typed[int]):
    """A 32-bit signed integer."""

    empty_strings_allowed = False
    min_value = -(2**31)
    max_value = 2**31 - 1

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """INTEGER."""
        return sa.Integer()

    def to_python(self, value: Any) -> Any:
        """Accept ints and integer strings."""
        if value is None or isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            if isinstance(value, float | Decimal) and value != int(value):
                raise ValueError
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            raise ValidationError(f"“{value}” value must be an integer.", code="invalid") from None

    def get_prep_value(self, value: Any) -> Any:
        """Bind an int."""
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Field '{self.name}' expected a number but got {value!r}.") from exc

    def in_range(self, value: int) -> bool:
        """Whether the column can hold ``value`` (a lookup out of range matches nothing)."""
        return self.min_value <= value <= self.max_value

    def run_validators(self, value: Any) -> None:
        """Check the range the column can store."""
        if value < self.min_value:
            raise ValidationError(
                f"Ensure this value is greater than or equal to {self.min_value}.",
                code="min_value",
            )
        if value > self.max_value:
            raise ValidationError(
                f"Ensure this value is less than or equal to {self.max_value}.", code="max_value"
            )


class BigIntegerField(IntegerField):
    """A 64-bit signed integer."""

    min_value = -(2**63)
    max_value = 2**63 - 1

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """BIGINT."""
        return sa.BigInteger()


class AutoField(IntegerField):
    """An auto-incrementing 32-bit primary key (ids start at 1)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)
        if not self.primary_key:
            from asgi_cycle.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("AutoFields must set primary_key=True.")

    def make_column(self) -> sa.Column[Any]:
        """An autoincrement primary key column (SERIAL / INTEGER PRIMARY KEY)."""
        return sa.Column(self.column, self.sa_type(), primary_key=True, autoincrement=True)

    def validate(self, value: Any, instance: Model | None) -> None:
        """An unsaved instance has no id yet: nothing to check."""


class BigAutoField(AutoField):
    """An auto-incrementing 64-bit primary key."""

    min_value = -(2**63)
    max_value = 2**63 - 1

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """BIGSERIAL; on SQLite plain INTEGER, the rowid alias that autoincrements."""
        return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class BooleanField(Field, _Typed[bool]):
    """True or False (or None when ``null``)."""

    empty_strings_allowed = False
    _true = {"t", "true", "1", "yes", "on"}
    _false = {"f", "false", "0", "no", "off"}

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """BOOLEAN (an integer on SQLite)."""
        return sa.Boolean(create_constraint=False)

    def to_python(self, value: Any) -> Any:
        """Accept bools, 0/1 and the usual words."""
        if value is None and self.null or isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in self._true:
            return True
        if isinstance(value, str) and value.lower() in self._false:
            return False
        raise ValidationError(f"“{value}” value must be either True or False.", code="invalid")

    def get_prep_value(self, value: Any) -> Any:
        """Bind a bool."""
        return None if value is None else self.to_python(value)

    def from_db_value(self, value: Any) -> Any:
        """SQLite returns 0/1."""
        return None if value is None else bool(value)

    def validate(self, value: Any, instance: Model | None) -> None:
        """False is a value, not blank."""
        if value is None and not self.null:
            raise ValidationError("This field cannot be null.", code="null")
        if self.choices is not None and value is not None:
            super().validate(value, instance)


def _check_no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(
            "Null characters are not allowed.", code="null_characters_not_allowed"
        )


class CharField(Field, _Typed[str]):
    """A string of at most ``max_length`` characters (VARCHAR)."""

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if max_length is None or max_length <= 0:
            from asgi_cycle.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("CharFields must define a positive 'max_length'.")
        self.max_length = max_length

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """VARCHAR(max_length)."""
        return sa.String(self.max_length)

    def to_python(self, value: Any) -> Any:
        """Strings stay; other values become their str()."""
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        """Bind a str."""
        return self.to_python(value)

    def run_validators(self, value: Any) -> None:
        """Check max_length (and that there is no NUL, which PostgreSQL cannot store)."""
        _check_no_nul(value)
        if len(value) > self.max_length:
            raise ValidationError(
                f"Ensure this value has at most {self.max_length} characters "
                f"(it has {len(value)}).",
                code="max_length",
            )


class TextField(CharField):
    """An unbounded string (TEXT)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        Field.__init__(self, *args, **kwargs)
        self.max_length = 0

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """TEXT."""
        return sa.Text()

    def run_validators(self, value: Any) -> None:
        """No length limit; no NUL either."""
        _check_no_nul(value)


class DecimalField(Field, _Typed[Decimal]):
    """An exact decimal with ``max_digits`` and ``decimal_places``; values keep their places."""

    empty_strings_allowed = False

    def __init__(
        self,
        *args: Any,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from asgi_cycle.core.exceptions import ImproperlyConfigured

        if not isinstance(decimal_places, int) or decimal_places < 0:
            raise ImproperlyConfigured(
                "DecimalFields must define a non-negative integer 'decimal_places'."
            )
        if not isinstance(max_digits, int) or max_digits <= 0:
            raise ImproperlyConfigured("DecimalFields must define a positive 'max_digits'.")
        if decimal_places > max_digits:
            raise ImproperlyConfigured(
                "'max_digits' must be greater or equal to 'decimal_places'."
            )
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """NUMERIC(max_digits, decimal_places); a scaled integer on SQLite."""
        return DecimalType(self.max_digits, self.decimal_places)

    def to_python(self, value: Any) -> Any:
        """Accept Decimal, int, float (via its repr) and numeric strings."""
        if value is None:
            return None
        try:
            if isinstance(value, float):
                number = Decimal(repr(value))
            elif isinstance(value, bool):
                raise decimal.InvalidOperation
            else:
                number = Decimal(value.strip() if isinstance(value, str) else value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise ValidationError(
                f"“{value}” value must be a decimal number.", code="invalid"
            ) from None
        if not number.is_finite():
            raise ValidationError(f"“{value}” value must be a decimal number.", code="invalid")
        return number

    def get_prep_value(self, value: Any) -> Any:
        """Bind a Decimal rounded to the field's places."""
        number = self.to_python(value)
        if number is None:
            return None
        return quantize(number, self.decimal_places)

    def from_db_value(self, value: Any) -> Any:
        """Back to a Decimal with exactly ``decimal_places`` places."""
        return decimal_from_db(value, self.decimal_places, self.max_digits)

    def run_validators(self, value: Any) -> None:
        """Check max_digits, decimal_places and the digits before the point."""
        sign, digit_tuple, exponent = value.as_tuple()
        if not isinstance(exponent, int):  # NaN/Infinity: to_python refuses them first
            raise ValidationError(f"“{value}” value must be a decimal number.", code="invalid")
        if exponent >= 0:
            digits = len(digit_tuple) + exponent if digit_tuple != (0,) else 1
            decimals = 0
        else:
            digits = max(len(digit_tuple), -exponent)
            decimals = -exponent
        whole = digits - decimals
        if digits > self.max_digits:
            raise ValidationError(
                f"Ensure that there are no more than {self.max_digits} digits in total.",
                code="max_digits",
            )
        if decimals > self.decimal_places:
            raise ValidationError(
                f"Ensure that there are no more than {self.decimal_places} decimal places.",
                code="max_decimal_places",
            )
        if whole > self.max_digits - self.decimal_places:
            raise ValidationError(
                f"Ensure that there are no more than {self.max_digits - self.decimal_places} "
                "digits before the decimal point.",
                code="max_whole_digits",
            )

    def value_to_string(self, instance: Model) -> Any:
        """Decimals serialise as strings, exactly."""
        value = self.to_python(getattr(instance, self.attname))
        return None if value is None else str(self.get_prep_value(value))


class DateTimeField(Field, _Typed[datetime.datetime]):
    """An aware UTC datetime; ``auto_now`` / ``auto_now_add`` stamp it on save."""

    empty_strings_allowed = False

    def __init__(
        self, *args: Any, auto_now: bool = False, auto_now_add: bool = False, **kwargs: Any
    ) -> None:
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(*args, **kwargs)
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """TIMESTAMP WITH TIME ZONE; sortable ISO text in UTC on SQLite."""
        return UTCDateTime()

    def to_python(self, value: Any) -> Any:
        """Accept datetimes, dates and ISO 8601 strings; naive ones are in TIME_ZONE."""
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return as_utc(value)
        if isinstance(value, datetime.date):
            midnight = datetime.datetime(value.year, value.month, value.day)
            return as_utc(midnight)
        if isinstance(value, str):
            try:
                return as_utc(datetime.datetime.fromisoformat(value.strip()))
            except ValueError:
                pass
        raise ValidationError(
            f"“{value}” value has an invalid format. It must be in "
            "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
            code="invalid",
        )

    def get_prep_value(self, value: Any) -> Any:
        """Bind an aware UTC datetime."""
        return self.to_python(value)

    def from_db_value(self, value: Any) -> Any:
        """Aware, in UTC, on both backends."""
        return datetime_from_db(value)

    def pre_save(self, instance: Model, add: bool) -> Any:
        """Stamp ``now`` for auto_now (always) and auto_now_add (on insert)."""
        if self.auto_now or (self.auto_now_add and add):
            value = datetime.datetime.now(datetime.UTC)
            setattr(instance, self.attname, value)
            return value
        return super().pre_save(instance, add)

    def value_to_string(self, instance: Model) -> Any:
        """ISO 8601 with the UTC offset."""
        value = getattr(instance, self.attname)
        return None if value is None else self.to_python(value).isoformat()


__all__ = [
    "NOT_PROVIDED",
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "DecimalField",
    "Field",
    "IntegerField",
    "TextField",
]
