"""Database connections: one ``DatabaseWrapper`` per alias, one pool per event loop.

Theory of operation:

- ``connections[alias]`` (``asgi_cycle.db._handler``) builds a ``DatabaseWrapper``
  from ``settings.DATABASES`` on first access; a ``setting_changed`` for DATABASES
  drops every wrapper.
- A wrapper owns no connection itself. On first use in an event loop it creates
  a backend (an SQLite or asyncpg pool) for that loop and keeps it in a dict
  keyed by the loop; a backend whose loop has closed is abandoned and replaced.
  Nothing is created at import time, so ``gunicorn --preload`` can fork safely.
- Outside a transaction, every query borrows a pooled connection for that one
  statement. Inside ``atomic()`` the transaction's connection is *pinned*: a
  context variable maps the wrapper to a ``Pin`` (a mutable holder). Tasks and
  worker threads started inside the block copy the context, so a sync view's
  queries that hop back to the loop through the bridge (a new task per call)
  still find the pin and run inside the transaction. This replaces ``databases``'
  own binding of connections to the current task, which the bridge would defeat.
- Queries on a pinned connection are serialised by the pin's lock, so tasks
  gathered inside one transaction take turns on its connection.
- SQLite writers outside a transaction take the loop's write lock for their one
  statement; transactions take it from ``BEGIN IMMEDIATE`` to the end.
- ``fetch_prepared`` runs SQL the ORM compiled once per query shape (kept in
  ``prepared``, which belongs to this wrapper's dialect) and returns the driver's
  own rows; it follows the same pin, pool, query-log and error rules.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Hashable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement

from asgi_cycle.db import querylog
from asgi_cycle.db._config import DatabaseConfig
from asgi_cycle.db._errors import OperationalError, translate
from asgi_cycle.db._pin import Pin, current_pin
from asgi_cycle.db.backends.base import Backend, BackendConnection, Query, build_query, is_write

__all__ = ["DEFAULT_DB_ALIAS", "DatabaseWrapper", "Pin", "current_pin"]

DEFAULT_DB_ALIAS = "default"


class DatabaseWrapper:
    """One configured database; async query methods that work on any event loop."""

    def __init__(self, config: DatabaseConfig) -> None:
        self.config = config
        self.alias = config.alias
        self.vendor = config.vendor
        self.url = config.url.render_as_string(hide_password=True)
        self.settings_dict = {"ATOMIC_REQUESTS": config.atomic_requests}
        self.dialect: Dialect = self._make_dialect()
        self._backends: dict[asyncio.AbstractEventLoop, Backend] = {}
        self._connecting: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        #: The ORM's compiled statements by query shape (``compiler.Prepared``, or
        #: False for a shape that cannot be reused); cleared when full.
        self.prepared: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        return f"<DatabaseWrapper alias={self.alias!r} vendor={self.vendor!r} url={self.url!r}>"

    def _make_dialect(self) -> Dialect:
        if self.vendor == "sqlite":
            from asgi_cycle.db.backends.sqlite3 import make_dialect
        else:
            from asgi_cycle.db.backends.postgresql import make_dialect
        return make_dialect()

    def _new_backend(self) -> Backend:
        if self.vendor == "sqlite":
            from asgi_cycle.db.backends.sqlite3 import SQLiteBackend

            return SQLiteBackend(self.config.path, self.dialect, self.config.options)
        from asgi_cycle.db.backends.postgresql import PostgresBackend

        return PostgresBackend(self.config.url, self.dialect, self.config.options)

    # -- per-loop backends -------------------------------------------------

    def _drop_dead_loops(self) -> None:
        for loop in [loop for loop in self._backends if loop.is_closed()]:
            self._backends.pop(loop).abandon()
            self._connecting.pop(loop, None)

    async def backend(self) -> Backend:
        """The connected backend for the running loop, created on first use."""
        loop = asyncio.get_running_loop()
        found = self._backends.get(loop)
        if found is not None:
            return found
        return await self._connect(loop)

    async def _connect(self, loop: asyncio.AbstractEventLoop) -> Backend:
        self._drop_dead_loops()
        lock = self._connecting.setdefault(loop, asyncio.Lock())
        async with lock:
            found = self._backends.get(loop)
            if found is None:
                found = self._new_backend()
                try:
                    await found.connect()
                except (TimeoutError, OSError) as exc:
                    raise OperationalError(
                        f"Cannot connect to database {self.alias!r} ({self.url}): "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                except Exception as exc:
                    mapped = translate(exc)
                    if mapped is None:
                        raise
                    raise mapped from exc
                self._backends[loop] = found
        return found

    async def aconnect(self) -> None:
        """Connect the running loop's pool now (lifespan startup) instead of lazily."""
        await self.backend()

    async def adisconnect(self) -> None:
        """Close this database's pools on every loop: awaited here, on other live loops, or
        abandoned when their loop is gone."""
        here = asyncio.get_running_loop()
        backends, self._backends = self._backends, {}
        self._connecting = {}
        first_error: BaseException | None = None
        for loop, backend in backends.items():
            try:
                if loop is here:
                    await backend.disconnect()
                elif loop.is_closed() or not loop.is_running():
                    backend.abandon()
                else:
                    future = asyncio.run_coroutine_threadsafe(backend.disconnect(), loop)
                    await asyncio.wrap_future(future)
            except Exception as exc:  # close the other pools before reporting it
                first_error = first_error or exc
        if first_error is not None:
            raise first_error

    def close(self) -> None:
        """Sync twin of ``adisconnect`` for code without a running loop."""
        from asgi_cycle.utils.asyncio import run_sync

        backends = list(self._backends.items())
        if not backends:
            return
        if any(loop.is_running() for loop, _ in backends):
            run_sync(self.adisconnect())
        else:
            self._backends, self._connecting = {}, {}
            for _, backend in backends:
                backend.abandon()

    def connected_loops(self) -> list[asyncio.AbstractEventLoop]:
        """Loops that currently hold a pool for this database (diagnostics, tests)."""
        return list(self._backends)

    # -- running statements ------------------------------------------------

    async def _run(self, method: str, query: ClauseElement) -> Any:
        pin = current_pin(self)
        if pin is not None:
            return await self._run_pinned(pin, method, query)
        backend = await self.backend()
        write_lock: asyncio.Lock | None = getattr(backend, "write_lock", None)
        if write_lock is not None and (method == "execute" or is_write(query)):
            async with write_lock:
                return await self._run_on(backend.connection(), method, query)
        return await self._run_on(backend.connection(), method, query)

    async def _run_on(self, connection: BackendConnection, method: str, query: Any) -> Any:
        await connection.acquire()
        try:
            return await self._call(connection, method, query)
        finally:
            await connection.release()

    def _check_pin_loop(self, pin: Pin) -> None:
        if pin.loop is not asyncio.get_running_loop():
            raise RuntimeError(
                f"The transaction on database {self.alias!r} was opened on another event "
                "loop; queries inside atomic() must run on the loop that opened it."
            )

    async def _run_pinned(self, pin: Pin, method: str, query: Any) -> Any:
        self._check_pin_loop(pin)
        assert pin.connection is not None and pin.lock is not None
        async with pin.lock:
            return await self._call(pin.connection, method, query)

    async def _call(self, connection: BackendConnection, method: str, query: Any) -> Any:
        try:
            if not querylog.is_collecting():
                if method == "execute_many":
                    for one in query:
                        await connection.execute(one)
                    return None
                return await getattr(connection, method)(query)
            return await self._call_logged(connection, method, query)
        except Exception as exc:
            mapped = translate(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def _control(self, connection: BackendConnection, sql: str) -> None:
        try:
            await connection.control(sql)
        except Exception as exc:
            mapped = translate(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def _call_logged(self, connection: BackendConnection, method: str, query: Any) -> Any:
        queries = query if method == "execute_many" else [query]
        result: Any = None
        for one in queries:
            sql, params_count = connection.compile_for_log(one)
            started = time.perf_counter()
            name = "execute" if method == "execute_many" else method
            result = await getattr(connection, name)(one)
            duration = time.perf_counter() - started
            if name == "fetch_all":
                rows = len(result)
            elif name == "fetch_one":
                rows = 0 if result is None else 1
            else:
                rows = connection.rowcount
            querylog.record(querylog.QueryRecord(sql, params_count, rows, duration, self.alias))
        return None if method == "execute_many" else result

    async def fetch_prepared(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """Every row of a SELECT the ORM compiled, as the driver returns them."""
        pin = current_pin(self)
        if pin is not None:
            self._check_pin_loop(pin)
            assert pin.connection is not None and pin.lock is not None
            async with pin.lock:
                return await self._fetch_rows(pin.connection, sql, args)
        loop = asyncio.get_running_loop()
        backend = self._backends.get(loop) or await self._connect(loop)
        connection = backend.connection()
        await connection.acquire()
        try:
            return await self._fetch_rows(connection, sql, args)
        finally:
            await connection.release()

    async def _fetch_rows(
        self, connection: BackendConnection, sql: str, args: Sequence[Any]
    ) -> list[Any]:
        try:
            if not querylog.is_collecting():
                return await connection.fetch_rows(sql, args)
            started = time.perf_counter()
            rows = await connection.fetch_rows(sql, args)
            duration = time.perf_counter() - started
            querylog.record(querylog.QueryRecord(sql, len(args), len(rows), duration, self.alias))
            return rows
        except Exception as exc:
            mapped = translate(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def fetch_all(self, query: Query, values: Mapping[str, Any] | None = None) -> list[Any]:
        """All rows (``databases`` Records: ``row["name"]``, ``row[0]``, ``row._mapping``)."""
        result: list[Any] = await self._run("fetch_all", build_query(query, values))
        return result

    async def fetch_one(self, query: Query, values: Mapping[str, Any] | None = None) -> Any:
        """The first row, or None."""
        return await self._run("fetch_one", build_query(query, values))

    async def fetch_val(
        self, query: Query, values: Mapping[str, Any] | None = None, column: Any = 0
    ) -> Any:
        """One value of the first row (``column`` by index or name), or None."""
        row = await self.fetch_one(query, values)
        return None if row is None else row[column]

    async def execute(self, query: Query, values: Mapping[str, Any] | None = None) -> Any:
        """Run one statement: RETURNING value, else SQLite INSERT rowid, else rowcount."""
        return await self._run("execute", build_query(query, values))

    async def execute_many(self, query: Query, values: Sequence[Mapping[str, Any]]) -> None:
        """Run one statement once per values mapping (inside one connection)."""
        built = [build_query(query, one) for one in values]
        if not built:
            return
        pin = current_pin(self)
        if pin is not None:
            await self._run_pinned(pin, "execute_many", built)
            return
        backend = await self.backend()
        write_lock: asyncio.Lock | None = getattr(backend, "write_lock", None)
        if write_lock is None:
            await self._run_on(backend.connection(), "execute_many", built)
            return
        async with write_lock:
            await self._run_on(backend.connection(), "execute_many", built)

    async def iterate(
        self, query: Query, values: Mapping[str, Any] | None = None
    ) -> AsyncIterator[Any]:
        """Yield rows one by one (streamed outside a transaction, buffered inside one)."""
        built = build_query(query, values)
        if current_pin(self) is not None:
            # The pinned connection is shared: never hold it across the caller's awaits.
            for row in await self._run("fetch_all", built):
                yield row
            return
        backend = await self.backend()
        connection = backend.connection()
        await connection.acquire()
        try:
            started = time.perf_counter()
            count = 0
            try:
                if self.vendor == "postgresql":
                    # asyncpg cursors only live inside a transaction.
                    async with connection.raw_connection.transaction():
                        async for row in connection.iterate(built):
                            count += 1
                            yield row
                else:
                    async for row in connection.iterate(built):
                        count += 1
                        yield row
            except Exception as exc:
                mapped = translate(exc)
                if mapped is None:
                    raise
                raise mapped from exc
            if querylog.is_collecting():
                sql, params_count = connection.compile_for_log(built)
                duration = time.perf_counter() - started
                log = querylog.QueryRecord(sql, params_count, count, duration, self.alias)
                querylog.record(log)
        finally:
            await connection.release()

    def transaction(self, *, savepoint: bool = True) -> Any:
        """``atomic(using=self.alias)``: async/sync context manager and decorator."""
        from asgi_cycle.db.transaction import Atomic

        return Atomic(self.alias, savepoint=savepoint)

    # -- transaction primitives (used by asgi_cycle.db.transaction) --------

    async def _begin(self, pin: Pin) -> None:
        backend = await self.backend()
        write_lock: asyncio.Lock | None = getattr(backend, "write_lock", None)
        if write_lock is not None:
            await write_lock.acquire()
            pin.holds_write_lock = True
        connection = backend.connection()
        try:
            await connection.acquire()
            try:
                await self._control(connection, backend.begin_sql())
            except BaseException:
                await connection.release()
                raise
        except BaseException:
            if write_lock is not None:
                write_lock.release()
                pin.holds_write_lock = False
            raise
        pin.loop = asyncio.get_running_loop()
        pin.connection = connection
        pin.lock = asyncio.Lock()

    async def _end(self, pin: Pin, commit: bool) -> None:
        assert pin.connection is not None
        backend = self._backends.get(asyncio.get_running_loop())
        assert pin.lock is not None
        try:
            async with pin.lock:
                await self._control(pin.connection, "COMMIT" if commit else "ROLLBACK")
        finally:
            pin.closed = True
            try:
                await pin.connection.release()
            finally:
                if pin.holds_write_lock and backend is not None:
                    lock: asyncio.Lock = backend.write_lock  # type: ignore[attr-defined]
                    lock.release()
                pin.holds_write_lock = False

    async def _control_pinned(self, pin: Pin, *statements: str) -> None:
        if pin.loop is not asyncio.get_running_loop():
            raise RuntimeError(f"The transaction on {self.alias!r} belongs to another loop.")
        assert pin.connection is not None and pin.lock is not None
        async with pin.lock:
            for sql in statements:
                await self._control(pin.connection, sql)

    async def _savepoint(self, pin: Pin) -> str:
        pin.counter += 1
        name = f"s{pin.counter}"
        await self._control_pinned(pin, f"SAVEPOINT {name}")
        pin.savepoints.append(name)
        return name

    async def _end_savepoint(self, pin: Pin, name: str, commit: bool) -> None:
        if name in pin.savepoints:
            del pin.savepoints[pin.savepoints.index(name) :]
        if not commit:
            # Callbacks registered inside the rolled-back savepoint will never commit.
            pin.callbacks = [(sids, f) for sids, f in pin.callbacks if name not in sids]
        if commit:
            await self._control_pinned(pin, f"RELEASE SAVEPOINT {name}")
        else:
            await self._control_pinned(
                pin, f"ROLLBACK TO SAVEPOINT {name}", f"RELEASE SAVEPOINT {name}"
            )
