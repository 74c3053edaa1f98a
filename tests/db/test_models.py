"""The model metaclass: _meta, exceptions, auto id, managers, registry and tables."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from asgi_cycle.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from asgi_cycle.db import models
from asgi_cycle.db.models.options import app_label_for
from asgi_cycle.db.models.registry import all_models, get_model, metadata
from tests.db.testapp.models import (
    Author,
    Book,
    Category,
    Event,
    Node,
    Product,
    Publisher,
    Review,
    Stamped,
    World,
)

PINNED = [
    "Model",
    "AutoField",
    "BigAutoField",
    "CharField",
    "TextField",
    "IntegerField",
    "DecimalField",
    "BooleanField",
    "DateTimeField",
    "ForeignKey",
    "CASCADE",
    "PROTECT",
    "SET_NULL",
    "Manager",
    "QuerySet",
    "Index",
    "UniqueConstraint",
    "ProtectedError",
]


def test_pinned_names_exported() -> None:
    for name in PINNED:
        assert name in models.__all__
        assert getattr(models, name) is not None


def test_meta_defaults() -> None:
    meta = Product._meta
    assert meta.app_label == "testapp"
    assert meta.model_name == "product"
    assert meta.object_name == "Product"
    assert meta.db_table == "testapp_product"
    assert meta.label == "testapp.Product"
    assert meta.verbose_name == "product"
    assert meta.ordering == ["id"]
    assert [f.name for f in meta.fields] == [
        "id",
        "name",
        "price",
        "description",
        "stock",
        "active",
        "created",
        "updated",
        "category",
    ]
    assert meta.concrete_fields == meta.fields
    assert meta.pk is meta.get_field("id")
    assert meta.get_field("category") is meta.get_field("category_id")
    with pytest.raises(FieldDoesNotExist):
        meta.get_field("colour")


def test_app_label_from_module() -> None:
    assert app_label_for("app.models") == "app"
    assert app_label_for("shop.catalog.models") == "catalog"
    assert app_label_for("shop.models.product") == "shop"


def test_explicit_table_and_columns() -> None:
    assert World._meta.db_table == "orm_world"
    assert Publisher._meta.get_field("name").column == "publisher_name"
    assert list(World._meta.table.c.keys()) == ["id", "randomnumber"]


def test_auto_id_only_without_declared_pk() -> None:
    auto = Author._meta.pk
    assert isinstance(auto, models.AutoField) and auto.name == "id" and auto.auto_created
    assert isinstance(Publisher._meta.pk, models.BigAutoField)
    assert not Publisher._meta.pk.auto_created


def test_per_model_exceptions() -> None:
    assert issubclass(Product.DoesNotExist, ObjectDoesNotExist)
    assert issubclass(Product.MultipleObjectsReturned, MultipleObjectsReturned)
    assert Product.DoesNotExist is not Author.DoesNotExist
    assert not issubclass(Product.DoesNotExist, Author.DoesNotExist)

    class Special(Author):
        class Meta:
            app_label = "orm_extra"

    # A concrete parent's exceptions are base classes of the child's, as in Django.
    assert issubclass(Special.DoesNotExist, Author.DoesNotExist)
    assert [f.name for f in Special._meta.fields] == ["id", "name", "born"]


def test_abstract_models() -> None:
    assert Stamped._meta.abstract
    assert not hasattr(Stamped, "DoesNotExist")
    with pytest.raises(TypeError, match="Abstract"):
        Stamped()
    assert Event._meta.ordering == ["-id"]
    assert not Event._meta.abstract
    assert [f.name for f in Event._meta.fields] == ["id", "note", "when", "flag"]
    assert Stamped not in all_models()


def test_managers() -> None:
    assert isinstance(Product.objects, models.Manager)
    assert Product.objects.model is Product
    assert Product._default_manager is Product.objects
    assert isinstance(Product.objects.all(), models.QuerySet)

    class ActiveManager(models.Manager["Gadget"]):
        def get_queryset(self) -> models.QuerySet[Gadget]:
            return super().get_queryset().filter(active=True)

    class Gadget(models.Model):
        active = models.BooleanField(default=True)
        live = ActiveManager()
        everything: models.Manager[Gadget] = models.Manager()

        class Meta:
            app_label = "orm_extra"

    assert Gadget._default_manager is Gadget.live
    assert not hasattr(Gadget, "objects")
    assert "WHERE" in str(Gadget.live.all()._select()[0])


def test_registry() -> None:
    labels = {m._meta.label_lower for m in all_models("testapp")}
    assert {"testapp.product", "testapp.book", "testapp.event", "testapp.world"} <= labels
    assert get_model("testapp.Product") is Product
    with pytest.raises(LookupError):
        get_model("testapp.nothing")


def test_tables_share_one_metadata_with_fks_indexes_and_constraints() -> None:
    book = Book._meta.table
    assert book.metadata is metadata and Product._meta.table.metadata is metadata
    fk = next(iter(book.c.author_id.foreign_keys))
    assert fk.target_fullname == "testapp_author.id"
    assert any(
        isinstance(c, sa.UniqueConstraint) and c.name == "uniq_book" for c in book.constraints
    )
    assert [list(i.columns.keys()) for i in book.indexes] == [["author_id"]]
    product_indexes = {str(i.name): list(i.columns.keys()) for i in Product._meta.table.indexes}
    assert product_indexes["testapp_product_name_price_idx"] == ["name", "price"]
    assert Category._meta.table.c.name.unique


def test_reverse_accessors() -> None:
    author = Author(name="x")
    author.pk = 3
    assert "author_id" in str(author.book_set.all()._select()[0].compile())
    assert hasattr(Book(title="t", author_id=1), "reviews")
    assert hasattr(Node(label="n"), "children")
    assert not hasattr(Category(name="c"), "product_set")  # related_name="products" instead
    book_field = Review._meta.get_field("book")
    assert isinstance(book_field, models.ForeignKey) and book_field.related_model is Book


def test_lazy_string_reference() -> None:
    class Chapter(models.Model):
        tome = models.ForeignKey("Tome", models.CASCADE)

        class Meta:
            app_label = "orm_lazy"

    class Tome(models.Model):
        class Meta:
            app_label = "orm_lazy"

    tome_field = Chapter._meta.get_field("tome")
    assert isinstance(tome_field, models.ForeignKey) and tome_field.related_model is Tome
    assert hasattr(Tome(), "chapter_set")


def test_configuration_mistakes() -> None:
    with pytest.raises(ImproperlyConfigured, match="invalid attribute"):

        class Bad(models.Model):
            class Meta:
                app_label = "orm_extra"
                colour = "red"

    with pytest.raises(ImproperlyConfigured, match="SET_NULL"):
        models.ForeignKey(Author, models.SET_NULL)
    with pytest.raises(ImproperlyConfigured, match="on_delete"):
        models.ForeignKey(Author, print)
    with pytest.raises(ImproperlyConfigured, match="primary_key"):
        models.AutoField()


def test_instances_init() -> None:
    product = Product(name="n", price="1.5")
    assert product.pk is None and product.id is None
    assert product._state.adding
    assert Author(name="x") != Author(name="x")  # no pk: identity
    assert Author(None, "x").name == "x"  # positional args follow field order
    with pytest.raises(TypeError, match="unexpected keyword"):
        Product(colour="red")
    book = Book(title="t", author_id=4)
    assert book.author_id == 4
    author = Author(name="a")
    author.pk = 9
    assert Book(author=author).author_id == 9
    with pytest.raises(ValueError, match="must be a Author instance"):
        Book(author=Category(name="c"))
    with pytest.raises(ValueError, match="does not allow null"):
        Book(author=None)
    assert str(author) == "a" and repr(author) == "<Author: a>"
    assert str(Book(title="t", author_id=1)) == "Book object (None)"
