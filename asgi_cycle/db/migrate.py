"""``migrate``: create the tables, indexes and constraints of every installed model.

Rules:

- the tables are those of the models of ``INSTALLED_APPS`` (``<app>.models`` is
  imported for each app, with the working directory on ``sys.path``), each model's
  ``_meta.table`` on the ORM's shared ``MetaData``; callers may pass tables directly;
- a missing table is created with its columns, primary key, foreign keys and unique
  constraints (``CREATE TABLE``), then its indexes; a missing index on an existing
  table is created too; tables are created parents first;
- an existing table that differs from its model (missing or extra columns, another
  type or nullability, a missing unique constraint) is never altered: the whole run
  stops with ``SchemaDriftError`` listing every difference, and nothing is created;
- everything runs in one transaction, so a failure leaves the database as it was;
- a second run finds nothing to do and says "No changes.".
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable

from asgi_cycle.conf import settings
from asgi_cycle.db._handler import connections
from asgi_cycle.db._introspect import TableInfo, normalize_type, read_schema
from asgi_cycle.db.connection import DEFAULT_DB_ALIAS, DatabaseWrapper
from asgi_cycle.db.transaction import atomic
from asgi_cycle.utils.asyncio import run_sync

__all__ = ["MigrationPlan", "SchemaDriftError", "amigrate", "installed_tables", "migrate", "plan"]


class SchemaDriftError(Exception):
    """Existing tables differ from their models; ``differences`` lists each one."""

    def __init__(self, alias: str, differences: Sequence[str]) -> None:
        self.differences = list(differences)
        lines = "\n".join(f"  - {d}" for d in self.differences)
        super().__init__(
            f"Database {alias!r} does not match the models; nothing was changed:\n{lines}\n"
            "Alter or drop those tables by hand (or restore the models), then migrate again."
        )


@dataclass
class MigrationPlan:
    """What ``migrate`` would do: statements to run, and the drift found."""

    statements: list[tuple[str, sa.schema.ExecutableDDLElement]] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)


def installed_tables(apps: Iterable[str] | None = None) -> list[sa.Table]:
    """The tables of every model of ``INSTALLED_APPS`` (importing ``<app>.models``)."""
    apps = list(settings.INSTALLED_APPS if apps is None else apps)
    cwd = os.getcwd()
    if cwd not in sys.path:
        # Like manage.py: apps next to the settings module import by their bare name.
        sys.path.insert(0, cwd)
    for app in apps:
        try:
            importlib.import_module(f"{app}.models")
        except ModuleNotFoundError as exc:
            if exc.name not in (app, f"{app}.models"):
                raise
    from asgi_cycle.db.models.registry import all_models

    tables: list[sa.Table] = []
    for model in all_models():
        if _belongs_to(model.__module__, model._meta.app_label, apps):
            tables.append(model._meta.table)
    return tables


def _belongs_to(module: str, app_label: str, apps: Sequence[str]) -> bool:
    return any(
        module == app or module.startswith(app + ".") or app_label == app.rsplit(".", 1)[-1]
        for app in apps
    )


def _sorted(tables: Sequence[sa.Table]) -> list[sa.Table]:
    wanted = {id(t) for t in tables}
    ordered: list[sa.Table] = []
    for metadata in dict.fromkeys(t.metadata for t in tables):
        ordered.extend(t for t in metadata.sorted_tables if id(t) in wanted)
    return ordered


def _unique_sets(table: sa.Table) -> set[frozenset[str]]:
    sets = {frozenset([c.name]) for c in table.columns if c.unique and not c.primary_key}
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            sets.add(frozenset(c.name for c in constraint.columns))
    for index in table.indexes:
        if index.unique:
            sets.add(frozenset(c.name for c in index.columns if isinstance(c, sa.Column)))
    return sets


def _compare(db: DatabaseWrapper, table: sa.Table, live: TableInfo) -> list[str]:
    found: list[str] = []
    where = f"table {table.name!r}"
    for column in table.columns:
        expected = normalize_type(str(column.type.compile(dialect=db.dialect)))
        actual = live.columns.get(column.name)
        if actual is None:
            found.append(f"{where}: column {column.name!r} ({expected}) is missing")
            continue
        if actual.type != expected:
            found.append(
                f"{where}: column {column.name!r} is {actual.type} in the database "
                f"but {expected} in the model"
            )
        if not column.primary_key and actual.nullable != bool(column.nullable):
            say = {True: "NULL", False: "NOT NULL"}
            found.append(
                f"{where}: column {column.name!r} is {say[actual.nullable]} in the database "
                f"but {say[bool(column.nullable)]} in the model"
            )
    for name in live.columns:
        if name not in table.columns:
            found.append(f"{where}: column {name!r} is in the database but not in the model")
    for columns in sorted(_unique_sets(table) - live.unique_sets, key=sorted):
        found.append(f"{where}: unique constraint on {sorted(columns)} is missing")
    return found


async def plan(tables: Sequence[sa.Table], using: str = DEFAULT_DB_ALIAS) -> MigrationPlan:
    """Compare ``tables`` with the database and list what ``migrate`` would do."""
    db = connections[using]
    live = await read_schema(db)
    result = MigrationPlan()
    for table in _sorted(tables):
        existing = live.get(table.name)
        if existing is None:
            result.statements.append((f"Created table {table.name}", CreateTable(table)))
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                result.statements.append((f"Created index {index.name}", CreateIndex(index)))
            continue
        result.differences.extend(_compare(db, table, existing))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if index.name not in existing.indexes and not index.unique:
                result.statements.append((f"Created index {index.name}", CreateIndex(index)))
    return result


async def amigrate(
    using: str = DEFAULT_DB_ALIAS,
    stdout: TextIO | None = None,
    tables: Sequence[sa.Table] | None = None,
) -> list[str]:
    """Create what is missing for the installed models; return (and print) what was done."""
    out = sys.stdout if stdout is None else stdout
    if tables is None:
        tables = installed_tables()
    todo = await plan(tables, using)
    if todo.differences:
        raise SchemaDriftError(using, todo.differences)
    if not todo.statements:
        out.write("No changes.\n")
        return []
    db = connections[using]
    async with atomic(using=using):
        for _, statement in todo.statements:
            await db.execute(statement)
    done = [message for message, _ in todo.statements]
    for message in done:
        out.write(message + "\n")
    return done


def migrate(
    using: str = DEFAULT_DB_ALIAS,
    stdout: TextIO | None = None,
    tables: Sequence[sa.Table] | None = None,
) -> list[str]:
    """Sync twin of ``amigrate`` (scripts, the command line, sync tests)."""
    return run_sync(amigrate(using, stdout, tables))
