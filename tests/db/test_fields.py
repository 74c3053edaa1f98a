"""Fields: conversion, validation, column types and round trips on both backends."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from sqlalchemy.schema import CreateTable

from asgi_cycle.core.exceptions import ImproperlyConfigured, ValidationError
from asgi_cycle.db import models
from asgi_cycle.db.backends.postgresql import make_dialect as postgresql_dialect
from asgi_cycle.db.backends.sqlite3 import make_dialect as sqlite_dialect
from tests.db.testapp import fixtures
from tests.db.testapp.models import Author, Category, Contract, Event, Product, Publisher

UTC = datetime.UTC
orm = fixtures.orm


def ddl(model: type[models.Model], dialect: object) -> str:
    return str(CreateTable(model._meta.table).compile(dialect=dialect))  # type: ignore[arg-type]


# -- pure conversions ----------------------------------------------------------------


def test_charfield_requires_positive_max_length() -> None:
    with pytest.raises(ImproperlyConfigured):
        models.CharField()
    with pytest.raises(ImproperlyConfigured):
        models.CharField(max_length=0)


def test_charfield_max_length_validation() -> None:
    field = Product._meta.get_field("name")
    assert field.clean("a" * 100, None) == "a" * 100
    with pytest.raises(ValidationError) as info:
        field.clean("a" * 101, None)
    assert info.value.messages == ["Ensure this value has at most 100 characters (it has 101)."]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_digits": 5}, "decimal_places"),
        ({"decimal_places": 2}, "max_digits"),
        ({"max_digits": 2, "decimal_places": 3}, "greater or equal"),
        ({"max_digits": -1, "decimal_places": 0}, "max_digits"),
    ],
)
def test_decimalfield_arguments_validated(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        models.DecimalField(**kwargs)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (Decimal("123456789.00"), "max_digits"),
        (Decimal("1.234"), "max_decimal_places"),
        (Decimal("123456789"), "max_whole_digits"),
        ("abc", "invalid"),
        ("NaN", "invalid"),
        (Decimal("Infinity"), "invalid"),
    ],
)
def test_decimalfield_rejects(value: object, code: str) -> None:
    field = Product._meta.get_field("price")
    with pytest.raises(ValidationError) as info:
        field.clean(value, None)
    assert info.value.code == code or code in str(info.value.messages) or info.value.messages


def test_decimalfield_accepts_and_keeps_places() -> None:
    field = Product._meta.get_field("price")
    assert field.clean("12345678.99", None) == Decimal("12345678.99")
    assert field.get_prep_value(5) == Decimal("5.00")
    assert str(field.get_prep_value(5)) == "5.00"
    assert field.to_python(0.1) == Decimal("0.1")
    assert field.from_db_value(500) == Decimal("5.00")  # SQLite's scaled integer
    assert field.from_db_value(Decimal("5")) == Decimal("5.00")


def test_integerfield_conversion_and_range() -> None:
    field = Author._meta.pk
    assert field is not None
    assert field.to_python("12") == 12
    with pytest.raises(ValidationError):
        field.to_python("12a")
    stock = Product._meta.get_field("stock")
    with pytest.raises(ValidationError, match="less than or equal to 2147483647"):
        stock.clean(2**31, None)
    with pytest.raises(ValidationError, match="greater than or equal to -2147483648"):
        stock.clean(-(2**31) - 1, None)


def test_booleanfield_conversion() -> None:
    field = Product._meta.get_field("active")
    for value in (True, 1, "true", "1", "on", "yes", "True"):
        assert field.to_python(value) is True
    for value in (False, 0, "false", "0", "off", "no"):
        assert field.to_python(value) is False
    with pytest.raises(ValidationError):
        field.to_python("maybe")
    assert field.from_db_value(0) is False


def test_datetimefield_conversion_is_aware_utc() -> None:
    field = Event._meta.get_field("when")
    plus2 = datetime.timezone(datetime.timedelta(hours=2))
    value = field.to_python(datetime.datetime(2024, 5, 1, 12, 0, tzinfo=plus2))
    assert value == datetime.datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert value.tzinfo is UTC
    assert field.to_python("2024-05-01T12:00:00") == datetime.datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert field.to_python(datetime.date(2024, 5, 1)).tzinfo is UTC
    with pytest.raises(ValidationError):
        field.to_python("yesterday")


def test_default_may_be_callable() -> None:
    product = Product(name="x", price=1)
    assert product.stock == 7
    assert product.description == ""
    assert product.active is True


def test_choices_validated() -> None:
    from tests.db.testapp.models import Review

    field = Review._meta.get_field("stars")
    field.clean(3, None)
    with pytest.raises(ValidationError, match="not a valid choice"):
        field.clean(9, None)


def test_column_types_per_backend() -> None:
    lite = ddl(Product, sqlite_dialect())
    pg = ddl(Product, postgresql_dialect())
    assert "price BIGINT NOT NULL" in lite  # a scaled integer: exact and sortable
    assert "price NUMERIC(10, 2) NOT NULL" in pg
    assert "created VARCHAR(26) NOT NULL" in lite
    assert "created TIMESTAMP WITH TIME ZONE NOT NULL" in pg
    assert "name VARCHAR(100) NOT NULL" in pg
    assert "description TEXT NOT NULL" in pg
    assert "category_id INTEGER" in pg and "FOREIGN KEY(category_id)" in pg
    assert "id SERIAL NOT NULL" in pg
    assert "id BIGSERIAL NOT NULL" in ddl(Publisher, postgresql_dialect())
    # A 64-bit auto key on SQLite must still be the autoincrementing rowid alias.
    assert "id INTEGER NOT NULL" in ddl(Publisher, sqlite_dialect())
    assert "publisher_name VARCHAR(50)" in ddl(Publisher, sqlite_dialect())
    # Past 18 digits a scaled integer no longer fits 64 bits: sortable text keeps it exact.
    assert "amount TEXT NOT NULL" in ddl(Contract, sqlite_dialect())
    assert "UNIQUE (name)" in ddl(Category, postgresql_dialect())


# -- round trips on both backends ------------------------------------------------------


async def test_decimal_sum_round_trip_is_exact(orm: object) -> None:
    product = await Product.objects.acreate(name="p", price=Decimal("0.10") + Decimal("0.20"))
    fetched = await Product.objects.aget(pk=product.pk)
    assert fetched.price == Decimal("0.30")
    assert str(fetched.price) == "0.30"


async def test_decimal_keeps_its_places(orm: object) -> None:
    product = await Product.objects.acreate(name="p", price=5)
    fetched = await Product.objects.aget(pk=product.pk)
    assert str(fetched.price) == "5.00"
    big = await Product.objects.acreate(name="q", price=Decimal("99999999.99"))
    assert (await Product.objects.aget(pk=big.pk)).price == Decimal("99999999.99")
    negative = await Product.objects.acreate(name="r", price=Decimal("-0.01"))
    assert (await Product.objects.aget(pk=negative.pk)).price == Decimal("-0.01")


async def test_wide_decimal_round_trip(orm: object) -> None:
    author = await Author.objects.acreate(name="a")
    publisher = await Publisher.objects.acreate(name="p")
    value = Decimal("12345678901234567890.0123456789")
    contract = await Contract.objects.acreate(publisher=publisher, author=author, amount=value)
    assert (await Contract.objects.aget(pk=contract.pk)).amount == value


async def test_wide_decimals_sort_and_compare_in_sql(orm: object) -> None:
    author = await Author.objects.acreate(name="a")
    publisher = await Publisher.objects.acreate(name="p")
    values = [
        Decimal("-12345678901234567890.5"),
        Decimal("-2"),
        Decimal("-0.0000000001"),
        Decimal("0"),
        Decimal("3.25"),
        Decimal("99999999999999999999.9999999999"),
    ]
    for value in reversed(values):
        await Contract.objects.acreate(publisher=publisher, author=author, amount=value)
    ordered = await Contract.objects.order_by("amount").values_list("amount", flat=True).alist()
    assert ordered == values
    assert await Contract.objects.filter(amount__gt=0).acount() == 2
    assert await Contract.objects.filter(amount__lt=Decimal("-1.5")).acount() == 2
    assert await Contract.objects.filter(amount=Decimal("-2.0000")).acount() == 1
    assert await Contract.objects.filter(amount__range=(-3, 4)).acount() == 4


async def test_decimal_too_wide_is_refused(orm: object) -> None:
    with pytest.raises(Exception, match="digits|overflow"):
        await Product.objects.acreate(name="p", price=Decimal("123456789.00"))
    assert await Product.objects.acount() == 0


async def test_decimal_ordering_and_comparison_in_sql(orm: object) -> None:
    for price in ("10.00", "9.99", "100.50", "0.01"):
        await Product.objects.acreate(name=price, price=Decimal(price))
    ordered = await Product.objects.order_by("price").values_list("price", flat=True).alist()
    assert ordered == [Decimal("0.01"), Decimal("9.99"), Decimal("10.00"), Decimal("100.50")]
    assert await Product.objects.filter(price__gt=Decimal("9.995")).acount() == 2
    assert await Product.objects.filter(price__gte=Decimal("9.991")).acount() == 2
    assert await Product.objects.filter(price__lt=Decimal("9.991")).acount() == 2
    assert await Product.objects.filter(price__lt=Decimal("9.99")).acount() == 1
    assert await Product.objects.filter(price__lte=Decimal("9.99")).acount() == 2
    assert await Product.objects.filter(price=Decimal("9.990")).acount() == 1
    assert await Product.objects.filter(price=Decimal("9.991")).acount() == 0
    assert await Product.objects.filter(price__in=["9.99", "9.999", 10]).acount() == 2
    # Beyond what the column can hold: answered without overflowing the driver.
    assert await Product.objects.filter(price__lt=Decimal("1e40")).acount() == 4
    assert await Product.objects.filter(price=Decimal("1e40")).acount() == 0


async def test_datetimes_come_back_aware_utc(orm: object) -> None:
    plus5 = datetime.timezone(datetime.timedelta(hours=5))
    when = datetime.datetime(2024, 1, 2, 8, 30, 15, 123456, tzinfo=plus5)
    event = await Event.objects.acreate(when=when)
    fetched = await Event.objects.aget(pk=event.pk)
    assert fetched.when == when
    assert fetched.when.utcoffset() == datetime.timedelta(0)
    assert fetched.when == datetime.datetime(2024, 1, 2, 3, 30, 15, 123456, tzinfo=UTC)
    later = await Event.objects.filter(
        when__gt=datetime.datetime(2024, 1, 2, 3, tzinfo=UTC)
    ).acount()
    assert later == 1


async def test_auto_now_and_auto_now_add(orm: object) -> None:
    before = datetime.datetime.now(UTC)
    product = await Product.objects.acreate(name="p", price=1)
    assert product.created >= before and product.created.tzinfo is not None
    created, updated = product.created, product.updated
    product.name = "q"
    await product.asave()
    fetched = await Product.objects.aget(pk=product.pk)
    assert fetched.created == created
    assert fetched.updated >= updated
    assert (
        fetched.created.tzinfo is not None and fetched.updated.utcoffset() == datetime.timedelta(0)
    )


async def test_boolean_and_null_round_trip(orm: object) -> None:
    when = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    events = [await Event.objects.acreate(when=when, flag=value) for value in (True, False, None)]
    flags = [(await Event.objects.aget(pk=e.pk)).flag for e in events]
    assert flags == [True, False, None]
    assert await Event.objects.filter(flag=False).acount() == 1
    assert await Event.objects.filter(flag__isnull=True).acount() == 1


async def test_text_and_unicode_round_trip(orm: object) -> None:
    text = "long " * 2000 + "ünïcødé ✓ \u2028"
    product = await Product.objects.acreate(name="ü", price=1, description=text)
    fetched = await Product.objects.aget(pk=product.pk)
    assert fetched.description == text and fetched.name == "ü"


async def test_big_auto_field_starts_at_one(orm: object) -> None:
    first = await Publisher.objects.acreate(name="a")
    second = await Publisher.objects.acreate(name="b")
    assert (first.pk, second.pk) == (1, 2)


async def test_naive_datetimes_are_in_time_zone(orm: object) -> None:
    from asgi_cycle.test.utils import override_settings

    field = Event._meta.get_field("when")
    with override_settings(TIME_ZONE="America/New_York"):
        value = field.to_python(datetime.datetime(2024, 7, 1, 12, 0))
        assert value == datetime.datetime(2024, 7, 1, 16, 0, tzinfo=UTC)
        event = await Event.objects.acreate(when=datetime.datetime(2024, 1, 1, 9, 0))
    fetched = await Event.objects.aget(pk=event.pk)
    assert fetched.when == datetime.datetime(2024, 1, 1, 14, 0, tzinfo=UTC)
    assert field.to_python(datetime.datetime(2024, 7, 1, 12, 0)).hour == 12  # UTC default


def test_text_fields_refuse_nul() -> None:
    for name in ("name", "description"):
        with pytest.raises(ValidationError, match="Null characters are not allowed"):
            Product._meta.get_field(name).clean("a\x00b", None)


async def test_datetime_extremes_sort_on_both_backends(orm: object) -> None:
    moments = [
        datetime.datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime.datetime(1970, 1, 1, tzinfo=UTC),
        datetime.datetime(2024, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    for moment in reversed(moments):
        await Event.objects.acreate(when=moment)
    ordered = await Event.objects.order_by("when").values_list("when", flat=True).alist()
    assert ordered == moments
    assert await Event.objects.filter(when__lt=moments[1]).acount() == 1
