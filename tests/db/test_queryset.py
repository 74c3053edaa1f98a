"""QuerySets on both backends: chaining, evaluation, async twins and the sync bridge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from asgi_cycle.core.exceptions import FieldError, SynchronousOnlyOperation
from asgi_cycle.db import querylog
from asgi_cycle.utils.asyncio import sync_to_async
from tests.db.testapp import fixtures
from tests.db.testapp.models import Author, Book, Category, Event, Product, Review, World

orm = fixtures.orm


@pytest.fixture
async def shop(orm: Any) -> Any:
    tools = await Category.objects.acreate(name="Tools")
    await Category.objects.acreate(name="Food")
    for i, (name, price) in enumerate(
        [("Saw", "20.00"), ("Axe", "35.50"), ("Bread", "2.10"), ("Drill", "99.00")]
    ):
        await Product.objects.acreate(
            name=name, price=Decimal(price), stock=i, category=tools if i != 2 else None
        )
    return orm


async def pnames(qs: Any) -> list[str]:
    return [p.name async for p in qs]


async def test_querysets_are_lazy_and_chainable(shop: Any) -> None:
    with querylog.collect() as records:
        qs = Product.objects.filter(price__gt=5).exclude(name="Axe").order_by("-price")
        qs = qs.filter(category__name="Tools")
    assert records == []
    assert await pnames(qs) == ["Drill", "Saw"]
    assert await pnames(qs.all()) == ["Drill", "Saw"]


async def test_default_and_explicit_ordering(shop: Any) -> None:
    assert await pnames(Product.objects.all()) == ["Saw", "Axe", "Bread", "Drill"]  # Meta: id
    assert await pnames(Product.objects.order_by("name")) == ["Axe", "Bread", "Drill", "Saw"]
    assert await pnames(Product.objects.order_by("-stock")) == ["Drill", "Bread", "Axe", "Saw"]
    assert await pnames(Product.objects.order_by("category__name", "name")) in (
        ["Bread", "Axe", "Drill", "Saw"],  # NULLs first (SQLite)
        ["Axe", "Drill", "Saw", "Bread"],  # NULLs last (PostgreSQL)
    )
    assert [c.name async for c in Category.objects.all()] == ["Food", "Tools"]  # Meta: name
    assert await pnames(Product.objects.order_by("name").reverse()) == [
        "Saw",
        "Drill",
        "Bread",
        "Axe",
    ]
    assert sorted(await pnames(Product.objects.order_by("?"))) == ["Axe", "Bread", "Drill", "Saw"]
    with pytest.raises(FieldError):
        Product.objects.order_by("colour")


async def test_slicing_is_limit_offset(shop: Any) -> None:
    qs = Product.objects.order_by("name")
    assert await pnames(qs[:2]) == ["Axe", "Bread"]
    assert await pnames(qs[1:3]) == ["Bread", "Drill"]
    assert await pnames(qs[1:3][1:]) == ["Drill"]
    assert await pnames(qs[3:]) == ["Saw"]
    assert await pnames(qs[10:]) == []
    assert "LIMIT" in str(qs[:2]._select()[0])
    with pytest.raises(ValueError):
        qs[-1:]
    with pytest.raises(TypeError):
        qs[:2].filter(name="Axe")
    assert await qs[1:].acount() == 3


async def test_values_and_values_list(shop: Any) -> None:
    rows = await Product.objects.order_by("name").values("name", "price")[:1].alist()
    assert rows == [{"name": "Axe", "price": Decimal("35.50")}]
    full = (await Product.objects.values()[:1].alist())[0]
    assert set(full) == {
        "id",
        "name",
        "price",
        "description",
        "stock",
        "active",
        "created",
        "updated",
        "category_id",
    }
    pairs = await Product.objects.order_by("id").values_list("name", "category__name").alist()
    assert pairs == [("Saw", "Tools"), ("Axe", "Tools"), ("Bread", None), ("Drill", "Tools")]
    prices = await Product.objects.order_by("price").values_list("price", flat=True).alist()
    assert prices[0] == Decimal("2.10")
    assert await Product.objects.values_list("name", flat=True).filter(stock=1).alist() == ["Axe"]
    with pytest.raises(TypeError):
        Product.objects.values_list("name", "price", flat=True)
    assert await Product.objects.values("category_id").distinct().acount() == 2


async def test_first_last_count_exists(shop: Any) -> None:
    first = await Product.objects.afirst()
    last = await Product.objects.alast()
    assert first is not None and first.name == "Saw"
    assert last is not None and last.name == "Drill"
    cheapest = await Product.objects.order_by("price").afirst()
    assert cheapest is not None and cheapest.name == "Bread"
    priciest = await Product.objects.order_by("price").alast()
    assert priciest is not None and priciest.name == "Drill"
    assert await Product.objects.filter(name="nope").afirst() is None
    assert await Product.objects.acount() == 4
    assert await Product.objects.filter(category__isnull=True).acount() == 1
    assert await Product.objects.aexists()
    assert not await Product.objects.filter(name="nope").aexists()


async def test_get_errors_name_the_lookup(shop: Any) -> None:
    saw = await Product.objects.aget(name="Saw")
    assert saw.price == Decimal("20.00")
    with pytest.raises(Product.DoesNotExist) as missing:
        await Product.objects.aget(name="Hammer", stock=3)
    assert str(missing.value) == (
        "Product matching query does not exist (name='Hammer', stock=3)."
    )
    with pytest.raises(Product.MultipleObjectsReturned) as many:
        await Product.objects.aget(category__name="Tools")
    assert str(many.value) == (
        "get() returned more than one Product -- it returned 3! (category__name='Tools')"
    )
    assert (await Product.objects.filter(stock=2).aget()).name == "Bread"


async def test_create_get_or_create_update_or_create(shop: Any) -> None:
    hammer = await Product.objects.acreate(name="Hammer", price=7)
    assert hammer.pk == 5 and not hammer._state.adding
    obj, created = await Category.objects.aget_or_create(name="Tools")
    assert not created and obj.name == "Tools"
    obj, created = await Category.objects.aget_or_create(name="Toys")
    assert created and obj.pk is not None
    product, created = await Product.objects.aget_or_create(
        name="Glue", defaults={"price": Decimal("3.30"), "stock": 9}
    )
    assert created and product.stock == 9
    product, created = await Product.objects.aupdate_or_create(
        name="Glue", defaults={"price": Decimal("4.40")}
    )
    assert not created
    assert (await Product.objects.aget(name="Glue")).price == Decimal("4.40")
    product, created = await Product.objects.aupdate_or_create(name="Tape", defaults={"price": 1})
    assert created and product.price == 1


async def test_bulk_create_sets_pks(orm: Any) -> None:
    made = await Author.objects.abulk_create([Author(name=f"a{i}") for i in range(7)], 3)
    assert [a.pk for a in made] == list(range(1, 8))
    assert await Author.objects.acount() == 7
    again = await Author.objects.abulk_create([Author(pk=100, name="x"), Author(name="y")])
    # SQLite continues after the largest rowid, PostgreSQL from its sequence.
    assert again[0].pk == 100 and again[1].pk in (8, 101)
    assert await Author.objects.abulk_create([]) == []
    books = await Book.objects.abulk_create([Book(title=str(i), author=made[0]) for i in range(3)])
    assert all(b.pk for b in books)


async def test_update_and_in_bulk(shop: Any) -> None:
    changed = await Product.objects.filter(category__name="Tools").aupdate(stock=50)
    assert changed == 3
    assert await Product.objects.filter(stock=50).acount() == 3
    assert await Product.objects.filter(name="nope").aupdate(stock=1) == 0
    assert await Product.objects.filter(name="Bread").aupdate(category=None, active=False) == 1
    assert await Product.objects.filter(active=False).acount() == 1
    with pytest.raises(FieldError):
        await Product.objects.aupdate(id=9)
    bulk = await Product.objects.ain_bulk([1, 2, 99])
    assert sorted(bulk) == [1, 2] and bulk[1].name == "Saw"
    assert sorted(await Product.objects.ain_bulk()) == [1, 2, 3, 4]
    assert await Product.objects.ain_bulk([]) == {}
    by_name = await Product.objects.ain_bulk(["Axe"], field_name="name")
    assert list(by_name) == ["Axe"]


async def test_delete_returns_counts(shop: Any) -> None:
    total, per_model = await Product.objects.filter(price__lt=30).adelete()
    assert total == 2 and per_model == {"testapp.Product": 2}
    assert await Product.objects.acount() == 2
    assert await Product.objects.none().adelete() == (0, {})


async def test_select_related_loads_in_one_query(shop: Any) -> None:
    author = await Author.objects.acreate(name="Ann")
    book = await Book.objects.acreate(title="T", author=author)
    await Review.objects.acreate(book=book, stars=4)
    with querylog.collect() as records:
        review = await Review.objects.select_related("book__author").aget(stars=4)
        assert review.book.author.name == "Ann"  # no query: already loaded
        assert review.book.title == "T"
    assert len(records) == 1
    products = [p async for p in Product.objects.select_related("category").order_by("id")]
    assert [p.category.name if p.category else None for p in products] == [
        "Tools",
        "Tools",
        None,
        "Tools",
    ]
    plain = await Review.objects.select_related().aget()
    assert plain.book.author == author
    with pytest.raises(FieldError):
        Review.objects.select_related("stars")


async def test_lazy_related_access_raises_on_the_loop(orm: Any) -> None:
    author = await Author.objects.acreate(name="Ann")
    book = await Book.objects.acreate(title="T", author_id=author.pk)
    fetched = await Book.objects.aget(pk=book.pk)
    with pytest.raises(SynchronousOnlyOperation, match="select_related"):
        fetched.author  # noqa: B018
    # From a worker thread the same attribute read queries through the bridge.
    assert (await sync_to_async(lambda: fetched.author.name)()) == "Ann"
    assert fetched.author.name == "Ann"  # now cached on the instance


async def test_none_distinct_len_bool_repr(shop: Any) -> None:
    with querylog.collect() as records:
        assert await Product.objects.none().alist() == []
        assert await Product.objects.none().acount() == 0
        assert not await Product.objects.none().aexists()
    assert records == []
    assert await Product.objects.values_list("category", flat=True).distinct().acount() == 2

    def sync_part() -> tuple[int, bool, bool, str, list[str], str]:
        qs = Product.objects.order_by("name")
        return (
            len(qs),
            bool(qs),
            bool(Product.objects.filter(name="nope")),
            repr(qs),
            [p.name for p in qs],
            qs[1].name,
        )

    length, truthy, falsy, text, listed, second = await sync_to_async(sync_part)()
    assert (length, truthy, falsy) == (4, True, False)
    assert text == (
        "<QuerySet [<Product: Axe>, <Product: Bread>, <Product: Drill>, <Product: Saw>]>"
    )
    assert listed == ["Axe", "Bread", "Drill", "Saw"]
    assert second == "Bread"
    # On the loop thread repr() must not raise or block.
    assert "not evaluated" in repr(Product.objects.all())
    evaluated = Product.objects.order_by("name")
    await evaluated.alist()
    assert repr(evaluated).startswith("<QuerySet [<Product: Axe>")


async def test_sync_api_in_a_worker_thread(shop: Any) -> None:
    def view() -> tuple[Any, ...]:
        saw = Product.objects.get(name="Saw")
        new = Product.objects.create(name="Rake", price=Decimal("5.50"))
        cat, created = Category.objects.get_or_create(name="Garden")
        Product.objects.filter(pk=new.pk).update(category=cat)
        return (
            saw.price,
            Product.objects.count(),
            Product.objects.filter(category=cat).exists(),
            Product.objects.first().name,  # type: ignore[union-attr]
            Product.objects.last().name,  # type: ignore[union-attr]
            Product.objects.filter(name="Rake").delete(),
            sorted(Product.objects.in_bulk([1, 2])),
            [a.name for a in Author.objects.bulk_create([Author(name="z")])],
            Product.objects.update_or_create(name="Saw", defaults={"stock": 77})[1],
            created,
        )

    assert await sync_to_async(view)() == (
        Decimal("20.00"),
        5,
        True,
        "Saw",
        "Rake",
        (1, {"testapp.Product": 1}),
        [1, 2],
        ["z"],
        False,
        True,
    )
    assert (await Product.objects.aget(name="Saw")).stock == 77


async def test_sync_api_on_the_loop_raises(shop: Any) -> None:
    with pytest.raises(SynchronousOnlyOperation, match="async twin"):
        Product.objects.get(pk=1)
    with pytest.raises(SynchronousOnlyOperation):
        Product.objects.count()
    with pytest.raises(SynchronousOnlyOperation):
        list(Product.objects.all())
    with pytest.raises(SynchronousOnlyOperation):
        Product.objects.create(name="x", price=1)
    assert await Product.objects.acount() == 4  # nothing was half-done


async def test_manager_async_iteration_and_events(orm: Any) -> None:
    import datetime

    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for note in "abc":
        await Event.objects.acreate(note=note, when=when)
    assert [e.note async for e in Event.objects] == ["c", "b", "a"]  # Meta: -id (inherited)


async def test_bulk_create_converts_every_row(orm: Any) -> None:
    import datetime

    when = datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    made = await Product.objects.abulk_create(
        [Product(name=f"p{i}", price=Decimal(f"{i}.25")) for i in range(3)]
    )
    events = await Event.objects.abulk_create(
        [Event(when=when, flag=i % 2 == 0) for i in range(3)]
    )
    prices = await Product.objects.values_list("price", flat=True).alist()
    assert prices == [Decimal("0.25"), Decimal("1.25"), Decimal("2.25")]
    assert all(p.created is not None for p in made)
    fetched = [e async for e in Event.objects.order_by("id")]
    assert [e.when for e in fetched] == [when] * 3
    assert [e.flag for e in fetched] == [True, False, True]
    assert [e.pk for e in events] == [e.pk for e in fetched]


async def test_article_view_path(orm: Any) -> None:
    """The article's sync view: get_object_or_404(Product, id=id) from a worker thread."""
    from asgi_cycle.http import Http404
    from asgi_cycle.shortcuts import aget_object_or_404, get_object_or_404

    await Product.objects.acreate(name="Keyboard", price=5)

    def product_detail(id: int) -> str:
        product = get_object_or_404(Product, id=id)
        return f"{product.name} ${product.price}"

    assert await sync_to_async(product_detail)(1) == "Keyboard $5.00"
    for missing in (2, 10**30, -(10**30)):
        with pytest.raises(Http404):
            await sync_to_async(product_detail)(missing)
        with pytest.raises(Http404):
            await aget_object_or_404(Product, id=missing)


