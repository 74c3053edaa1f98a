"""SQLite through aiosqlite with a real pool of long-lived connections.

``databases`` 0.9 opens a fresh aiosqlite connection (a new thread and a new file
open) for every task, so its pool pools nothing. This backend keeps up to
``pool_size`` connections open per event loop and hands them out again; statement
compilation and result records are ``databases``' own.

Rules:

- every connection runs in autocommit mode (``isolation_level=None``); transactions
  are explicit ``BEGIN IMMEDIATE`` / ``SAVEPOINT`` statements issued by the wrapper;
- each connection is set up once: WAL journal, ``busy_timeout``, foreign keys on;
- a connection released while still inside a transaction is rolled back first,
  so no transaction leaks into the next user;
- after ``disconnect()`` connections still in use are closed when released;
- on a loop registered with ``allow_blocking_io`` (a WSGI worker thread's loop
  under ``wsgi_shim``) statements run on that thread, with no hop to the
  connection's thread: the request completes without suspending, as under a
  WSGI framework's own blocking driver.

``databases`` (and the ``click`` its core imports) is imported on the first call
that returns its Records (``fetch_all``, ``fetch_one``, ``iterate``); the ORM's
reads (``fetch_rows``), ``execute`` and ``control`` do without it.
"""

from __future__ import annotations

import asyncio
import atexit
import sqlite3
import weakref
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

import aiosqlite
from sqlalchemy.dialects.sqlite import pysqlite
from sqlalchemy.engine.cursor import CursorResultMetaData
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.util import LRUCache

from asgi_cycle.db.backends.base import compile_cached, returns_rows
from asgi_cycle.utils.asyncio import blocking_io_allowed

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    from databases.backends.common.records import Record
    from databases.backends.sqlite import SQLiteTransaction

__all__ = ["PooledSQLiteConnection", "SQLiteBackend", "SQLitePool", "make_dialect"]

# sqlite3 cannot bind Decimal; its exact text form keeps every digit (no float detour).
sqlite3.register_adapter(Decimal, str)

DEFAULT_POOL_SIZE = 8
DEFAULT_BUSY_TIMEOUT_MS = 30_000


def make_dialect() -> Dialect:
    """The SQLAlchemy dialect statements are compiled with (qmark, no native decimal)."""
    dialect = pysqlite.dialect(paramstyle="qmark")
    dialect.supports_native_decimal = False
    return dialect


class SQLitePool:
    """Up to ``size`` long-lived aiosqlite connections to one file, for one loop."""

    def __init__(self, path: str, size: int, busy_timeout_ms: int) -> None:
        self.path = path
        self.size = size
        self.busy_timeout_ms = busy_timeout_ms
        self.opened = 0
        self.closed = False
        self._idle: list[aiosqlite.Connection] = []
        self._all: set[aiosqlite.Connection] = set()
        self._slots = asyncio.Semaphore(size)
        #: Statements run on the loop's own thread instead of the connection's
        #: (a WSGI worker thread's loop: see ``allow_blocking_io``).
        self.inline = _loop_may_block()
        #: Compiled statements by structure, shared by this pool's connections.
        self.compiled_cache: LRUCache[Any, Any] = LRUCache(500)
        _live_pools.add(self)

    @property
    def idle(self) -> tuple[aiosqlite.Connection, ...]:
        """Connections waiting to be reused (for tests and diagnostics)."""
        return tuple(self._idle)

    async def acquire(self) -> aiosqlite.Connection:
        """Take an idle connection, opening one if none is free and the pool has room."""
        await self._slots.acquire()
        try:
            if self._idle:
                return self._idle.pop()
            return await self._open()
        except BaseException:
            self._slots.release()
            raise

    async def release(self, connection: aiosqlite.Connection) -> None:
        """Give a connection back; roll back anything it left open."""
        try:
            if self.closed:
                self._all.discard(connection)
                await connection.close()
                return
            if connection.in_transaction:
                await connection.rollback()
            self._idle.append(connection)
        except BaseException:
            self._all.discard(connection)
            await connection.close()
            raise
        finally:
            self._slots.release()

    async def _open(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(
            self.path,
            isolation_level=None,
            timeout=self.busy_timeout_ms / 1000,
            check_same_thread=False,
        )
        # aiosqlite's thread is non-daemon: a script that never disconnects would
        # hang at exit. Daemon threads, closed at exit by _close_pools_at_exit.
        connection._thread.daemon = True
        try:
            await connection
        except BaseException:
            # aiosqlite queues its thread's stop without waiting; wait here, so the
            # thread never reports back to a loop that has closed meanwhile.
            for _ in range(5000):
                if not connection._thread.is_alive():
                    break
                await asyncio.sleep(0.001)
            raise
        try:
            for pragma in (
                "PRAGMA journal_mode=WAL",
                f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}",
                "PRAGMA foreign_keys=ON",
                "PRAGMA synchronous=NORMAL",
            ):
                async with connection.execute(pragma) as cursor:
                    await cursor.fetchall()
        except BaseException:
            await connection.close()
            raise
        self.opened += 1
        self._all.add(connection)
        return connection

    async def close(self) -> None:
        """Close every idle connection; busy ones close when released."""
        self.closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            self._all.discard(connection)
            await connection.close()

    def abandon(self, join_timeout: float = 0.0) -> None:
        """Stop every connection's thread without a loop (its loop is already gone)."""
        self.closed = True
        self._idle = []
        connections, self._all = list(self._all), set()
        for connection in connections:
            _stop_without_loop(connection)
        if join_timeout:
            for connection in connections:
                connection._thread.join(join_timeout)


