"""PostgreSQL through ``databases``' asyncpg backend, pooled by asyncpg.

URL query options ``min_size``, ``max_size`` and ``ssl`` size and secure the pool;
any other query option becomes a server setting for every connection (for
example ``?search_path=myschema``). ``OPTIONS`` from the settings are passed to
``asyncpg.create_pool`` as keyword arguments.

asyncpg resets a connection's session on every release (a server round trip:
``RESET ALL``, ``UNLISTEN *`` ...). A connection that only ran the ORM's prepared
reads (``fetch_rows``) and transaction control changed no session state, so it
goes back to the pool without that reset; any other use keeps it.

Acquiring and releasing usually need no waiting: ``_pool`` does the common case
synchronously under asyncpg's own rules and leaves anything else to asyncpg.
``fetch_rows`` runs a statement asyncpg already prepared on the connection
straight on its protocol (``_statements``), falling back to ``fetch()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from databases.backends.dialects.psycopg import dialect as psycopg_dialect
from databases.backends.postgres import PostgresBackend as _DatabasesPostgresBackend
from databases.backends.postgres import PostgresConnection
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.util import LRUCache

from asgi_cycle.db.backends.base import compile_cached, returns_rows
from asgi_cycle.db.backends.postgresql._pool import (
    SessionConnection,
    acquire_at_once,
    release_at_once,
)
from asgi_cycle.db.backends.postgresql._statements import cached_statement, fetch_cached

__all__ = ["PostgresBackend", "PostgresPooledConnection", "make_dialect"]

_POOL_OPTIONS = {"min_size", "max_size", "ssl"}


class _CachingDialect(psycopg_dialect):
    """``databases``' dialect, opted into SQLAlchemy's compiled-statement cache."""

    supports_statement_cache = True


def make_dialect() -> Dialect:
    """``databases``' PostgreSQL dialect, rendering asyncpg's ``$1`` placeholders directly."""
    dialect: Any = _CachingDialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
    dialect.implicit_returning = True
    dialect.supports_native_enum = True
    dialect.supports_smallserial = True
    dialect._backslash_escapes = False
    dialect.supports_sane_multi_rowcount = True
    dialect._has_native_hstore = True
    dialect.supports_native_decimal = True
    result: Dialect = dialect
    return result


class PostgresPooledConnection(PostgresConnection):
    """``databases``' asyncpg connection with the documented ``execute``."""

    def __init__(self, database: _DatabasesPostgresBackend, dialect: Dialect) -> None:
        super().__init__(database, dialect)
        self._rowcount = 0
        #: Whether anything but ``fetch_rows`` and ``control`` ran since ``acquire``.
        self._session_used = False

    async def acquire(self) -> None:
        """Take a connection from the pool."""
        pool = self._database._pool
        proxy = acquire_at_once(pool) if self._connection is None else None
        if proxy is None:
            await super().acquire()
        else:
            self._connection = proxy
        self._session_used = False

    async def release(self) -> None:
        """Give it back; reset its session only when something may have changed it."""
        if not self._session_used:
            if release_at_once(self._database._pool, self._connection):
                self._connection = None
                return
            # The pool hands out proxies; a connection_class from OPTIONS lacks the method.
            keep_session = getattr(self._connection, "keep_session", None)
            if keep_session is not None:
                keep_session()
        await super().release()

    @property
    def raw_connection(self) -> Any:
        """The asyncpg connection (whatever runs on it may change the session)."""
        self._session_used = True
        return super().raw_connection

    async def fetch_rows(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """Every row of an ORM-compiled SELECT, as asyncpg Records."""
        proxy = self._connection
        assert proxy is not None, "Connection is not acquired"
        con = proxy._con if type(proxy) is asyncpg.pool.PoolConnectionProxy else None
        statement = cached_statement(con, sql)
        rows: list[Any]
        if statement is None:
            rows = await proxy.fetch(sql, *args)
        else:
            rows = await fetch_cached(con, statement, sql, args)
        self._rowcount = len(rows)
        return rows

    @property
    def rowcount(self) -> int:
        """Rows affected by the last ``execute``."""
        return self._rowcount

    async def execute(self, query: ClauseElement) -> Any:
        """Run one statement; see ``asgi_cycle.db.backends.base`` for the return value."""
        assert self._connection is not None, "Connection is not acquired"
        sql, args, _ = self._compile(query)
        if returns_rows(query):
            rows = await self._connection.fetch(sql, *args)
            self._rowcount = len(rows)
            return rows[0][0] if rows else None
        status = await self._connection.execute(sql, *args)
        last = status.rsplit(" ", 1)[-1]
        self._rowcount = int(last) if last.isdigit() else 0
        return self._rowcount

    async def control(self, sql: str) -> None:
        """Run a transaction-control statement (BEGIN, SAVEPOINT, COMMIT ...)."""
        assert self._connection is not None, "Connection is not acquired"
        await self._connection.execute(sql)

    def _compile(self, query: ClauseElement) -> tuple[str, list[Any], Any]:
        # Cached by structure; also avoids databases' %-formatting of the SQL.
        self._session_used = True  # every statement but fetch_rows' comes through here
        if isinstance(query, ExecutableDDLElement):
            ddl: Any = query.compile(dialect=self._dialect)
            return ddl.string, [], None
        cache = self._database.compiled_cache  # type: ignore[attr-defined]
        sql, args, compiled = compile_cached(query, self._dialect, cache)
        return sql, args, compiled._result_columns

    def compile_for_log(self, query: ClauseElement) -> tuple[str, int]:
        """The SQL text and parameter count the query log shows."""
        sql, args, _ = self._compile(query)
        return sql, len(args)


class PostgresBackend(_DatabasesPostgresBackend):
    """An asyncpg pool for one event loop."""

    vendor = "postgresql"

    def __init__(self, url: URL, dialect: Dialect, options: dict[str, Any]) -> None:
        super().__init__(url.render_as_string(hide_password=False), **options)
        self._sa_url = url
        self.dialect = dialect
        self._dialect = dialect
        #: Compiled statements by structure, shared by this pool's connections.
        self.compiled_cache: LRUCache[Any, Any] = LRUCache(500)

    def _pool_kwargs(self) -> dict[str, Any]:
        url = self._sa_url
        query = {k: (v if isinstance(v, str) else v[-1]) for k, v in url.query.items()}
        kwargs: dict[str, Any] = {
            "host": url.host or "127.0.0.1",
            "port": url.port or 5432,
            "user": url.username,
            "password": url.password,
            "database": url.database,
            "min_size": int(query.get("min_size", 1)),
            "max_size": int(query.get("max_size", 10)),
            "connection_class": SessionConnection,
        }
        if "ssl" in query:
            ssl = query["ssl"].lower()
            kwargs["ssl"] = {"true": True, "false": False}.get(ssl, ssl)
        settings = {k: v for k, v in query.items() if k not in _POOL_OPTIONS}
        if settings:
            kwargs["server_settings"] = settings
        kwargs.update(self._options)
        return kwargs

    async def connect(self) -> None:
        """Create the asyncpg pool."""
        self._pool = await asyncpg.create_pool(**self._pool_kwargs())

    async def disconnect(self) -> None:
        """Close the asyncpg pool and its connections."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    def abandon(self) -> None:
        """Drop a pool whose loop is gone: close its sockets without that loop."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if not pool._loop.is_closed():
            pool.terminate()
            return
        # asyncpg's terminate() schedules callbacks on the (closed) loop; close each
        # socket by hand and mark the connection aborted so nothing warns later.
        pool._closed = True
        for holder in pool._holders:
            connection = holder._con
            if connection is None:
                continue
            transport = getattr(connection, "_transport", None)
            sock = getattr(transport, "_sock", None)
            if sock is not None:
                sock.close()
                transport._sock = None
            connection._aborted = True
            connection._protocol = None
            holder._con = None

    def connection(self) -> PostgresPooledConnection:
        """A connection handle; ``acquire()`` it before use."""
        return PostgresPooledConnection(self, self.dialect)

    def begin_sql(self) -> str:
        """Plain BEGIN: PostgreSQL takes row locks as it goes."""
        return "BEGIN"