async def test_aiterator_latest_earliest(shop: Any) -> None:
    assert [p.name async for p in Product.objects.order_by("name").aiterator()] == [
        "Axe",
        "Bread",
        "Drill",
        "Saw",
    ]
    assert [p async for p in Product.objects.none().aiterator()] == []
    assert (await Product.objects.alatest("price")).name == "Drill"
    assert (await Product.objects.aearliest("price")).name == "Bread"
    assert (await Product.objects.alatest("-price")).name == "Bread"
    with pytest.raises(ValueError, match="get_latest_by"):
        await Product.objects.alatest()
    with pytest.raises(Product.DoesNotExist):
        await Product.objects.filter(name="nope").alatest("price")

    def sync_part() -> tuple[str, str, list[str]]:
        return (
            Product.objects.latest("stock").name,
            Product.objects.earliest("stock").name,
            [p.name for p in Product.objects.order_by("-name").iterator()],
        )

    assert await sync_to_async(sync_part)() == ("Drill", "Saw", ["Saw", "Drill", "Bread", "Axe"])


async def test_concurrent_get_or_create_makes_one_row(orm: Any) -> None:
    import asyncio

    results = await asyncio.gather(
        *[Category.objects.aget_or_create(name="Same") for _ in range(10)]
    )
    assert await Category.objects.acount() == 1
    assert len({obj.pk for obj, _ in results}) == 1
    assert sum(created for _, created in results) == 1


