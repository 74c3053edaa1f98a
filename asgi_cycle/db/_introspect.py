"""Read the live schema (tables, column types, indexes, unique sets) for ``migrate``.

The pools run over ``databases``, which has no SQLAlchemy Inspector, so each vendor
is asked directly: SQLite through its PRAGMAs, PostgreSQL through its catalogs
(restricted to ``current_schema()``, so a ``search_path`` selects the schema).
Types come back normalised by ``normalize_type`` so that they compare equal to a
model column's type compiled with the same dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from asgi_cycle.db.connection import DatabaseWrapper

__all__ = ["ColumnInfo", "TableInfo", "normalize_type", "read_schema"]

# PostgreSQL's format_type() spelling -> the name SQLAlchemy compiles.
_PG_NAMES = {
    "CHARACTER VARYING": "VARCHAR",
    "CHARACTER": "CHAR",
    "DOUBLE PRECISION": "FLOAT",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP WITHOUT TIME ZONE",
    "TIME WITHOUT TIME ZONE": "TIME WITHOUT TIME ZONE",
    "DECIMAL": "NUMERIC",
    "INT": "INTEGER",
    "INT4": "INTEGER",
    "INT8": "BIGINT",
    "BOOL": "BOOLEAN",
}
_TYPE = re.compile(r"^\s*([A-Za-z ]+?)\s*(\(.*\))?\s*$")


@dataclass
class ColumnInfo:
    """One live column: normalised type, nullability, primary-key membership."""

    name: str
    type: str
    nullable: bool
    primary_key: bool


@dataclass
class TableInfo:
    """One live table."""

    name: str
    columns: dict[str, ColumnInfo] = field(default_factory=dict)
    indexes: set[str] = field(default_factory=set)
    unique_sets: set[frozenset[str]] = field(default_factory=set)


def normalize_type(spelling: str) -> str:
    """Uppercase, canonical name, no spaces inside the parentheses: ``NUMERIC(10,2)``."""
    match = _TYPE.match(spelling)
    if match is None:
        return spelling.strip().upper().replace(" ", "")
    name = " ".join(match.group(1).upper().split())
    name = _PG_NAMES.get(name, name)
    args = (match.group(2) or "").replace(" ", "")
    return name + args


async def read_schema(db: DatabaseWrapper) -> dict[str, TableInfo]:
    """Every table of the database (the current schema on PostgreSQL)."""
    if db.vendor == "sqlite":
        return await _read_sqlite(db)
    return await _read_postgresql(db)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _read_sqlite(db: DatabaseWrapper) -> dict[str, TableInfo]:
    tables: dict[str, TableInfo] = {}
    names = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (name,) in ((row[0],) for row in names):
        info = TableInfo(name)
        for col in await db.fetch_all(f"PRAGMA table_info({_quote(name)})"):
            info.columns[col["name"]] = ColumnInfo(
                col["name"], normalize_type(col["type"]), not col["notnull"], bool(col["pk"])
            )
        for index in await db.fetch_all(f"PRAGMA index_list({_quote(name)})"):
            info.indexes.add(index["name"])
            if index["unique"] and index["origin"] != "pk":
                cols = await db.fetch_all(f"PRAGMA index_info({_quote(index['name'])})")
                info.unique_sets.add(frozenset(c["name"] for c in cols))
        tables[name] = info
    return tables


async def _read_postgresql(db: DatabaseWrapper) -> dict[str, TableInfo]:
    tables: dict[str, TableInfo] = {}
    columns = await db.fetch_all(
        """
        SELECT c.relname AS table_name, a.attname AS column_name,
               format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
               COALESCE(a.attnum = ANY(i.indkey), false) AS primary_key
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
        ORDER BY c.relname, a.attnum
        """
    )
    for row in columns:
        info = tables.setdefault(row["table_name"], TableInfo(row["table_name"]))
        info.columns[row["column_name"]] = ColumnInfo(
            row["column_name"], normalize_type(row["type"]), row["nullable"], row["primary_key"]
        )
    indexes = await db.fetch_all(
        """
        SELECT t.relname AS table_name, ic.relname AS index_name, ix.indisunique AS is_unique,
               ix.indisprimary AS is_primary,
               array_to_string(ARRAY(
                   SELECT a.attname FROM pg_attribute a
                   WHERE a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
               ), ',') AS columns
        FROM pg_index ix
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_class ic ON ic.oid = ix.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema()
        """
    )
    for row in indexes:
        owner = tables.get(row["table_name"])
        if owner is None:
            continue
        owner.indexes.add(row["index_name"])
        if row["is_unique"] and not row["is_primary"]:
            owner.unique_sets.add(frozenset(row["columns"].split(",")))
    return tables
