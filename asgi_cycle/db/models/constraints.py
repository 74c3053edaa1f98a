"""``Meta.indexes`` and ``Meta.constraints``: ``Index`` and ``UniqueConstraint``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from asgi_cycle.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from asgi_cycle.db.models.options import Options


def _column_names(meta: Options, fields: Sequence[str]) -> list[str]:
    return [meta.get_field(name.lstrip("-")).column for name in fields]


class Index:
    """An index on one or more fields (``-name`` for descending is accepted)."""

    def __init__(self, *, fields: Sequence[str], name: str | None = None) -> None:
        if not fields:
            raise ImproperlyConfigured("An index must name at least one field.")
        self.fields = list(fields)
        self.name = name

    def __repr__(self) -> str:
        return f"<Index: fields={self.fields!r} name={self.name!r}>"

    def to_sqlalchemy(self, meta: Options, table_name: str) -> sa.Index:
        """The SQLAlchemy index on the model's table."""
        columns = _column_names(meta, self.fields)
        name = self.name or f"{table_name}_{'_'.join(columns)}_idx"
        return sa.Index(name, *columns)


class UniqueConstraint:
    """A unique-together constraint on several fields."""

    def __init__(self, *, fields: Sequence[str], name: str) -> None:
        if not fields:
            raise ImproperlyConfigured("A UniqueConstraint must name at least one field.")
        self.fields = list(fields)
        self.name = name

    def __repr__(self) -> str:
        return f"<UniqueConstraint: fields={self.fields!r} name={self.name!r}>"

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, UniqueConstraint):
            return NotImplemented
        return self.fields == other.fields and self.name == other.name

    def __hash__(self) -> int:
        return hash((tuple(self.fields), self.name))

    def to_sqlalchemy(self, meta: Options, table_name: str) -> sa.UniqueConstraint:
        """The SQLAlchemy constraint on the model's table."""
        return sa.UniqueConstraint(*_column_names(meta, self.fields), name=self.name)


__all__ = ["Index", "UniqueConstraint"]