async def test_big_batches_stay_under_parameter_limits(orm: Any) -> None:
    # 33,000 keys in one IN list or one INSERT would pass the drivers' 32,767 limit.
    count = 33_000
    authors = await Author.objects.abulk_create([Author(name="a") for _ in range(count)])
    assert len({a.pk for a in authors}) == count
    await Book.objects.abulk_create([Book(title="t", author=authors[-1])])
    found = await Author.objects.ain_bulk([a.pk for a in authors])
    assert len(found) == count
    total, per_model = await Author.objects.all().adelete()
    assert (total, per_model) == (count + 1, {"testapp.Book": 1, "testapp.Author": count})
    worlds = await World.objects.abulk_create([World(randomnumber=i) for i in range(count)])
    assert await World.objects.filter(pk__lte=worlds[-1].pk).adelete() == (
        count,
        {"testapp.World": count},
    )


async def test_concurrent_creates_all_land(orm: Any) -> None:
    import asyncio

    async def create(i: int) -> int:
        product = await Product.objects.acreate(name=f"p{i}", price=Decimal(i) / 100)
        return int(product.pk)

    pks = await asyncio.gather(*[create(i) for i in range(200)])
    assert sorted(pks) == list(range(1, 201))
    assert await Product.objects.acount() == 200
    total = sum(await Product.objects.values_list("price", flat=True).alist())
    assert total == Decimal("199.00")  # 0.00 + 0.01 + ... + 1.99, exactly


async def test_first_of_a_slice_fetches_one_row(shop: Any) -> None:
    window = Product.objects.order_by("name")[1:3]
    with querylog.collect() as records:
        first = await window.afirst()
    assert first is not None and first.name == "Bread"
    assert len(records) == 1 and records[0].rows == 1
    await window.alist()
    with querylog.collect() as records:
        cached = await window.afirst()
    assert records == [] and cached is not None and cached.name == "Bread"
