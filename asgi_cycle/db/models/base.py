"""``Model`` and its metaclass: fields, ``_meta``, managers, per-model exceptions, saving.

Instances keep each field's value in ``__dict__[field.attname]`` (plain
attribute reads on the hot path); a ``ForeignKey`` adds a descriptor under its
name. ``asave``/``adelete``/``arefresh_from_db``/``afull_clean`` are written once;
their sync names call them through the bridge.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar

from asgi_cycle.core import exceptions
from asgi_cycle.core.exceptions import FieldDoesNotExist, ValidationError
from asgi_cycle.db.models import registry
from asgi_cycle.db.models.fields import AutoField, Field
from asgi_cycle.db.models.manager import Manager, ManagerDescriptor
from asgi_cycle.db.models.options import Options
from asgi_cycle.db.models.related import model_registered
from asgi_cycle.utils.asyncio import run_sync


class ModelState:
    """Per-instance bookkeeping: unsaved or not, and loaded related objects."""

    __slots__ = ("adding", "fields_cache")

    def __init__(self, adding: bool = True) -> None:
        self.adding = adding
        self.fields_cache: dict[str, Any] = {}


class ModelBase(type):
    """Metaclass: builds ``_meta``, collects fields, adds ``id``, ``objects`` and exceptions."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> ModelBase:
        parents: list[Any] = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            return super().__new__(mcs, name, bases, attrs, **kwargs)
        meta = attrs.pop("Meta", None)
        # ``Model`` itself has no _meta: only real model parents contribute fields.
        parents = [p for p in parents if "_meta" in vars(p)]
        contributable = {k: v for k, v in attrs.items() if hasattr(v, "contribute_to_class")}
        plain = {k: v for k, v in attrs.items() if k not in contributable}
        cls = super().__new__(mcs, name, bases, plain, **kwargs)
        model: Any = cls
        if meta is None:
            # An abstract parent's Meta is inherited (minus ``abstract``), as in Django.
            meta = next((p._meta_class for p in parents if p._meta_class is not None), None)
            if meta is not None:
                meta = type("Meta", (meta,), {"abstract": False})
        opts = Options(meta, name, plain["__module__"])
        model._meta = opts
        model._meta_class = meta if opts.abstract else None
        opts.model = model
        if not opts.abstract:
            mcs._add_exceptions(model, parents)
        # Fields of parent models are copied: each concrete model has its own table.
        for parent in parents:
            for field in parent._meta.local_fields:
                if field.name not in contributable and not field.auto_created:
                    contributable[field.name] = copy.deepcopy(field)
            for manager_name, manager in parent._declared_managers.items():
                contributable.setdefault(manager_name, copy.copy(manager))
        if not any(isinstance(v, Field) and v.primary_key for v in contributable.values()):
            auto = AutoField(verbose_name="ID", primary_key=True)
            auto.auto_created = True
            auto.creation_counter = -1
            auto.contribute_to_class(model, "id")
        managers = {k: v for k, v in contributable.items() if isinstance(v, Manager)}
        if not managers and "objects" not in contributable:
            managers = {"objects": Manager()}
            contributable["objects"] = managers["objects"]
        model._declared_managers = managers
        for attr, value in sorted(
            contributable.items(), key=lambda kv: getattr(kv[1], "creation_counter", 0)
        ):
            value.contribute_to_class(model, attr)
        if not opts.abstract:
            model._default_manager = next(iter(managers.values()))
            registry.register(model)
            model_registered(model)
        return cls

    @staticmethod
    def _add_exceptions(model: type[Model], parents: list[Any]) -> None:
        concrete = [p for p in parents if not p._meta.abstract]
        for exc_name, base in (
            ("DoesNotExist", exceptions.ObjectDoesNotExist),
            ("MultipleObjectsReturned", exceptions.MultipleObjectsReturned),
        ):
            exc_bases = tuple(getattr(p, exc_name) for p in concrete) or (base,)
            exc = type(exc_name, exc_bases, {"__module__": model.__module__})
            exc.__qualname__ = f"{model.__qualname__}.{exc_name}"
            setattr(model, exc_name, exc)