_live_pools: weakref.WeakSet[SQLitePool] = weakref.WeakSet()


def _loop_may_block() -> bool:
    try:
        return blocking_io_allowed(asyncio.get_running_loop())
    except RuntimeError:
        return False


@atexit.register
def _close_pools_at_exit() -> None:
    # Close what is still open on each connection's own thread (checkpointing the
    # WAL) before the interpreter stops the daemon threads mid-way.
    for pool in list(_live_pools):
        pool.abandon(join_timeout=2.0)


def _stop_without_loop(connection: aiosqlite.Connection) -> None:
    # aiosqlite only offers close() (needs a live loop) or stop() (creates a loop
    # future); with the loop closed, queue the close on the worker thread directly.
    raw = connection._connection
    connection._connection = None
    connection._running = False

    def close_and_stop() -> object:
        if raw is not None:
            raw.close()
        return aiosqlite.core._STOP_RUNNING_SENTINEL

    connection._tx.put_nowait((None, close_and_stop))


class PooledSQLiteConnection:
    """``databases``' SQLite connection over the pool, with the documented ``execute``."""

    def __init__(self, pool: SQLitePool, dialect: Dialect) -> None:
        self._pool = pool
        self._dialect = dialect
        self._connection: aiosqlite.Connection | None = None
        self._rowcount = 0

    async def acquire(self) -> None:
        """Take a connection from the pool."""
        assert self._connection is None, "Connection is already acquired"
        self._connection = await self._pool.acquire()

    async def release(self) -> None:
        """Give it back to the pool."""
        assert self._connection is not None, "Connection is not acquired"
        await self._pool.release(self._connection)
        self._connection = None

    @property
    def raw_connection(self) -> aiosqlite.Connection:
        """The aiosqlite connection."""
        assert self._connection is not None, "Connection is not acquired"
        return self._connection

    def transaction(self) -> SQLiteTransaction:
        """``databases``' transaction on this connection (BEGIN, not BEGIN IMMEDIATE)."""
        from databases.backends.sqlite import SQLiteTransaction

        return SQLiteTransaction(self)  # type: ignore[arg-type]

    @property
    def rowcount(self) -> int:
        """Rows affected by the last ``execute``."""
        return self._rowcount

    async def _one_hop(self, sql: str, args: list[Any], mode: str) -> _Result:
        # One trip to the connection's thread per statement (execute, fetch and close
        # together) instead of aiosqlite's three; none at all where the loop's own
        # thread may block. The connection is ours alone until released, and every
        # call on it is awaited, so the two threads never use it at once.
        connection = self._connection
        assert connection is not None, "Connection is not acquired"
        if self._pool.inline:
            return _run_statement(connection._conn, sql, args, mode)
        result: _Result = await connection._execute(  # type: ignore[no-untyped-call]
            _run_statement, connection._conn, sql, args, mode
        )
        return result

    def _record_maker(
        self, description: Any, result_columns: Any, context: Any
    ) -> Callable[[Any], Record]:
        """Turns a driver row into a ``databases`` Record (imported here, on first use)."""
        from databases.backends.common.records import Record, Row, create_column_maps
        from databases.backends.sqlite import CompilationContext

        result: Any = CompilationContext(context)  # what the metadata reads of a result
        metadata: Any = CursorResultMetaData(result, description)
        column_maps = create_column_maps(result_columns)
        processors, keymap, dialect = metadata._processors, metadata._keymap, self._dialect

        def make(row: Any) -> Record:
            return Record(
                Row(metadata, processors, keymap, row), result_columns, dialect, column_maps
            )

        return make

    def _records(self, result: _Result, result_columns: Any, context: Any) -> list[Record]:
        make = self._record_maker(result.description, result_columns, context)
        return [make(row) for row in result.rows]

    async def fetch_all(self, query: ClauseElement) -> list[Record]:
        """Every row, as ``databases`` Records."""
        sql, args, result_columns, context = self._compile(query)
        result = await self._one_hop(sql, args, "all")
        self._rowcount = len(result.rows)
        return self._records(result, result_columns, context)

    async def fetch_rows(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """Every row of an ORM-compiled SELECT, as sqlite3 tuples."""
        result = await self._one_hop(sql, list(args), "all")
        self._rowcount = len(result.rows)
        return result.rows

    async def fetch_one(self, query: ClauseElement) -> Record | None:
        """The first row, or None."""
        sql, args, result_columns, context = self._compile(query)
        result = await self._one_hop(sql, args, "one")
        self._rowcount = len(result.rows)
        records = self._records(result, result_columns, context)
        return records[0] if records else None

    async def execute(self, query: ClauseElement) -> Any:
        """Run one statement; see ``asgi_cycle.db.backends.base`` for the return value."""
        sql, args, _, _ = self._compile(query)
        if returns_rows(query):
            result = await self._one_hop(sql, args, "all")
            self._rowcount = len(result.rows)
            return result.rows[0][0] if result.rows else None
        result = await self._one_hop(sql, args, "none")
        self._rowcount = result.rowcount
        if getattr(query, "is_insert", False) or _is_insert_text(sql):
            return result.lastrowid
        return result.rowcount

    async def execute_many(self, queries: list[ClauseElement]) -> None:
        """Run each statement in turn."""
        for query in queries:
            await self.execute(query)

    async def iterate(self, query: ClauseElement) -> AsyncGenerator[Record, None]:
        """Stream the rows, as ``databases`` Records, through the connection's thread."""
        assert self._connection is not None, "Connection is not acquired"
        sql, args, result_columns, context = self._compile(query)
        async with self._connection.execute(sql, args) as cursor:
            make = self._record_maker(cursor.description, result_columns, context)
            async for row in cursor:
                yield make(row)

    async def control(self, sql: str) -> None:
        """Run a transaction-control statement (BEGIN, SAVEPOINT, COMMIT ...)."""
        assert self._connection is not None, "Connection is not acquired"
        if self._pool.inline:
            self._connection._conn.execute(sql).close()
            return
        async with self._connection.execute(sql) as cursor:
            await cursor.close()

    def _compile(self, query: ClauseElement) -> tuple[str, list[Any], Any, Any]:
        # SQLAlchemy's own statement cache (keyed by the statement's structure, as an
        # Engine does) skips recompiling the ORM's repeated queries; IN lists are
        # expanded per call. databases' version also %-formats the SQL for a debug
        # message, which breaks on any literal '%'.
        context: Any = self._dialect.execution_ctx_cls()
        context.dialect = self._dialect
        if isinstance(query, ExecutableDDLElement):
            ddl: Any = query.compile(dialect=self._dialect)
            return ddl.string, [], None, context
        sql, args, compiled = compile_cached(query, self._dialect, self._pool.compiled_cache)
        context.result_column_struct = (
            compiled._result_columns,
            compiled._ordered_columns,
            compiled._textual_ordered_columns,
            compiled._ad_hoc_textual,
            compiled._loose_column_name_matching,
        )
        return sql, args, compiled._result_columns, context

    def compile_for_log(self, query: ClauseElement) -> tuple[str, int]:
        """The SQL text and parameter count the query log shows."""
        sql, args, _, _ = self._compile(query)
        return sql, len(args)


class _Result(NamedTuple):
    description: Any
    rows: list[Any]
    rowcount: int
    lastrowid: int | None


def _run_statement(raw: sqlite3.Connection, sql: str, args: list[Any], mode: str) -> _Result:
    """Runs on the connection's own thread."""
    cursor = raw.execute(sql, args)
    try:
        if mode == "all":
            rows = cursor.fetchall()
        elif mode == "one":
            row = cursor.fetchone()
            rows = [] if row is None else [row]
        else:
            rows = []
        return _Result(cursor.description, rows, cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


def _is_insert_text(sql: str) -> bool:
    return sql.lstrip()[:6].upper() in ("INSERT", "REPLAC")


class SQLiteBackend:
    """A pool of SQLite connections for one event loop."""

    vendor = "sqlite"

    def __init__(self, path: str, dialect: Dialect, options: dict[str, Any]) -> None:
        self.dialect = dialect
        self.pool = SQLitePool(
            path,
            int(options.get("pool_size", DEFAULT_POOL_SIZE)),
            int(options.get("busy_timeout", DEFAULT_BUSY_TIMEOUT_MS)),
        )
        # One writer at a time per loop: writers queue here instead of spinning in
        # SQLite's busy handler; busy_timeout still covers other loops and processes.
        self.write_lock = asyncio.Lock()

    async def connect(self) -> None:
        """Open one connection now, so a bad path fails at startup."""
        connection = await self.pool.acquire()
        await self.pool.release(connection)

    async def disconnect(self) -> None:
        """Close the pool's connections."""
        await self.pool.close()

    def abandon(self) -> None:
        """Drop the pool whose loop has closed."""
        self.pool.abandon()

    def connection(self) -> PooledSQLiteConnection:
        """A connection handle; ``acquire()`` it before use."""
        return PooledSQLiteConnection(self.pool, self.dialect)

    def begin_sql(self) -> str:
        """IMMEDIATE takes the write lock up front, so no reader-to-writer upgrade deadlock."""
        return "BEGIN IMMEDIATE"
