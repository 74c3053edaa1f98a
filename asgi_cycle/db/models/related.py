"""``ForeignKey``: the ``<name>_id`` column, lazy related access and the reverse manager.

Sync code may read ``book.author``: the first read runs a query through the
bridge (from a worker thread). On the event-loop thread that query cannot
block, so, as in Django, it raises ``SynchronousOnlyOperation``; async code
loads the related object up front with
``await Book.objects.select_related("author").aget(...)`` (after which
``book.author`` is a plain attribute read), or queries it directly with
``await Author.objects.aget(pk=book.author_id)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from asgi_cycle.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from asgi_cycle.db.models import registry
from asgi_cycle.db.models.fields import AutoField, BigAutoField, Field, _Typed
from asgi_cycle.utils.asyncio import run_sync

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model
    from asgi_cycle.db.models.manager import Manager

RECURSIVE_RELATIONSHIP = "self"


def CASCADE(*args: Any) -> None:
    """on_delete: delete the objects that point at the deleted one."""


def PROTECT(*args: Any) -> None:
    """on_delete: refuse the delete (``ProtectedError``) while objects point at it."""


def SET_NULL(*args: Any) -> None:
    """on_delete: set the foreign key of pointing objects to NULL (needs ``null=True``)."""


def DO_NOTHING(*args: Any) -> None:
    """on_delete: leave pointing objects alone (the database decides)."""


ON_DELETE = (CASCADE, PROTECT, SET_NULL, DO_NOTHING)

_pending: dict[str, list[Callable[[type[Model]], None]]] = {}


def lazy_related(label: str, callback: Callable[[type[Model]], None]) -> None:
    """Call ``callback(model)`` once the model ``label`` exists (now if it already does)."""
    try:
        model = registry.get_model(label)
    except LookupError:
        _pending.setdefault(label.lower(), []).append(callback)
    else:
        callback(model)


def model_registered(model: type[Model]) -> None:
    """Run the callbacks waiting for ``model``."""
    for callback in _pending.pop(model._meta.label_lower, []):
        callback(model)


class ForeignKey(Field, _Typed[Any]):
    """A many-to-one relation stored in the ``<name>_id`` column."""

    is_relation = True
    empty_strings_allowed = False

    def __init__(
        self,
        to: type[Model] | str,
        on_delete: Callable[..., None],
        related_name: str | None = None,
        *,
        to_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        if on_delete not in ON_DELETE:
            raise ImproperlyConfigured(
                "on_delete must be CASCADE, PROTECT, SET_NULL or DO_NOTHING."
            )
        if on_delete is SET_NULL and not kwargs.get("null"):
            raise ImproperlyConfigured("on_delete=SET_NULL needs null=True on the ForeignKey.")
        kwargs.setdefault("db_index", True)
        super().__init__(**kwargs)
        self.to = to
        self.on_delete = on_delete
        self.related_name = related_name
        self.to_field = to_field
        self._related_model: type[Model] | None = None

    @property
    def related_model(self) -> type[Model]:
        """The model pointed at."""
        if self._related_model is None:
            raise ImproperlyConfigured(
                f"{self!r} points at {self.to!r}, which is not defined (or not imported)."
            )
        return self._related_model

    @property
    def target_field(self) -> Field:
        """The field on the related model that the column stores (its pk by default)."""
        meta = self.related_model._meta
        target = meta.get_field(self.to_field) if self.to_field else meta.pk
        if target is None:
            raise ImproperlyConfigured(f"{meta.object_name} has no primary key.")
        return target

    def get_attname(self) -> str:
        """``author`` -> ``author_id``."""
        return f"{self.name}_id"

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        """Add the column, the forward descriptor and (later) the reverse accessor."""
        super().contribute_to_class(cls, name)
        setattr(cls, name, ForwardDescriptor(self))
        if cls._meta.abstract:
            return
        to = self.to
        if isinstance(to, str):
            if to == RECURSIVE_RELATIONSHIP:
                label = cls._meta.label_lower
            elif "." in to:
                label = to
            else:
                label = f"{cls._meta.app_label}.{to}"
            lazy_related(label, self._resolve)
        else:
            self._resolve(to)

    def _resolve(self, model: type[Model]) -> None:
        self._related_model = model
        model._meta.related_objects.append(self)
        if self.related_name != "+":
            accessor = self.related_accessor_name
            setattr(model, accessor, ReverseDescriptor(self))

    @property
    def related_accessor_name(self) -> str:
        """``related_name`` or ``<model_name>_set``."""
        if self.model is None:
            raise ImproperlyConfigured(f"{self!r} is not attached to a model.")
        return self.related_name or f"{self.model._meta.model_name}_set"

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        """The type of the target's column (INTEGER for an AutoField pk)."""
        target = self.target_field
        if isinstance(target, BigAutoField):
            return sa.BigInteger()
        if isinstance(target, AutoField):
            return sa.Integer()  # a plain INTEGER, not SERIAL: the key is not generated here
        return target.sa_type()

    def make_column(self) -> sa.Column[Any]:
        """The column with its FOREIGN KEY constraint."""
        meta = self.related_model._meta
        return sa.Column(
            self.column,
            self.sa_type(),
            sa.ForeignKey(f"{meta.db_table}.{self.target_field.column}"),
            nullable=self.null,
            unique=self.unique,
            index=self.db_index and not self.unique,
        )

    def to_python(self, value: Any) -> Any:
        """The stored key: a model instance becomes its key."""
        if value is None:
            return None
        if hasattr(value, "_meta"):
            return getattr(value, self.target_field.attname)
        return self.target_field.to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        """Bind the key (an instance is replaced by its key)."""
        return self.target_field.get_prep_value(self.to_python(value))

    def from_db_value(self, value: Any) -> Any:
        """As the target field reads it."""
        return self.target_field.from_db_value(value)

    def value_to_string(self, instance: Model) -> Any:
        """The key."""
        return getattr(instance, self.attname)


