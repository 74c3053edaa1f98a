"""The ORM: models, fields and QuerySets, async-first, on SQLAlchemy Core.

``from asgi_cycle.db import models`` then ``class Product(models.Model): ...``,
as in Django. Queries are awaited in async code (``await Product.objects.aget(id=1)``,
``async for p in Product.objects.all()``) and called plainly in sync code running
in a worker thread (``Product.objects.get(id=1)``); a sync query on the event-loop
thread raises ``SynchronousOnlyOperation``. Every evaluation is written once, async;
the sync names reach it through ``asgi_cycle.utils.asyncio.run_sync``.

Related objects: ``book.author`` queries on first read, so in async code load it
up front with ``select_related("author")``. Modules: ``base`` (Model and its
metaclass), ``options`` (``_meta``), ``fields``/``related`` (columns and values),
``manager``/``query`` (the API), ``sql``/``lookups``/``compiler`` (pure statement
building), ``persistence``/``deletion`` (writes), ``fixtures`` (loaddata/dumpdata),
``registry`` (every model and the shared MetaData that ``migrate`` reads).
"""

from __future__ import annotations

from asgi_cycle.db.models.base import Model
from asgi_cycle.db.models.constraints import Index, UniqueConstraint
from asgi_cycle.db.models.deletion import ProtectedError
from asgi_cycle.db.models.fields import (
    NOT_PROVIDED,
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    Field,
    IntegerField,
    TextField,
)
from asgi_cycle.db.models.manager import Manager
from asgi_cycle.db.models.query import QuerySet
from asgi_cycle.db.models.related import CASCADE, DO_NOTHING, PROTECT, SET_NULL, ForeignKey

__all__ = [
    "CASCADE",
    "DO_NOTHING",
    "NOT_PROVIDED",
    "PROTECT",
    "SET_NULL",
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "DecimalField",
    "Field",
    "ForeignKey",
    "Index",
    "IntegerField",
    "Manager",
    "Model",
    "ProtectedError",
    "QuerySet",
    "TextField",
    "UniqueConstraint",
]
