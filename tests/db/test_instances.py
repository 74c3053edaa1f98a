"""Instances: save/delete/refresh, identity, validation, relations and on_delete."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import pytest

from asgi_cycle.core.exceptions import ValidationError
from asgi_cycle.db import models, querylog
from asgi_cycle.utils.asyncio import sync_to_async
from tests.db.testapp import fixtures
from tests.db.testapp.models import (
    Author,
    Book,
    Category,
    Contract,
    Node,
    Product,
    Publisher,
    Review,
)

orm = fixtures.orm


async def test_asave_inserts_then_updates(orm: Any) -> None:
    product = Product(name="Saw", price=Decimal("10"))
    await product.asave()
    assert product.pk == 1 and product.id == 1 and not product._state.adding
    product.price = Decimal("12.25")
    await product.asave()
    assert await Product.objects.acount() == 1
    assert (await Product.objects.aget(pk=1)).price == Decimal("12.25")


async def test_save_with_explicit_pk_inserts_when_missing(orm: Any) -> None:
    author = Author(pk=42, name="Ann")
    await author.asave()
    assert (await Author.objects.aget(pk=42)).name == "Ann"
    author.name = "Bob"
    await author.asave()
    assert await Author.objects.acount() == 1 and (await Author.objects.aget()).name == "Bob"


async def test_update_fields_touches_only_those(orm: Any) -> None:
    product = await Product.objects.acreate(name="Saw", price=1, stock=3)
    product.name = "Big saw"
    product.stock = 99
    await product.asave(update_fields=["name"])
    fresh = await Product.objects.aget(pk=product.pk)
    assert (fresh.name, fresh.stock) == ("Big saw", 3)
    with querylog.collect() as records:
        await product.asave(update_fields=[])
    assert records == []
    with pytest.raises(ValueError):
        await Product(name="x", price=1).asave(update_fields=["name"])
    with pytest.raises(ValueError, match="do not exist in this model.*colour"):
        await product.asave(update_fields=["colour"])
    await product.asave(update_fields=["category_id"])  # an attname is accepted too


async def test_adelete_and_refresh(orm: Any) -> None:
    product = await Product.objects.acreate(name="Saw", price=1)
    copy = await Product.objects.aget(pk=product.pk)
    await Product.objects.filter(pk=product.pk).aupdate(name="Renamed", stock=5)
    await copy.arefresh_from_db()
    assert (copy.name, copy.stock) == ("Renamed", 5)
    product.name = "Local"
    await product.arefresh_from_db(fields=["stock"])
    assert (product.name, product.stock) == ("Local", 5)
    assert await product.adelete() == (1, {"testapp.Product": 1})
    assert product.pk is None
    with pytest.raises(Product.DoesNotExist):
        await copy.arefresh_from_db()
    with pytest.raises(ValueError, match="can't be deleted"):
        await Product(name="x", price=1).adelete()


async def test_sync_instance_methods_in_a_worker(orm: Any) -> None:
    def view() -> tuple[Any, ...]:
        product = Product(name="Saw", price=Decimal("1.10"))
        product.save()
        product.stock = 4
        product.save(update_fields=["stock"])
        other = Product.objects.get(pk=product.pk)
        Product.objects.filter(pk=product.pk).update(name="New")
        other.refresh_from_db()
        return other.name, other.stock, product.delete()

    assert await sync_to_async(view)() == ("New", 4, (1, {"testapp.Product": 1}))


async def test_identity_by_pk(orm: Any) -> None:
    a = await Author.objects.acreate(name="Ann")
    same = await Author.objects.aget(pk=a.pk)
    assert a == same and hash(a) == hash(same) and {a, same} == {a}
    assert a != await Author.objects.acreate(name="Ann")
    book = await Book.objects.acreate(title="t", author=a)
    assert a != book and a.pk == book.pk  # different models, same pk
    with pytest.raises(TypeError, match="unhashable"):
        hash(Author(name="x"))
    restored = pickle.loads(pickle.dumps(same))
    assert restored == a and restored.name == "Ann" and not restored._state.adding


async def test_full_clean_reports_every_field(orm: Any) -> None:
    product = Product(name="x" * 101, price=Decimal("1.234"), stock="many")
    with pytest.raises(ValidationError) as info:
        await product.afull_clean()
    errors = info.value.message_dict
    assert errors["name"] == ["Ensure this value has at most 100 characters (it has 101)."]
    assert errors["price"] == ["Ensure that there are no more than 2 decimal places."]
    assert errors["stock"] == ["“many” value must be an integer."]
    assert "created" not in errors and "description" not in errors  # blank allowed
    with pytest.raises(ValidationError) as info:
        Book(title="", author_id=None).full_clean()
    assert info.value.message_dict == {
        "title": ["This field cannot be blank."],
        "author": ["This field cannot be null."],
    }
    with pytest.raises(ValidationError) as info:
        Review(book_id=1, stars=7).clean_fields()
    assert info.value.message_dict == {"stars": ["Value 7 is not a valid choice."]}
    good = Product(name="ok", price="3.5", stock="4")
    await good.afull_clean()
    assert good.price == Decimal("3.5") and good.stock == 4
    Product(name="ok", price=2).full_clean(exclude=["price"], validate_unique=False)


async def test_full_clean_checks_unique_in_the_database(orm: Any) -> None:
    await Category.objects.acreate(name="Tools")
    with pytest.raises(ValidationError) as info:
        await Category(name="Tools").afull_clean()
    assert info.value.message_dict == {"name": ["Category with this Name already exists."]}
    existing = await Category.objects.aget(name="Tools")
    await existing.afull_clean()  # itself is not a duplicate
    author = await Author.objects.acreate(name="Ann")
    await Book.objects.acreate(title="T", author=author)
    with pytest.raises(ValidationError) as info:
        await Book(title="T", author=author).afull_clean()
    duplicate = "Book with this Title and Author already exists."
    assert info.value.message_dict == {"__all__": [duplicate]}
    # The sync twin needs the bridge only for the unique checks.
    await sync_to_async(Category(name="New").full_clean)()


async def test_clean_hook_errors_merge(orm: Any) -> None:
    class Ticket(models.Model):
        seats = models.IntegerField()

        class Meta:
            app_label = "orm_extra"

        def clean(self) -> None:
            if self.seats and self.seats > 10:
                raise ValidationError("Too many seats.")

    with pytest.raises(ValidationError) as info:
        Ticket(seats=11).full_clean()
    assert info.value.message_dict == {"__all__": ["Too many seats."]}


async def test_forward_and_reverse_relations(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    first = await ann.book_set.acreate(title="First")
    await Book.objects.acreate(title="Second", author=ann)
    other = await Author.objects.acreate(name="Bob")
    await Book.objects.acreate(title="Elsewhere", author=other)
    assert first.author_id == ann.pk
    titles = sorted(await ann.book_set.values_list("title", flat=True).alist())
    assert titles == ["First", "Second"]
    assert await ann.book_set.acount() == 2
    assert await ann.book_set.filter(title__startswith="S").acount() == 1
    tools = await Category.objects.acreate(name="Tools")
    await Product.objects.acreate(name="Saw", price=1, category=tools)
    assert [p.name async for p in tools.products.all()] == ["Saw"]
    root = await Node.objects.acreate(label="root")
    await root.children.acreate(label="leaf")
    assert await root.children.acount() == 1

    def sync_side() -> tuple[str, list[str]]:
        book = Book.objects.get(title="First")
        return book.author.name, sorted(b.title for b in ann.book_set.all())

    assert await sync_to_async(sync_side)() == ("Ann", ["First", "Second"])
    with pytest.raises(ValueError, match="primary key"):
        Author(name="unsaved").book_set.all()


async def test_on_delete_cascade(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    book = await Book.objects.acreate(title="T", author=ann)
    await Review.objects.acreate(book=book, stars=3)
    await Review.objects.acreate(book=book, stars=4)
    keep = await Book.objects.acreate(title="K", author=await Author.objects.acreate(name="B"))
    total, per_model = await ann.adelete()
    assert total == 4
    assert per_model == {"testapp.Review": 2, "testapp.Book": 1, "testapp.Author": 1}
    assert await Review.objects.acount() == 0
    assert [b.pk async for b in Book.objects.all()] == [keep.pk]


async def test_on_delete_cascade_through_self_reference(orm: Any) -> None:
    root = await Node.objects.acreate(label="root")
    child = await Node.objects.acreate(label="child", parent=root)
    await Node.objects.acreate(label="grandchild", parent=child)
    await Node.objects.acreate(label="other")
    assert await root.adelete() == (3, {"testapp.Node": 3})
    assert [n.label async for n in Node.objects.all()] == ["other"]


async def test_on_delete_protect(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    publisher = await Publisher.objects.acreate(name="P")
    contract = await Contract.objects.acreate(publisher=publisher, author=ann)
    await Book.objects.acreate(title="T", author=ann)
    with pytest.raises(models.ProtectedError) as info:
        await publisher.adelete()
    assert info.value.protected_objects == {contract}
    assert "Contract.publisher" in str(info.value)
    assert await Publisher.objects.acount() == 1
    # CASCADE from the author removes the contract; then the publisher can go.
    await ann.adelete()
    assert await Contract.objects.acount() == 0 and await Book.objects.acount() == 0
    assert await publisher.adelete() == (1, {"testapp.Publisher": 1})


async def test_protect_rolls_back_what_was_cascaded(orm: Any) -> None:
    ann = await Author.objects.acreate(name="Ann")
    await Book.objects.acreate(title="T", author=ann)
    publisher = await Publisher.objects.acreate(name="P")
    await Contract.objects.acreate(publisher=publisher, author=ann)
    with pytest.raises(models.ProtectedError):
        await Publisher.objects.all().adelete()
    await Author.objects.all().adelete()
    assert await Publisher.objects.acount() == 1


async def test_on_delete_set_null(orm: Any) -> None:
    tools = await Category.objects.acreate(name="Tools")
    saw = await Product.objects.acreate(name="Saw", price=1, category=tools)
    assert await tools.adelete() == (1, {"testapp.Category": 1})
    await saw.arefresh_from_db()
    assert saw.category_id is None and await Product.objects.acount() == 1


async def test_unsaved_related_object_is_refused(orm: Any) -> None:
    author = Author(name="Ann")
    book = Book(title="T", author=author)
    with pytest.raises(ValueError, match="unsaved related object 'author'"):
        await book.asave()
    await author.asave()
    await book.asave()  # the key is picked up once the author has one
    assert (await Book.objects.aget()).author_id == author.pk


async def test_choices_display_and_manager_only_on_the_class(orm: Any) -> None:
    review = Review(book_id=1, stars=4)
    assert review.get_stars_display() == "4"
    review.stars = 9
    assert review.get_stars_display() == "9"
    with pytest.raises(AttributeError, match="Manager isn't accessible via Review instances"):
        review.objects  # noqa: B018
    assert Review.objects.model is Review


async def test_model_with_only_an_auto_key(orm: Any) -> None:
    from tests.db.testapp.models import World

    world = await World.objects.acreate(randomnumber=3)
    assert world.pk == 1 and (await World.objects.aget(pk=1)).randomnumber == 3


async def test_orm_writes_follow_atomic_blocks(orm: Any) -> None:
    from asgi_cycle.db import transaction

    with pytest.raises(RuntimeError):
        async with transaction.atomic():
            await Author.objects.acreate(name="gone")
            raise RuntimeError
    assert await Author.objects.acount() == 0
    async with transaction.atomic():
        ann = await Author.objects.acreate(name="Ann")
        await Book.objects.acreate(title="T", author=ann)
        try:
            async with transaction.atomic():
                await ann.adelete()  # its own savepoint inside, then this block's
                assert await Book.objects.acount() == 0
                raise RuntimeError
        except RuntimeError:
            pass
        assert await Book.objects.acount() == 1
        await Author.objects.aget_or_create(name="Bob")
    assert await Author.objects.acount() == 2

    def sync_view() -> None:
        with transaction.atomic():
            Author.objects.create(name="Cy")
            Author.objects.filter(name="Ann").update(name="Ann 2")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        await sync_to_async(sync_view)()
    assert sorted(await Author.objects.values_list("name", flat=True).alist()) == ["Ann", "Bob"]