class ForwardDescriptor:
    """``book.author``: the related instance, loaded on first access."""

    def __init__(self, field: ForeignKey) -> None:
        self.field = field

    def __get__(self, instance: Model | None, owner: type[Model]) -> Any:
        if instance is None:
            return self
        field = self.field
        key = getattr(instance, field.attname)
        cache = instance._state.fields_cache
        cached = cache.get(field.name)
        if cached is not None and getattr(cached, field.target_field.attname) == key:
            return cached
        if key is None:
            return None
        manager = field.related_model._default_manager
        try:
            related = run_sync(manager.aget(**{field.target_field.name: key}))
        except SynchronousOnlyOperation:
            raise SynchronousOnlyOperation(
                f"Reading {type(instance).__name__}.{field.name} runs a query, which cannot "
                f"block the event loop. In async code use "
                f"select_related({field.name!r}) or await "
                f"{field.related_model.__name__}.objects.aget(pk=obj.{field.attname})."
            ) from None
        cache[field.name] = related
        return related

    def __set__(self, instance: Model, value: Any) -> None:
        field = self.field
        if value is None:
            if not field.null:
                raise ValueError(
                    f"Cannot assign None: {type(instance).__name__}.{field.name} "
                    "does not allow null values."
                )
            instance._state.fields_cache.pop(field.name, None)
            instance.__dict__[field.attname] = None
            return
        if not isinstance(value, field.related_model):
            raise ValueError(
                f"Cannot assign {value!r}: {type(instance).__name__}.{field.name} must be a "
                f"{field.related_model.__name__} instance."
            )
        instance.__dict__[field.attname] = getattr(value, field.target_field.attname)
        instance._state.fields_cache[field.name] = value


class ReverseDescriptor:
    """``author.book_set``: a manager of the objects pointing at ``author``."""

    def __init__(self, field: ForeignKey) -> None:
        self.field = field

    def __get__(self, instance: Model | None, owner: type[Model]) -> Any:
        if instance is None:
            return self
        from asgi_cycle.db.models.manager import RelatedManager

        if self.field.model is None:
            raise ImproperlyConfigured(f"{self.field!r} is not attached to a model.")
        manager: Manager[Any] = RelatedManager(self.field.model, self.field, instance)
        return manager


__all__ = ["CASCADE", "DO_NOTHING", "PROTECT", "SET_NULL", "ForeignKey"]
