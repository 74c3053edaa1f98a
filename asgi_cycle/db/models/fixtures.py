"""Django's JSON fixture format: ``loaddata`` and ``dumpdata`` for the ORM.

A fixture is ``[{"model": "app.product", "pk": 1, "fields": {...}}, ...]``;
foreign keys hold the related key. Loading saves each object by pk (update if
the row exists, insert otherwise), so loading twice changes nothing; one fixture
load is one transaction. On PostgreSQL the id sequences are moved past the loaded
keys afterwards, so later inserts do not collide with them.
"""

from __future__ import annotations

import datetime
import importlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from asgi_cycle.conf import settings
from asgi_cycle.db.models import persistence
from asgi_cycle.db.models._db import connection
from asgi_cycle.db.models.base import Model
from asgi_cycle.db.models.fields import AutoField
from asgi_cycle.db.models.registry import all_models, get_model


class FixtureError(Exception):
    """A fixture file is unreadable or names unknown models or fields."""


def import_app_models() -> None:
    """Import ``<app>.models`` for every INSTALLED_APPS entry that has one."""
    for app in settings.INSTALLED_APPS:
        name = f"{app}.models"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name not in (name, app):
                raise


def _json_default(value: Any) -> Any:
    # As Django's DjangoJSONEncoder: decimals as exact strings, datetimes ISO with "Z".
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        if value.microsecond:
            text = text[:23] + text[26:]
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def serialize(objects: Iterable[Model]) -> list[dict[str, Any]]:
    """Objects as fixture entries."""
    out = []
    for obj in objects:
        meta = obj._meta
        fields = {
            f.name: getattr(obj, f.attname) for f in meta.concrete_fields if not f.primary_key
        }
        out.append({"model": meta.label_lower, "pk": obj.pk, "fields": fields})
    return out


def dumps(entries: list[dict[str, Any]], indent: int | None = None) -> str:
    """JSON text for fixture entries."""
    return json.dumps(entries, indent=indent, default=_json_default, ensure_ascii=False)


def _models_for(labels: Sequence[str]) -> list[type[Model]]:
    if not labels:
        # Every model of INSTALLED_APPS (not models some other import happened to define).
        installed = {app.rsplit(".", 1)[-1] for app in settings.INSTALLED_APPS}
        return [m for m in all_models() if m._meta.app_label in installed]
    chosen: list[type[Model]] = []
    for label in labels:
        if "." in label:
            try:
                chosen.append(get_model(label))
            except LookupError as exc:
                raise FixtureError(str(exc)) from None
        else:
            found = all_models(label)
            if not found:
                raise FixtureError(f"No installed app with label {label!r}.")
            chosen.extend(found)
    return chosen


async def adump(labels: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Fixture entries for the named apps/models (every model when none), by pk."""
    entries: list[dict[str, Any]] = []
    for model in _models_for(labels):
        entries.extend(serialize(await model._default_manager.order_by("pk").alist()))
    return entries


def _build(entry: Any) -> Model:
    if not isinstance(entry, dict) or "model" not in entry:
        raise FixtureError(f"Invalid fixture entry: {entry!r}")
    try:
        model = get_model(str(entry["model"]))
    except LookupError as exc:
        raise FixtureError(str(exc)) from None
    meta = model._meta
    values: dict[str, Any] = {}
    for name, value in dict(entry.get("fields", {})).items():
        try:
            field = meta.get_field(name)
        except Exception:
            raise FixtureError(f"{meta.label} has no field named {name!r}.") from None
        values[field.attname] = field.to_python(value) if value is not None else None
    obj = model(**values)
    if entry.get("pk") is not None:
        obj.pk = model._pk_field().to_python(entry["pk"])
    return obj


async def aload(entries: Any) -> int:
    """Save fixture entries in one transaction; returns how many objects were saved."""
    if not isinstance(entries, list):
        raise FixtureError("A fixture must be a JSON list of objects.")
    objects = [_build(entry) for entry in entries]
    conn = connection()
    async with conn.transaction():
        for obj in objects:
            await persistence.save(obj, raw=True)
        if conn.vendor == "postgresql":
            await _reset_sequences(conn, {type(obj) for obj in objects})
    return len(objects)


async def _reset_sequences(conn: Any, models: set[type[Model]]) -> None:
    for model in models:
        pk = model._pk_field()
        if not isinstance(pk, AutoField):
            continue
        table = model._meta.db_table
        sql = (
            "SELECT setval(pg_get_serial_sequence(:table, :column), "
            f'COALESCE(MAX("{pk.column}"), 1), MAX("{pk.column}") IS NOT NULL) FROM "{table}"'
        )
        await conn.execute(sa.text(sql).bindparams(table=f'"{table}"', column=pk.column))


def read_fixture(path: str | Path) -> Any:
    """The JSON content of a fixture file."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(f"No fixture named {str(path)!r} found.") from None
    except (OSError, ValueError) as exc:
        raise FixtureError(f"Problem reading fixture {str(path)!r}: {exc}") from None


__all__ = [
    "FixtureError",
    "adump",
    "aload",
    "dumps",
    "import_app_models",
    "read_fixture",
    "serialize",
]
