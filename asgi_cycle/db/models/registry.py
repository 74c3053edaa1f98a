"""The model registry: every concrete model class, and the one shared ``MetaData``.

``migrate`` creates tables from ``all_models()`` (each model's ``_meta.table``);
``loaddata``/``dumpdata`` find models by their ``app_label.model_name`` label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from asgi_cycle.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from asgi_cycle.db.models.base import Model

#: Every model table lives on this one MetaData, so foreign keys resolve by name.
metadata = sa.MetaData()

_models: dict[str, type[Model]] = {}


def register(model: type[Model]) -> None:
    """Record a concrete model under its ``app_label.model_name`` label."""
    label = model._meta.label_lower
    existing = _models.get(label)
    if existing is not None and existing is not model:
        if existing.__module__ == model.__module__ and existing.__qualname__ == model.__qualname__:
            # A module imported twice (a reloaded test module): the newer class wins.
            _unregister_table(existing)
        else:
            raise ImproperlyConfigured(
                f"Conflicting {label!r} models: {existing.__module__}.{existing.__qualname__} "
                f"and {model.__module__}.{model.__qualname__}."
            )
    _models[label] = model


def _unregister_table(model: type[Model]) -> None:
    table = model._meta.__dict__.get("_table")
    if table is not None and table.name in metadata.tables:
        metadata.remove(table)


def all_models(app_label: str | None = None) -> list[type[Model]]:
    """Every registered concrete model (of one app when ``app_label`` is given)."""
    return [m for m in _models.values() if app_label is None or m._meta.app_label == app_label]


def get_model(label: str) -> type[Model]:
    """The model named ``"app_label.ModelName"`` (case-insensitive); LookupError if none."""
    try:
        return _models[label.lower()]
    except KeyError:
        raise LookupError(f"No installed model {label!r}.") from None


__all__ = ["all_models", "get_model", "metadata", "register"]
