"""SELECTs compiled once per query shape: same SQL, each query's own values and rows.

A query shape is the model, the filter lookups and the columns, ordering and
limits; the values differ. The query log shows the SQL each query ran, so these
tests check both that a shape's SQL is reused and that every call gets its rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from asgi_cycle.db import querylog, transaction
from asgi_cycle.db.connection import DatabaseWrapper
from tests.db.testapp import fixtures
from tests.db.testapp.models import Author, Book, Category, Event, Product, World

orm = fixtures.orm


@pytest.fixture
async def shop(orm: Any) -> Any:
    tools = await Category.objects.acreate(name="Tools")
    for i, (name, price) in enumerate(
        [("Saw", "20.00"), ("Axe", "35.50"), ("Bread", "2.10"), ("Drill", "99.00")]
    ):
        await Product.objects.acreate(
            name=name,
            price=Decimal(price),
            stock=i,
            active=i != 1,
            category=tools if i != 2 else None,
        )
    return orm


async def names(qs: Any) -> list[str]:
    return [p.name async for p in qs]


async def test_one_shape_one_sql_each_call_its_own_rows(shop: Any) -> None:
    with querylog.collect() as records:
        saw = await Product.objects.aget(name="Saw")
        axe = await Product.objects.aget(name="Axe")
        again = await Product.objects.aget(name="Saw")
    assert (saw.name, saw.price, saw.stock) == ("Saw", Decimal("20.00"), 0)
    assert (axe.name, axe.price, axe.stock) == ("Axe", Decimal("35.50"), 1)
    assert again.pk == saw.pk and again is not saw
    assert records[0].sql == records[1].sql == records[2].sql
    assert isinstance(saw.created, datetime.datetime) and saw.created.tzinfo is not None
    assert saw.active is True and axe.active is False
    assert saw.category_id is not None


async def test_different_lookups_are_different_shapes(shop: Any) -> None:
    with querylog.collect() as records:
        assert await names(Product.objects.filter(stock=1)) == ["Axe"]
        assert await names(Product.objects.filter(stock__gt=1)) == ["Bread", "Drill"]
        assert await names(Product.objects.filter(stock__lte=1)) == ["Saw", "Axe"]
        assert await names(Product.objects.exclude(stock=1)) == ["Saw", "Bread", "Drill"]
        assert await names(Product.objects.filter(stock=2)) == ["Bread"]
        assert await names(Product.objects.filter(stock__gt=2)) == ["Drill"]
        assert await names(Product.objects.exclude(stock=2)) == ["Saw", "Axe", "Drill"]
    sqls = [r.sql for r in records]
    assert len(set(sqls[:4])) == 4
    assert sqls[4:] == [sqls[0], sqls[1], sqls[3]]


async def test_keyword_order_binds_each_value_to_its_column(shop: Any) -> None:
    for _ in range(2):
        assert await names(Product.objects.filter(stock=3, name="Drill")) == ["Drill"]
        assert await names(Product.objects.filter(stock=0, name="Drill")) == []
        assert await names(Product.objects.filter(name="Saw", stock=0)) == ["Saw"]
        assert await names(Product.objects.filter(name="Saw").filter(stock__gte=0)) == ["Saw"]
        assert await names(Product.objects.filter(name="Saw").filter(stock__gte=1)) == []


async def test_none_and_isnull_in_a_cached_shape(shop: Any) -> None:
    tools = await Category.objects.aget(name="Tools")
    for _ in range(2):
        assert await names(Product.objects.filter(category=None)) == ["Bread"]
        assert await names(Product.objects.filter(category=tools)) == ["Saw", "Axe", "Drill"]
        assert await names(Product.objects.filter(category_id=tools.pk)) == ["Saw", "Axe", "Drill"]
        assert await names(Product.objects.filter(category__isnull=True)) == ["Bread"]
        assert await names(Product.objects.filter(category__isnull=False)) == [
            "Saw",
            "Axe",
            "Drill",
        ]
        assert await names(Product.objects.exclude(category=None)) == ["Saw", "Axe", "Drill"]
        assert await names(Product.objects.exclude(category=tools)) == ["Bread"]


async def test_in_lists_in_a_cached_shape(shop: Any) -> None:
    ids = {p.name: p.pk async for p in Product.objects.all()}
    saw, axe, drill = ids["Saw"], ids["Axe"], ids["Drill"]
    for _ in range(2):
        assert await names(Product.objects.filter(pk__in=[saw])) == ["Saw"]
        assert await names(Product.objects.filter(pk__in=[axe])) == ["Axe"]
        assert await names(Product.objects.filter(pk__in=[drill, saw])) == ["Saw", "Drill"]
        assert await names(Product.objects.filter(pk__in=[axe, drill])) == ["Axe", "Drill"]
        assert await names(Product.objects.filter(pk__in=iter([axe]))) == ["Axe"]
        assert await names(Product.objects.filter(pk__in=[None, axe, 2**70])) == ["Axe"]
        assert await names(Product.objects.filter(pk__in=[])) == []
        assert await names(Product.objects.filter(pk__in=[None])) == []
        assert await names(Product.objects.exclude(pk__in=[saw, axe])) == ["Bread", "Drill"]


async def test_the_values_a_query_was_built_with_are_the_ones_it_binds(shop: Any) -> None:
    ids = {p.name: p.pk async for p in Product.objects.all()}
    wanted = [ids["Saw"]]
    qs = Product.objects.filter(pk__in=wanted)
    wanted.append(ids["Axe"])  # changing the list afterwards changes nothing
    assert await names(qs) == ["Saw"]
    assert await names(Product.objects.filter(pk__in=wanted)) == ["Saw", "Axe"]


async def test_an_iterator_is_read_once_whichever_path_builds_the_query(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    bob = await Author.objects.acreate(name="Bob")
    await Book.objects.acreate(title="Ann's", author=ann)
    await Book.objects.acreate(title="Bob's", author=bob)
    books = Book.objects.filter(author_id__in=iter([ann.pk, bob.pk]), author__name="Bob")
    assert [b.title async for b in books] == ["Bob's"]
    books = Book.objects.filter(author_id__in=iter([None, ann.pk]), title__contains="'")
    assert [b.title async for b in books] == ["Ann's"]
    with pytest.raises(ValueError):
        Book.objects.filter(pages__in=iter([1, "many"]))


async def test_values_that_change_the_sql_still_answer_right(shop: Any) -> None:
    saw = await Product.objects.aget(name="Saw")
    for _ in range(2):
        assert (await Product.objects.aget(pk=saw.pk)).name == "Saw"
        with pytest.raises(Product.DoesNotExist):
            await Product.objects.aget(pk=2**70)  # out of range: no query needed
        assert await names(Product.objects.filter(price=Decimal("20.001"))) == []
        assert await names(Product.objects.filter(price=Decimal("20.00"))) == ["Saw"]
        assert await names(Product.objects.filter(price__gt=Decimal("35.499"))) == [
            "Axe",
            "Drill",
        ]
        assert await names(Product.objects.filter(name="Saw\x00")) == []
        assert await names(Product.objects.filter(stock__lt=2**70)) == [
            "Saw",
            "Axe",
            "Bread",
            "Drill",
        ]


async def test_bad_values_raise_the_same_error_every_time(shop: Any) -> None:
    errors = []
    for _ in range(3):
        with pytest.raises(Exception) as info:
            await Product.objects.aget(pk="not a number")
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1] == errors[2]
    for _ in range(2):
        with pytest.raises(ValueError, match="None"):
            await Product.objects.filter(stock__gt=None).alist()
        with pytest.raises(ValueError, match="isnull"):
            await Product.objects.filter(category__isnull="yes").alist()


async def test_booleans_and_datetimes_in_a_cached_shape(orm: Any) -> None:
    when = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)
    await Event.objects.acreate(when=when, flag=True, note="a")
    await Event.objects.acreate(when=when + datetime.timedelta(days=1), flag=False, note="b")
    await Event.objects.acreate(when=when, flag=None, note="c")
    for _ in range(2):
        assert [e.note async for e in Event.objects.filter(flag=True)] == ["a"]
        assert [e.note async for e in Event.objects.filter(flag=False)] == ["b"]
        assert [e.note async for e in Event.objects.filter(flag=None)] == ["c"]
        assert [e.note async for e in Event.objects.filter(when__gt=when)] == ["b"]
        found = [e async for e in Event.objects.filter(when=when)]
        assert [e.note for e in found] == ["c", "a"]  # Meta.ordering: -id
        assert all(e.when == when and e.when.tzinfo is not None for e in found)


async def test_values_values_list_and_select_related_shapes(shop: Any) -> None:
    for _ in range(2):
        assert await Product.objects.filter(stock=1).values("name", "price").alist() == [
            {"name": "Axe", "price": Decimal("35.50")}
        ]
        assert await Product.objects.filter(stock=2).values_list("name", "stock").alist() == [
            ("Bread", 2)
        ]
        assert await Product.objects.filter(stock__gte=2).values_list(
            "price", flat=True
        ).alist() == [
            Decimal("2.10"),
            Decimal("99.00"),
        ]
        drill = await Product.objects.select_related("category").aget(stock=3)
        assert drill.name == "Drill" and drill.category is not None
        assert drill.category.name == "Tools"
        first, second = await Product.objects.order_by("-price")[1:3].alist()
        assert (first.name, second.name) == ("Axe", "Saw")


async def test_two_models_with_the_same_lookups_keep_their_own_sql(orm: Any) -> None:
    world = await World.objects.acreate(randomnumber=42)
    author = await Author.objects.acreate(name="Ann")
    for _ in range(2):
        assert (await World.objects.aget(pk=world.pk)).randomnumber == 42
        assert (await Author.objects.aget(pk=author.pk)).name == "Ann"
        assert isinstance(await World.objects.aget(pk=world.pk), World)


async def test_rows_changed_between_calls_are_read_fresh(shop: Any) -> None:
    saw = await Product.objects.aget(name="Saw")
    await Product.objects.filter(pk=saw.pk).aupdate(stock=50)
    saw = await Product.objects.aget(name="Saw")
    assert saw.stock == 50
    saw.name = "Big saw"
    await saw.asave()
    with pytest.raises(Product.DoesNotExist):
        await Product.objects.aget(name="Saw")
    assert (await Product.objects.aget(name="Big saw")).stock == 50
    await Product.objects.filter(pk=saw.pk).adelete()
    with pytest.raises(Product.DoesNotExist):
        await Product.objects.aget(name="Big saw")


async def test_cached_shapes_inside_a_transaction(shop: Any) -> None:
    await Product.objects.aget(name="Saw")  # the shape is known before the block
    with pytest.raises(RuntimeError):
        async with transaction.atomic():
            await Product.objects.filter(name="Saw").aupdate(stock=70)
            assert (await Product.objects.aget(name="Saw")).stock == 70
            raise RuntimeError("roll back")
    assert (await Product.objects.aget(name="Saw")).stock == 0


async def test_a_joined_filter_is_not_confused_with_a_local_one(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    bob = await Author.objects.acreate(name="Bob")
    await Book.objects.acreate(title="Ann's", author=ann)
    await Book.objects.acreate(title="Bob's", author=bob)
    for _ in range(2):
        assert [b.title async for b in Book.objects.filter(author=bob)] == ["Bob's"]
        assert [b.title async for b in Book.objects.filter(author__name="Ann")] == ["Ann's"]
        assert [b.title async for b in Book.objects.filter(author__id=ann.pk)] == ["Ann's"]
        assert [a.name async for a in Author.objects.filter(book__title="Bob's")] == ["Bob"]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # session settings
async def test_a_session_change_does_not_outlive_its_statement(db: DatabaseWrapper) -> None:
    default = await db.fetch_val("SHOW statement_timeout")
    await db.execute("SET statement_timeout = 4321")
    assert await db.fetch_val("SHOW statement_timeout") == default
