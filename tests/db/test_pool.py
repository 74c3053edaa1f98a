"""Connection reuse: SQLite's pool of long-lived aiosqlite connections, asyncpg's pool."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from asgi_cycle.db import DatabaseWrapper, connections
from asgi_cycle.db.backends.sqlite3 import SQLiteBackend
from asgi_cycle.db.transaction import atomic
from asgi_cycle.test.utils import override_settings


async def connection_identity(db: DatabaseWrapper) -> object:
    """Something that changes when a different server/driver connection is used."""
    if db.vendor == "postgresql":
        return await db.fetch_val("SELECT pg_backend_pid()")
    backend = await db.backend()
    handle = backend.connection()
    await handle.acquire()
    try:
        return id(handle.raw_connection)
    finally:
        await handle.release()


async def test_same_connection_is_reused(db: DatabaseWrapper) -> None:
    seen = {await connection_identity(db) for _ in range(20)}
    assert len(seen) == 1


async def test_sequential_queries_open_one_sqlite_connection(tmp_path: Path) -> None:
    with override_settings(DATABASES={"default": {"URL": f"sqlite:///{tmp_path / 'p.db'}"}}):
        db = connections["default"]
        try:
            for i in range(50):
                assert await db.fetch_val("SELECT :i", {"i": i}) == i
            backend = await db.backend()
            assert isinstance(backend, SQLiteBackend)
            assert backend.pool.opened == 1
            assert len(backend.pool.idle) == 1
        finally:
            await db.adisconnect()


async def test_sqlite_pool_is_bounded_and_configured(tmp_path: Path) -> None:
    entry = {"URL": f"sqlite:///{tmp_path / 'b.db'}", "OPTIONS": {"pool_size": 3}}
    with override_settings(DATABASES={"default": entry}):
        db = connections["default"]
        try:
            await asyncio.gather(*(db.fetch_val("SELECT 1") for _ in range(40)))
            backend = await db.backend()
            assert isinstance(backend, SQLiteBackend)
            assert backend.pool.opened <= 3
            assert await db.fetch_val("PRAGMA journal_mode") == "wal"
            assert await db.fetch_val("PRAGMA busy_timeout") == 30000
            assert await db.fetch_val("PRAGMA foreign_keys") == 1
        finally:
            await db.adisconnect()


async def test_disconnect_closes_every_sqlite_connection(tmp_path: Path) -> None:
    with override_settings(DATABASES={"default": {"URL": f"sqlite:///{tmp_path / 'c.db'}"}}):
        db = connections["default"]
        await asyncio.gather(*(db.fetch_val("SELECT 1") for _ in range(10)))
        backend = await db.backend()
        assert isinstance(backend, SQLiteBackend)
        pooled = list(backend.pool.idle)
        assert pooled
        await db.adisconnect()
        assert all(conn._connection is None for conn in pooled)
        assert db.connected_loops() == []


async def test_connection_back_in_the_pool_is_not_in_a_transaction(db: DatabaseWrapper) -> None:
    await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    with pytest.raises(RuntimeError):
        async with atomic():
            await db.execute("INSERT INTO t (id) VALUES (1)")
            raise RuntimeError
    backend = await db.backend()
    handle = backend.connection()
    await handle.acquire()
    try:
        raw = handle.raw_connection
        in_tx = raw.in_transaction if db.vendor == "sqlite" else raw.is_in_transaction()
        assert not in_tx
    finally:
        await handle.release()
    assert await db.fetch_val("SELECT count(*) FROM t") == 0


async def test_postgresql_pool_is_asyncpg(db: DatabaseWrapper) -> None:
    backend = await db.backend()
    if db.vendor == "sqlite":
        assert isinstance(backend, SQLiteBackend)
        return
    import asyncpg

    pool = backend._pool  # type: ignore[attr-defined]
    assert isinstance(pool, asyncpg.Pool)
    await asyncio.gather(*(db.fetch_val("SELECT 1") for _ in range(30)))
    assert pool.get_size() <= 10
    await db.adisconnect()
    assert pool._closed


def test_pool_of_a_dead_loop_is_released(tmp_path: Path) -> None:
    before = {t for t in threading.enumerate()}
    with override_settings(DATABASES={"default": {"URL": f"sqlite:///{tmp_path / 'd.db'}"}}):
        db = connections["default"]
        asyncio.run(db.fetch_val("SELECT 1"))  # the loop closes, the pool stays behind
        leftover = [t for t in threading.enumerate() if t not in before]
        assert len(leftover) == 1  # the pooled connection's aiosqlite thread
        assert asyncio.run(db.fetch_val("SELECT 2")) == 2  # new loop: old pool abandoned
        leftover[0].join(timeout=10)
        assert not leftover[0].is_alive()
        db.close()


SERVE_SETTINGS = """
import os
SECRET_KEY = "pool-test"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "tests.db.atomic_urls"
DATABASES = {"default": {"URL": os.environ["POOL_TEST_DB_URL"]}}
"""
SERVE_APP = """
from asgi_cycle.core.asgi import get_asgi_application
from wsgi_shim import get_wsgi_application
application = get_asgi_application()
wsgi_application = get_wsgi_application()
"""


@pytest.mark.servers
@pytest.mark.parametrize("server", ["uvicorn", "gunicorn"])
async def test_200_concurrent_creates_through_a_real_server(
    db: DatabaseWrapper, tmp_path: Path, server: str
) -> None:
    import os
    import sys

    import httpx

    from tests.db.test_transaction import create_hits
    from tests.servers.procs import ROOT, gunicorn_command, run_server, uvicorn_command

    await create_hits(db)
    (tmp_path / "pool_settings.py").write_text(SERVE_SETTINGS)
    (tmp_path / "pool_app.py").write_text(SERVE_APP)
    env = {
        "ASGI_CYCLE_SETTINGS": "pool_settings",
        "POOL_TEST_DB_URL": db.config.url.render_as_string(hide_password=False),
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    if server == "uvicorn":
        command: Any = lambda port: uvicorn_command("pool_app:application", port)  # noqa: E731
    else:
        command = lambda port: gunicorn_command(  # noqa: E731
            "pool_app:wsgi_application", port, ["--threads", "8"]
        )

    def serve_and_load() -> list[int]:
        with run_server(command, env=env, cwd=tmp_path, ready_path="/missing/") as running:

            async def load() -> list[int]:
                limits = httpx.Limits(max_connections=50)
                async with httpx.AsyncClient(base_url=running.url, limits=limits) as client:
                    responses = await asyncio.gather(
                        *(client.post("/create/", timeout=60) for _ in range(200))
                    )
                return [r.status_code for r in responses]

            return asyncio.run(load())

    assert sys.executable
    statuses = await asyncio.to_thread(serve_and_load)
    assert statuses == [201] * 200
    assert await db.fetch_val("SELECT count(*) FROM hits") == 200
    ids = [r["id"] for r in await db.fetch_all("SELECT id FROM hits ORDER BY id")]
    assert ids == list(range(1, 201))


# Python 3.12+ warns about fork() with threads alive; this test forks on purpose.
@pytest.mark.filterwarnings("ignore:This process .* fork:DeprecationWarning")
def test_forked_child_forgets_the_parents_pools(tmp_path: Path) -> None:
    import os

    url = f"sqlite:///{tmp_path / 'fork.db'}"
    with override_settings(DATABASES={"default": {"URL": url}}):
        from asgi_cycle.utils.asyncio import run_sync

        db = connections["default"]
        run_sync(db.execute("CREATE TABLE f (id INTEGER PRIMARY KEY)"))  # portal-loop pool
        assert len(db.connected_loops()) == 1
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            code = 1
            try:
                fresh = db.connected_loops() == []
                run_sync(db.execute("INSERT INTO f (id) VALUES (1)"))
                db.close()
                code = 0 if fresh else 2
            finally:
                os.write(write, bytes([code]))
                os._exit(code)
        os.close(write)
        status = os.read(read, 1)
        os.close(read)
        os.waitpid(pid, 0)
        assert status == b"\x00"
        assert run_sync(db.fetch_val("SELECT count(*) FROM f")) == 1
        db.close()


async def test_changing_databases_replaces_and_closes_wrappers(tmp_path: Path) -> None:
    import asgi_cycle.db as db_module

    first_url = f"sqlite:///{tmp_path / 'one.db'}"
    second_url = f"sqlite:///{tmp_path / 'two.db'}"
    with override_settings(DATABASES={"default": {"URL": first_url}}):
        first = connections["default"]
        await first.fetch_val("SELECT 1")
        with override_settings(DATABASES={"default": {"URL": second_url}}):
            second = connections["default"]
            assert second is not first
            assert second.config.path.endswith("two.db")
            await asyncio.gather(*db_module._background)  # the receiver closes the old pool
            assert first.connected_loops() == []
            await second.fetch_val("SELECT 1")
            await second.adisconnect()
        assert connections["default"].config.path.endswith("one.db")


def test_importing_the_db_layer_starts_nothing() -> None:
    import subprocess
    import sys

    code = (
        "import threading, asyncio\n"
        "import asgi_cycle.db, asgi_cycle.db.transaction, asgi_cycle.db.migrate\n"
        "import asgi_cycle.db.backends.sqlite3, asgi_cycle.db.backends.postgresql\n"
        "from asgi_cycle.utils.asyncio import portal_loop_if_started\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "assert portal_loop_if_started() is None\n"
        "print('clean')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "clean", done.stderr


def test_script_that_never_disconnects_still_exits(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    db_file = tmp_path / "exit.db"
    (tmp_path / "exit_settings.py").write_text(
        f'SECRET_KEY = "x"\nDATABASES = {{"default": {{"URL": "sqlite:///{db_file}"}}}}\n'
    )
    script = (
        "import asyncio\n"
        "from asgi_cycle.db import connections\n"
        "async def main():\n"
        "    await connections['default'].execute('CREATE TABLE t (id INTEGER)')\n"
        "    await connections['default'].execute('INSERT INTO t VALUES (1)')\n"
        "asyncio.run(main())  # the loop closes with the pool still open\n"
        "print('done')\n"
    )
    env = dict(
        os.environ,
        ASGI_CYCLE_SETTINGS="exit_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(Path(__file__).resolve().parents[2])]),
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "done\n"), done.stderr
    # Closed properly at exit: the WAL was checkpointed into the file and removed.
    assert not Path(f"{db_file}-wal").exists()
    import sqlite3

    with sqlite3.connect(db_file) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (1,)
    check.close()


def test_under_wsgi_shim_sqlite_statements_run_on_the_wsgi_thread(tmp_path: Path) -> None:
    """A WSGI thread's loop serves one request at a time: no hop to aiosqlite's thread.

    On any other loop the statement runs on the connection's own thread, so the
    loop keeps serving other requests meanwhile.
    """
    from tests.wsgi_shim.apps import call, environ
    from wsgi_shim import to_wsgi

    def thread_of_statement(db: DatabaseWrapper) -> Any:
        async def ask() -> Any:
            backend = await db.backend()
            handle = backend.connection()
            await handle.acquire()
            try:
                await handle.raw_connection.create_function("thread_id", 0, threading.get_ident)
            finally:
                await handle.release()
            return await db.fetch_val("SELECT thread_id()")

        return ask()

    url = f"sqlite:///{tmp_path / 'inline.db'}"
    with override_settings(DATABASES={"default": {"URL": url}}):
        db = connections["default"]
        seen: list[Any] = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                raise RuntimeError("no lifespan")
            seen.append(await thread_of_statement(db))
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        shim = to_wsgi(app)
        assert call(shim, environ("/")).status.startswith("204")
        assert seen == [threading.get_ident()]

        async def elsewhere() -> Any:
            try:
                return await thread_of_statement(db)
            finally:
                await db.adisconnect()

        on_plain_loop = asyncio.run(elsewhere())
        assert on_plain_loop != threading.get_ident()
        shim.shutdown()
        db.close()
