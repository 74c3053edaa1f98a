"""field__lookup filtering on both backends, across foreign keys, with hostile values."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from asgi_cycle.core.exceptions import FieldError
from tests.db.testapp import fixtures
from tests.db.testapp.models import Author, Book, Category, Product, Publisher

orm = fixtures.orm
UTC = datetime.UTC


async def names(qs: Any) -> list[str]:
    return sorted(await qs.values_list("name", flat=True).alist())


@pytest.fixture
async def catalog(orm: Any) -> Any:
    tools = await Category.objects.acreate(name="Garden Tools")
    food = await Category.objects.acreate(name="Food")
    rows = [
        ("Hammer", "9.99", tools),
        ("hammer drill", "120.00", tools),
        ("100% Cotton", "15.50", None),
        ("snake_case", "1.00", food),
        ("Back\\slash", "2.00", food),
        ("Ümlaut", "3.00", None),
    ]
    for name, price, category in rows:
        await Product.objects.acreate(name=name, price=Decimal(price), category=category)
    return orm


async def test_exact_and_iexact(catalog: Any) -> None:
    assert await names(Product.objects.filter(name="Hammer")) == ["Hammer"]
    assert await names(Product.objects.filter(name__exact="hammer")) == []
    assert await names(Product.objects.filter(name__iexact="HAMMER")) == ["Hammer"]
    assert await names(Product.objects.filter(name__iexact="snake_cas%")) == []


async def test_contains_is_case_sensitive_and_icontains_is_not(catalog: Any) -> None:
    assert await names(Product.objects.filter(name__contains="ammer")) == [
        "Hammer",
        "hammer drill",
    ]
    assert await names(Product.objects.filter(name__contains="Ham")) == ["Hammer"]
    assert await names(Product.objects.filter(name__icontains="HAM")) == [
        "Hammer",
        "hammer drill",
    ]


async def test_like_wildcards_in_values_are_literal(catalog: Any) -> None:
    assert await names(Product.objects.filter(name__contains="%")) == ["100% Cotton"]
    assert await names(Product.objects.filter(name__icontains="e_c")) == ["snake_case"]
    assert await names(Product.objects.filter(name__contains="_")) == ["snake_case"]
    assert await names(Product.objects.filter(name__startswith="100%")) == ["100% Cotton"]
    assert await names(Product.objects.filter(name__istartswith="%")) == []
    assert await names(Product.objects.filter(name__contains="\\")) == ["Back\\slash"]
    assert await names(Product.objects.filter(name__iendswith="\\SLASH")) == ["Back\\slash"]


async def test_startswith_endswith(catalog: Any) -> None:
    assert await names(Product.objects.filter(name__startswith="ham")) == ["hammer drill"]
    assert await names(Product.objects.filter(name__istartswith="ham")) == [
        "Hammer",
        "hammer drill",
    ]
    assert await names(Product.objects.filter(name__endswith="Drill")) == []
    assert await names(Product.objects.filter(name__iendswith="DRILL")) == ["hammer drill"]
    assert await names(Product.objects.filter(name__endswith="")) == await names(
        Product.objects.all()
    )


async def test_comparisons_in_and_range(catalog: Any) -> None:
    assert await names(Product.objects.filter(price__gt=15)) == ["100% Cotton", "hammer drill"]
    assert await names(Product.objects.filter(price__gte="15.50", price__lt=100)) == [
        "100% Cotton"
    ]
    assert await names(Product.objects.filter(price__lte=Decimal("1"))) == ["snake_case"]
    assert await names(Product.objects.filter(price__range=(2, 9.99))) == [
        "Back\\slash",
        "Hammer",
        "Ümlaut",
    ]
    assert await names(Product.objects.filter(name__in=["Hammer", "Food", "Ümlaut"])) == [
        "Hammer",
        "Ümlaut",
    ]
    assert await Product.objects.filter(name__in=[]).acount() == 0
    assert await Product.objects.filter(id__in=(1, 2, None)).acount() == 2
    with pytest.raises(TypeError):
        Product.objects.filter(id__in=5)


async def test_isnull(catalog: Any) -> None:
    assert await names(Product.objects.filter(category__isnull=True)) == [
        "100% Cotton",
        "Ümlaut",
    ]
    assert await Product.objects.filter(category__isnull=False).acount() == 4
    assert await Product.objects.filter(category=None).acount() == 2
    with pytest.raises(ValueError):
        Product.objects.filter(category__isnull="yes")


async def test_across_foreign_keys(catalog: Any) -> None:
    assert await names(Product.objects.filter(category__name__icontains="tool")) == [
        "Hammer",
        "hammer drill",
    ]
    assert await names(Product.objects.filter(category__name="Food")) == [
        "Back\\slash",
        "snake_case",
    ]
    food = await Category.objects.aget(name="Food")
    assert await Product.objects.filter(category=food).acount() == 2
    assert await Product.objects.filter(category_id=food.pk).acount() == 2
    assert await Product.objects.filter(category__id=food.pk).acount() == 2
    assert await Product.objects.filter(category__pk__in=[food.pk]).acount() == 2
    assert await Product.objects.filter(category__in=[food]).acount() == 2
    author = await Author.objects.acreate(name="Ann")
    book = await Book.objects.acreate(title="T", author=author)
    from tests.db.testapp.models import Review

    await Review.objects.acreate(book=book, stars=5)
    assert await Review.objects.filter(book__author__name__startswith="An").acount() == 1
    assert await Review.objects.filter(book__author__name="Bob").acount() == 0


async def test_exclude_keeps_null_rows(catalog: Any) -> None:
    # NOT (category.name = 'Food') must keep products with no category, as Django does.
    assert await names(Product.objects.exclude(category__name="Food")) == [
        "100% Cotton",
        "Hammer",
        "hammer drill",
        "Ümlaut",
    ]
    assert await Product.objects.exclude(category=None).acount() == 4
    assert await names(Product.objects.exclude(name__icontains="hammer", price__gt=50)) == [
        "100% Cotton",
        "Back\\slash",
        "Hammer",
        "snake_case",
        "Ümlaut",
    ]


async def test_out_of_range_integers_match_nothing(catalog: Any) -> None:
    huge = 10**30
    assert await Product.objects.filter(id=huge).acount() == 0
    assert not await Product.objects.filter(pk=str(huge)).aexists()
    assert await Product.objects.filter(id=-huge).acount() == 0
    assert await Product.objects.filter(id__in=[huge, 1]).acount() == 1
    assert await Product.objects.filter(id__lt=huge).acount() == 6
    assert await Product.objects.filter(id__gt=huge).acount() == 0
    assert await Product.objects.filter(id__gte=-huge).acount() == 6
    assert await Product.objects.filter(stock=2**31).acount() == 0  # a 32-bit column
    assert await Publisher.objects.filter(id=2**63).acount() == 0
    assert await Product.objects.filter(category_id=huge).acount() == 0
    with pytest.raises(Product.DoesNotExist):
        await Product.objects.aget(id=huge)


async def test_datetime_lookups(orm: Any) -> None:
    times = [datetime.datetime(2024, 1, d, 12, tzinfo=UTC) for d in (1, 2, 3)]
    for t in times:
        await Author.objects.acreate(name=str(t.day), born=t)
    newer = Author.objects.filter(born__gt=times[0])
    assert await newer.acount() == 2
    assert await Author.objects.filter(born__range=(times[0], times[1])).acount() == 2
    assert await Author.objects.filter(born__in=[times[2]]).acount() == 1
    eastern = datetime.timezone(datetime.timedelta(hours=-5))
    same_instant = times[1].astimezone(eastern)
    assert await Author.objects.filter(born=same_instant).acount() == 1


def test_bad_lookups_raise_field_error() -> None:
    with pytest.raises(FieldError, match="Cannot resolve keyword 'colour'"):
        Product.objects.filter(colour="red")
    with pytest.raises(FieldError, match="Unsupported lookup"):
        Product.objects.filter(name__regex=".*")
    with pytest.raises(FieldError):
        Product.objects.filter(name__foo__bar=1)
    with pytest.raises(ValueError, match="expected a number"):
        Product.objects.filter(id="abc")


async def test_filter_through_reverse_relations(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    bob = await Author.objects.acreate(name="Bob")
    await Author.objects.acreate(name="Cy")
    await Book.objects.acreate(title="Alpha", author=ann, pages=100)
    await Book.objects.acreate(title="Beta", author=ann, pages=300)
    await Book.objects.acreate(title="Gamma", author=bob, pages=50)
    assert await names(Author.objects.filter(book__title__startswith="Al")) == ["Ann"]
    assert await names(Author.objects.filter(book__pages__gt=60)) == ["Ann"]
    # One related row must match every keyword of the same relation.
    assert await names(Author.objects.filter(book__title="Alpha", book__pages=300)) == []
    assert await names(Author.objects.filter(book__title="Beta", book__pages=300)) == ["Ann"]
    assert await names(Author.objects.filter(book__isnull=True)) == ["Cy"]
    assert await names(Author.objects.filter(book__isnull=False)) == ["Ann", "Bob"]
    assert await names(Author.objects.exclude(book__title="Gamma")) == ["Ann", "Cy"]
    gamma = await Book.objects.aget(title="Gamma")
    assert await names(Author.objects.filter(book=gamma)) == ["Bob"]
    assert await names(Author.objects.filter(book__in=[gamma.pk])) == ["Bob"]
    tools = await Category.objects.acreate(name="Tools")
    await Product.objects.acreate(name="Saw", price=1, category=tools)
    # related_name is the query name too.
    assert await Category.objects.filter(products__name="Saw").acount() == 1
    assert await Author.objects.filter(book__title="Alpha").acount() == 1


async def test_reverse_filters_on_self_references_and_with_joins(orm: Any) -> None:
    from tests.db.testapp.models import Node, Review

    root = await Node.objects.acreate(label="root")
    mid = await Node.objects.acreate(label="mid", parent=root)
    await Node.objects.acreate(label="leaf", parent=mid)
    parents = (
        await Node.objects.filter(children__label="leaf").values_list("label", flat=True).alist()
    )
    assert parents == ["mid"]
    assert await Node.objects.filter(children__isnull=True).values_list(
        "label", flat=True
    ).alist() == ["leaf"]
    assert await Node.objects.filter(parent__label="root", children__label="leaf").acount() == 1
    ann = await Author.objects.acreate(name="Ann")
    book = await Book.objects.acreate(title="T", author=ann)
    await Review.objects.acreate(book=book, stars=5)
    both = Book.objects.filter(author__name="Ann", reviews__book__title="T")
    assert await both.acount() == 1
    assert await Book.objects.filter(author__name="Ann", reviews__stars=1).acount() == 0


async def test_nul_characters_match_nothing(catalog: Any) -> None:
    # PostgreSQL cannot receive a NUL in text: the lookup is answered without the database.
    assert await Product.objects.filter(name="Ham\x00mer").acount() == 0
    assert await Product.objects.filter(name__in=["\x00", "Hammer"]).acount() == 1
    assert await Product.objects.filter(name__contains="\x00").acount() == 0
    assert await Product.objects.filter(name__icontains="a\x00").acount() == 0
    assert await Product.objects.exclude(name__startswith="\x00").acount() == 6


def test_positional_conditions_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="keywords only"):
        Product.objects.filter(("name", "x"))
    with pytest.raises(TypeError, match="keywords only"):
        Product.objects.all().exclude(object())
