"""``Manager``: the ``Model.objects`` entry point, handing out QuerySets.

Every method proxies to ``get_queryset()``; subclass and override
``get_queryset`` to change the default rows, as in Django.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from asgi_cycle.db.models.query import QuerySet

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model
    from asgi_cycle.db.models.related import ForeignKey

M = TypeVar("M", bound="Model")


class Manager(Generic[M]):
    """The interface through which queries are made (``Model.objects``)."""

    _creation_counter = 0

    def __init__(self) -> None:
        self.model: type[M] | None = None
        self.name = ""
        self.creation_counter = Manager._creation_counter
        Manager._creation_counter += 1

    def __repr__(self) -> str:
        owner = self.model.__name__ if self.model is not None else "unbound"
        return f"<{type(self).__name__} for {owner}>"

    def contribute_to_class(self, cls: type[M], name: str) -> None:
        """Bind the manager to its model as ``cls.<name>``."""
        self.model = cls
        self.name = name
        setattr(cls, name, ManagerDescriptor(self))

    def get_queryset(self) -> QuerySet[M]:
        """A new QuerySet of every row; override to narrow it."""
        if self.model is None:
            raise TypeError("This manager is not attached to a model.")
        return QuerySet(self.model)

    # -- proxies --------------------------------------------------------------------

    def all(self) -> QuerySet[M]:
        """Every row."""
        return self.get_queryset()

    def filter(self, *args: Any, **kwargs: Any) -> QuerySet[M]:
        """See ``QuerySet.filter``."""
        return self.get_queryset().filter(*args, **kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> QuerySet[M]:
        """See ``QuerySet.exclude``."""
        return self.get_queryset().exclude(*args, **kwargs)

    def order_by(self, *field_names: str) -> QuerySet[M]:
        """See ``QuerySet.order_by``."""
        return self.get_queryset().order_by(*field_names)

    def select_related(self, *fields: str) -> QuerySet[M]:
        """See ``QuerySet.select_related``."""
        return self.get_queryset().select_related(*fields)

    def values(self, *fields: str) -> QuerySet[Any]:
        """See ``QuerySet.values``."""
        return self.get_queryset().values(*fields)

    def values_list(self, *fields: str, flat: bool = False) -> QuerySet[Any]:
        """See ``QuerySet.values_list``."""
        return self.get_queryset().values_list(*fields, flat=flat)

    def none(self) -> QuerySet[M]:
        """See ``QuerySet.none``."""
        return self.get_queryset().none()

    def distinct(self) -> QuerySet[M]:
        """See ``QuerySet.distinct``."""
        return self.get_queryset().distinct()

    async def aget(self, *args: Any, **kwargs: Any) -> M:
        """See ``QuerySet.aget``."""
        return await self.get_queryset().aget(*args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> M:
        """See ``QuerySet.get``."""
        return self.get_queryset().get(*args, **kwargs)

    async def acreate(self, **kwargs: Any) -> M:
        """See ``QuerySet.acreate``."""
        return await self.get_queryset().acreate(**kwargs)

    def create(self, **kwargs: Any) -> M:
        """See ``QuerySet.create``."""
        return self.get_queryset().create(**kwargs)

    async def acount(self) -> int:
        """See ``QuerySet.acount``."""
        return await self.get_queryset().acount()

    def count(self) -> int:
        """See ``QuerySet.count``."""
        return self.get_queryset().count()

    async def aexists(self) -> bool:
        """See ``QuerySet.aexists``."""
        return await self.get_queryset().aexists()

    def exists(self) -> bool:
        """See ``QuerySet.exists``."""
        return self.get_queryset().exists()

    async def afirst(self) -> M | None:
        """See ``QuerySet.afirst``."""
        return await self.get_queryset().afirst()

    def first(self) -> M | None:
        """See ``QuerySet.first``."""
        return self.get_queryset().first()

    async def alast(self) -> M | None:
        """See ``QuerySet.alast``."""
        return await self.get_queryset().alast()

    def last(self) -> M | None:
        """See ``QuerySet.last``."""
        return self.get_queryset().last()

    async def aget_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """See ``QuerySet.aget_or_create``."""
        return await self.get_queryset().aget_or_create(defaults, **kwargs)

    def get_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """See ``QuerySet.get_or_create``."""
        return self.get_queryset().get_or_create(defaults, **kwargs)

    async def aupdate_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """See ``QuerySet.aupdate_or_create``."""
        return await self.get_queryset().aupdate_or_create(defaults, **kwargs)

    def update_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """See ``QuerySet.update_or_create``."""
        return self.get_queryset().update_or_create(defaults, **kwargs)

    async def abulk_create(self, objs: Sequence[M], batch_size: int | None = None) -> list[M]:
        """See ``QuerySet.abulk_create``."""
        return await self.get_queryset().abulk_create(objs, batch_size)

    def bulk_create(self, objs: Sequence[M], batch_size: int | None = None) -> list[M]:
        """See ``QuerySet.bulk_create``."""
        return self.get_queryset().bulk_create(objs, batch_size)

    async def ain_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, M]:
        """See ``QuerySet.ain_bulk``."""
        return await self.get_queryset().ain_bulk(id_list, field_name=field_name)

    def in_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, M]:
        """See ``QuerySet.in_bulk``."""
        return self.get_queryset().in_bulk(id_list, field_name=field_name)

    async def aupdate(self, **kwargs: Any) -> int:
        """See ``QuerySet.aupdate``."""
        return await self.get_queryset().aupdate(**kwargs)

    def update(self, **kwargs: Any) -> int:
        """See ``QuerySet.update``."""
        return self.get_queryset().update(**kwargs)

    async def adelete(self) -> tuple[int, dict[str, int]]:
        """See ``QuerySet.adelete``."""
        return await self.get_queryset().adelete()

    def delete(self) -> tuple[int, dict[str, int]]:
        """See ``QuerySet.delete``."""
        return self.get_queryset().delete()

    async def alatest(self, *fields: str) -> M:
        """See ``QuerySet.alatest``."""
        return await self.get_queryset().alatest(*fields)

    def latest(self, *fields: str) -> M:
        """See ``QuerySet.latest``."""
        return self.get_queryset().latest(*fields)

    async def aearliest(self, *fields: str) -> M:
        """See ``QuerySet.aearliest``."""
        return await self.get_queryset().aearliest(*fields)

    def earliest(self, *fields: str) -> M:
        """See ``QuerySet.earliest``."""
        return self.get_queryset().earliest(*fields)

    def aiterator(self) -> AsyncIterator[M]:
        """See ``QuerySet.aiterator``."""
        return self.get_queryset().aiterator()

    def iterator(self) -> Iterator[M]:
        """See ``QuerySet.iterator``."""
        return self.get_queryset().iterator()

    def __aiter__(self) -> AsyncIterator[M]:
        return self.get_queryset().__aiter__()

    def __iter__(self) -> Iterator[M]:
        return iter(self.get_queryset())


class ManagerDescriptor:
    """Gives the manager on the class; instances have none, as in Django.

    Typed so that ``Product.objects.get(...)`` is a ``Product`` to a type checker.
    """

    def __init__(self, manager: Manager[Any]) -> None:
        self.manager = manager

    def __get__(self, instance: object, owner: type[M]) -> Manager[M]:
        if instance is not None:
            raise AttributeError(
                f"Manager isn't accessible via {owner.__name__} instances; "
                f"use {owner.__name__}.{self.manager.name}."
            )
        return self.manager


class RelatedManager(Manager[M]):
    """``author.book_set``: the objects whose foreign key points at one instance."""

    def __init__(self, model: type[M], field: ForeignKey, instance: Model) -> None:
        super().__init__()
        self.model = model
        self.field = field
        self.instance = instance

    def _key(self) -> Any:
        key = getattr(self.instance, self.field.target_field.attname)
        if key is None:
            raise ValueError(
                f"{type(self.instance).__name__!r} instance needs a primary key value "
                "before this relationship can be used."
            )
        return key

    def get_queryset(self) -> QuerySet[M]:
        """Rows pointing at the instance."""
        return super().get_queryset().filter(**{self.field.attname: self._key()})

    async def acreate(self, **kwargs: Any) -> M:
        """Create an object pointing at the instance."""
        kwargs[self.field.attname] = self._key()
        return await super().get_queryset().acreate(**kwargs)

    def create(self, **kwargs: Any) -> M:
        """Sync twin of ``acreate``."""
        from asgi_cycle.utils.asyncio import run_sync

        return run_sync(self.acreate(**kwargs))


__all__ = ["Manager", "ManagerDescriptor", "RelatedManager"]
