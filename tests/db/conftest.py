"""Database fixtures: ``db_url`` (an SQLite file and a PostgreSQL schema) and ``db``.

``db_url`` is parametrized with ids ``sqlite`` and ``postgresql``:

- ``sqlite``: a fresh database file in ``tmp_path``;
- ``postgresql``: database ``test`` on 127.0.0.1:5432 with a fresh schema per test
  (``?search_path=<schema>`` in the URL), dropped with everything in it afterwards.

When PostgreSQL does not answer, the test fails under ``CI=true`` and is skipped
otherwise, with the way to start it in the reason.

``db`` puts ``db_url`` into ``settings.DATABASES["default"]`` and yields
``connections["default"]``; afterwards every pool it opened (on any loop) is closed.
``sync_db`` is the same for sync tests (queries run on the bridge's portal loop).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from asgi_cycle.db import DatabaseWrapper, close_all, connections
from asgi_cycle.test.utils import override_settings

PG_HOST = os.environ.get("ASGI_CYCLE_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ASGI_CYCLE_PG_PORT", "5432"))
PG_USER = os.environ.get("ASGI_CYCLE_PG_USER", "postgres")
PG_DATABASE = os.environ.get("ASGI_CYCLE_PG_DATABASE", "test")
PG_BASE_URL = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, database=PG_DATABASE, timeout=5
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _run(coro: object) -> None:
    # Sync fixtures run outside the test's loop; a private short-lived loop is fine here.
    asyncio.run(coro)  # type: ignore[arg-type]


def _pg_unavailable(exc: BaseException) -> None:
    message = (
        f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} (database {PG_DATABASE!r}): "
        f"{type(exc).__name__}: {exc}. Start it with `make services`."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of each backend, isolated for this test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        _run(_pg_admin(f'CREATE SCHEMA "{schema}"'))
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        _pg_unavailable(exc)
    try:
        yield f"{PG_BASE_URL}?search_path={schema}"
    finally:
        _run(_pg_admin(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def db_vendor(db_url: str) -> str:
    """``"sqlite"`` or ``"postgresql"`` for the current ``db_url``."""
    return "sqlite" if db_url.startswith("sqlite") else "postgresql"


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[DatabaseWrapper]:
    """``connections["default"]`` configured with ``db_url``; every pool closed afterwards."""
    with override_settings(DATABASES={"default": {"URL": db_url}}):
        wrapper = connections["default"]
        try:
            yield wrapper
        finally:
            await wrapper.adisconnect()


@pytest.fixture
def sync_db(db_url: str) -> Iterator[DatabaseWrapper]:
    """The sync-test twin of ``db`` (queries run on the portal loop)."""
    with override_settings(DATABASES={"default": {"URL": db_url}}):
        try:
            yield connections["default"]
        finally:
            close_all()