class Model(metaclass=ModelBase):
    """Base class of every model."""

    _meta: ClassVar[Options]
    _meta_class: ClassVar[type | None] = None
    _declared_managers: ClassVar[dict[str, Manager[Any]]] = {}
    _default_manager: ClassVar[Manager[Any]]
    objects: ClassVar[ManagerDescriptor]
    DoesNotExist: ClassVar[type[exceptions.ObjectDoesNotExist]]
    MultipleObjectsReturned: ClassVar[type[exceptions.MultipleObjectsReturned]]

    if TYPE_CHECKING:
        # Attributes the metaclass adds (``id``, ``author_id``, ``book_set``,
        # ``get_<field>_display``) are unknown to a type checker; read them as Any.
        def __getattr__(self, name: str) -> Any: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        opts = self._meta
        if opts.abstract:
            raise TypeError(f"Abstract models cannot be instantiated: {type(self).__name__}.")
        self._state = ModelState()
        fields = opts.concrete_fields
        if len(args) > len(fields):
            raise IndexError("Number of args exceeds number of fields")
        for field, value in zip(fields, args, strict=False):
            if field.name in kwargs:
                raise TypeError(
                    f"{type(self).__name__}() got both positional and keyword "
                    f"arguments for field '{field.name}'."
                )
            kwargs[field.name] = value
        for field in fields:
            if field.name in kwargs:
                setattr(self, field.name, kwargs.pop(field.name))
            elif field.attname in kwargs:
                self.__dict__[field.attname] = kwargs.pop(field.attname)
            else:
                self.__dict__[field.attname] = field.get_default()
        for name in list(kwargs):
            # Properties with setters (``pk``) are accepted, as Django does.
            prop = getattr(type(self), name, None)
            if isinstance(prop, property) and prop.fset is not None:
                setattr(self, name, kwargs.pop(name))
        if kwargs:
            unexpected = ", ".join(repr(k) for k in kwargs)
            raise TypeError(
                f"{type(self).__name__}() got unexpected keyword arguments: {unexpected}"
            )

    @classmethod
    def from_db(cls, values: dict[str, Any]) -> Model:
        """An instance loaded from a row (``values`` keyed by attname, already converted)."""
        obj = cls.__new__(cls)
        obj._state = ModelState(adding=False)
        obj.__dict__.update(values)
        return obj

    # -- identity -------------------------------------------------------------

    @property
    def pk(self) -> Any:
        """The primary key value."""
        return self.__dict__.get(self._pk_field().attname)

    @pk.setter
    def pk(self, value: Any) -> None:
        self.__dict__[self._pk_field().attname] = value

    @classmethod
    def _pk_field(cls) -> Field:
        pk = cls._meta.pk
        if pk is None:  # only abstract models lack one
            raise TypeError(f"{cls.__name__} has no primary key.")
        return pk

    def __str__(self) -> str:
        return f"{type(self).__name__} object ({self.pk})"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.label_lower != other._meta.label_lower:
            return False
        if self.pk is None:
            return self is other
        return bool(self.pk == other.pk)

    def __hash__(self) -> int:
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash((self._meta.label_lower, self.pk))

    def __reduce__(self) -> Any:
        state = dict(self.__dict__)
        state["_state"] = ModelState(adding=self._state.adding)
        return (_unpickle, (type(self),), state)

    # -- saving ---------------------------------------------------------------

    async def asave(
        self, *, force_insert: bool = False, update_fields: list[str] | None = None
    ) -> None:
        """Insert the row, or update it when the pk is set and the row exists."""
        from asgi_cycle.db.models import persistence

        await persistence.save(self, force_insert=force_insert, update_fields=update_fields)

    def save(self, *, force_insert: bool = False, update_fields: list[str] | None = None) -> None:
        """Sync twin of ``asave``."""
        run_sync(self.asave(force_insert=force_insert, update_fields=update_fields))

    async def adelete(self) -> tuple[int, dict[str, int]]:
        """Delete the row (applying on_delete to objects pointing at it)."""
        if self.pk is None:
            raise ValueError(
                f"{type(self).__name__} object can't be deleted because its "
                f"{self._pk_field().attname} attribute is set to None."
            )
        result = await type(self)._default_manager.filter(pk=self.pk).adelete()
        self.pk = None
        return result

    def delete(self) -> tuple[int, dict[str, int]]:
        """Sync twin of ``adelete``."""
        return run_sync(self.adelete())

    async def arefresh_from_db(self, fields: list[str] | None = None) -> None:
        """Reload field values from the database."""
        fresh = await type(self)._default_manager.filter(pk=self.pk).aget()
        names = fields or [f.name for f in self._meta.concrete_fields]
        for name in names:
            field = self._meta.get_field(name)
            self.__dict__[field.attname] = fresh.__dict__[field.attname]
            self._state.fields_cache.pop(field.name, None)
        self._state.adding = False

    def refresh_from_db(self, fields: list[str] | None = None) -> None:
        """Sync twin of ``arefresh_from_db``."""
        run_sync(self.arefresh_from_db(fields))

    # -- validation -----------------------------------------------------------

    def clean_fields(self, exclude: list[str] | None = None) -> None:
        """Clean every field; raise ValidationError with a message list per field."""
        errors: dict[str, list[str]] = {}
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            raw = self.__dict__.get(field.attname)
            if field.blank and raw in field.empty_values:
                continue
            try:
                self.__dict__[field.attname] = field.clean(raw, self)
            except ValidationError as exc:
                errors[field.name] = exc.messages
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        """Hook for model-wide validation; override it."""

    async def avalidate_unique(self, exclude: list[str] | None = None) -> None:
        """Check unique fields and unique constraints against the database."""
        from asgi_cycle.db.models import persistence

        await persistence.validate_unique(self, exclude or [])

    def validate_unique(self, exclude: list[str] | None = None) -> None:
        """Sync twin of ``avalidate_unique``."""
        run_sync(self.avalidate_unique(exclude))

    def _clean_without_queries(self, exclude: list[str] | None) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        try:
            self.clean_fields(exclude)
        except ValidationError as exc:
            _merge(errors, exc)
        try:
            self.clean()
        except ValidationError as exc:
            _merge(errors, exc)
        return errors

    @staticmethod
    def _unique_exclude(exclude: list[str] | None, errors: dict[str, list[str]]) -> list[str]:
        # Fields that already failed are not checked for uniqueness, as in Django.
        return [*(exclude or []), *errors]

    async def afull_clean(
        self, exclude: list[str] | None = None, validate_unique: bool = True
    ) -> None:
        """``clean_fields``, ``clean`` and the unique checks; one ValidationError for all."""
        errors = self._clean_without_queries(exclude)
        if validate_unique:
            try:
                await self.avalidate_unique(self._unique_exclude(exclude, errors))
            except ValidationError as exc:
                _merge(errors, exc)
        if errors:
            raise ValidationError(errors)

    def full_clean(self, exclude: list[str] | None = None, validate_unique: bool = True) -> None:
        """Sync twin of ``afull_clean``: the field checks need no query, the unique ones do."""
        from asgi_cycle.db.models import persistence

        errors = self._clean_without_queries(exclude)
        unique_exclude = self._unique_exclude(exclude, errors)
        if validate_unique and persistence.has_unique_checks(self, unique_exclude):
            try:
                run_sync(self.avalidate_unique(unique_exclude))
            except ValidationError as exc:
                _merge(errors, exc)
        if errors:
            raise ValidationError(errors)

    def serializable_value(self, field_name: str) -> Any:
        """The raw value of a field (the key for a ForeignKey)."""
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)


def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.error_dict.items():
            errors.setdefault(name, []).extend(messages)
    else:
        errors.setdefault("__all__", []).extend(exc.messages)


def _unpickle(cls: type[Model]) -> Model:
    obj = cls.__new__(cls)
    return obj


__all__ = ["Model", "ModelBase", "ModelState"]
