"""Test models covering every field type, relation and Meta option."""

from __future__ import annotations

from decimal import Decimal

from asgi_cycle.db import models


def default_stock() -> int:
    return 7


class Category(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    description = models.TextField(blank=True, default="")
    stock = models.IntegerField(default=default_stock)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    category = models.ForeignKey(
        Category, models.SET_NULL, null=True, blank=True, related_name="products"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["name", "price"])]

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=50)
    born = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=80)
    author = models.ForeignKey(Author, models.CASCADE)
    pages = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "author"], name="uniq_book")]


class Review(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, related_name="reviews")
    stars = models.IntegerField(choices=[(i, str(i)) for i in range(1, 6)])


class Publisher(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=50, db_column="publisher_name")


class Contract(models.Model):
    publisher = models.ForeignKey(Publisher, models.PROTECT)
    author = models.ForeignKey("Author", models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=30, decimal_places=10, default=Decimal("0"))


class Node(models.Model):
    """A self-reference for recursive cascades."""

    label = models.CharField(max_length=20)
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="children")


class World(models.Model):
    """TechEmpower's table shape: explicit table and column names."""

    randomnumber = models.IntegerField()

    class Meta:
        db_table = "orm_world"


class Stamped(models.Model):
    """An abstract base: its fields and Meta are copied into each child."""

    note = models.CharField(max_length=20, default="", blank=True)

    class Meta:
        abstract = True
        ordering = ["-id"]


class Event(Stamped):
    when = models.DateTimeField()
    flag = models.BooleanField(null=True)
