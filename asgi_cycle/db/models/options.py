"""``Model._meta``: the subset of Django's Options this ORM needs, and the table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from asgi_cycle.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from asgi_cycle.db.models import registry
from asgi_cycle.db.models.constraints import Index, UniqueConstraint

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model
    from asgi_cycle.db.models.fields import Field
    from asgi_cycle.db.models.related import ForeignKey

META_ATTRIBUTES = frozenset(
    {
        "abstract",
        "app_label",
        "db_table",
        "ordering",
        "indexes",
        "constraints",
        "verbose_name",
        "verbose_name_plural",
        "get_latest_by",
    }
)


def app_label_for(module: str) -> str:
    """The app label of a models module: ``shop.models`` -> ``shop``."""
    parts = module.split(".")
    if len(parts) > 1 and parts[-1] == "models":
        return parts[-2]
    if "models" in parts[:-1]:
        # ``app.models.product`` (a models package) also belongs to ``app``.
        return parts[parts.index("models") - 1] if parts.index("models") else parts[0]
    return parts[-1] if len(parts) == 1 else parts[-2]


class Options:
    """A model's metadata: fields, table, ordering, indexes and constraints."""

    def __init__(self, meta: type | None, model_name: str, module: str) -> None:
        # dir(), not vars(): a child's Meta may subclass an abstract parent's Meta.
        attrs = {k: getattr(meta, k) for k in dir(meta) if not k.startswith("_")} if meta else {}
        unknown = set(attrs) - META_ATTRIBUTES
        if unknown:
            raise ImproperlyConfigured(f"'class Meta' got invalid attribute(s): {sorted(unknown)}")
        self.model: type[Model] | None = None
        self.object_name = model_name
        self.model_name = model_name.lower()
        self.abstract: bool = attrs.get("abstract", False)
        self.app_label: str = attrs.get("app_label") or app_label_for(module)
        self.db_table: str = attrs.get("db_table") or f"{self.app_label}_{self.model_name}"
        self.ordering: list[str] = list(attrs.get("ordering", []))
        self.indexes: list[Index] = list(attrs.get("indexes", []))
        self.constraints: list[UniqueConstraint] = list(attrs.get("constraints", []))
        self.verbose_name: str = attrs.get("verbose_name") or _verbose(model_name)
        self.verbose_name_plural: str = attrs.get("verbose_name_plural") or f"{self.verbose_name}s"
        self.get_latest_by: str | None = attrs.get("get_latest_by")
        self.local_fields: list[Field] = []
        self.pk: Field | None = None
        #: ForeignKeys on other models pointing at this one (for reverse access and deletes).
        self.related_objects: list[ForeignKey] = []
        self._table: sa.Table | None = None
        self._building = False
        self._by_name: dict[str, Field] = {}

    def __repr__(self) -> str:
        return f"<Options for {self.object_name}>"

    @property
    def label(self) -> str:
        """``app_label.ObjectName``."""
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self) -> str:
        """``app_label.modelname``, as fixtures spell it."""
        return f"{self.app_label}.{self.model_name}"

    def add_field(self, field: Field) -> None:
        """Register a field (called by ``Field.contribute_to_class``)."""
        self.local_fields = [f for f in self.local_fields if f.name != field.name]
        self.local_fields.append(field)
        self.local_fields.sort(key=lambda f: f.creation_counter)
        if field.primary_key:
            if self.pk is not None and self.pk.name != field.name:
                raise ImproperlyConfigured(
                    f"{self.object_name} has more than one primary key: "
                    f"{self.pk.name!r} and {field.name!r}."
                )
            self.pk = field
        self._by_name = {}

    @property
    def fields(self) -> list[Field]:
        """Every field, in declaration order (the auto ``id`` first)."""
        return list(self.local_fields)

    @property
    def concrete_fields(self) -> list[Field]:
        """Fields with a column (all of them: there are no many-to-many fields)."""
        return self.local_fields

    def get_field(self, name: str) -> Field:
        """The field called ``name`` (or with attname ``name``, like ``author_id``)."""
        if not self._by_name:
            self._by_name = {f.name: f for f in self.local_fields}
            self._by_name.update({f.attname: f for f in self.local_fields})
        try:
            return self._by_name[name]
        except KeyError:
            raise FieldDoesNotExist(f"{self.object_name} has no field named {name!r}") from None

    @property
    def table(self) -> sa.Table:
        """The SQLAlchemy table on the shared MetaData (built on first use)."""
        if self._table is None:
            if self.abstract:
                raise ImproperlyConfigured(f"Abstract model {self.object_name} has no table.")
            self._table = self._build_table()
        return self._table

    def _build_table(self) -> sa.Table:
        self._building = True
        try:
            # Tables pointed at must exist on the MetaData for the FKs to compile.
            for field in self.local_fields:
                related = getattr(field, "_related_model", None)
                if related is not None and not related._meta._building:
                    related._meta.table  # noqa: B018 - builds it
        finally:
            self._building = False
        items: list[Any] = [field.make_column() for field in self.local_fields]
        items.extend(index.to_sqlalchemy(self, self.db_table) for index in self.indexes)
        items.extend(c.to_sqlalchemy(self, self.db_table) for c in self.constraints)
        if self.db_table in registry.metadata.tables:
            registry.metadata.remove(registry.metadata.tables[self.db_table])
        return sa.Table(self.db_table, registry.metadata, *items)

    def column_names(self, names: Sequence[str]) -> list[str]:
        """Columns of the named fields."""
        return [self.get_field(name).column for name in names]


def _verbose(class_name: str) -> str:
    """``ProductCategory`` -> ``product category``."""
    out: list[str] = []
    for i, ch in enumerate(class_name):
        if ch.isupper() and i and not class_name[i - 1].isupper():
            out.append(" ")
        out.append(ch.lower())
    return "".join(out)


__all__ = ["Options", "app_label_for"]
