"""The TechEmpower app answers by the rules, through the ASGI app and the WSGI shim
(the database tests' WSGI twins run on a real Gunicorn in test_servers.py).

The database is made the way the README says: `asgi-cycle migrate` and
`python -m benchmarks.tfb.populate` with `ASGI_CYCLE_SETTINGS=benchmarks.tfb.settings`.
Each test runs with the default middleware stack and with the empty one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.db import adisconnect_all
from asgi_cycle.test import AsyncClient
from asgi_cycle.test.utils import override_settings
from benchmarks import rules
from benchmarks.tfb import settings as tfb_settings
from benchmarks.tfb import settings_bare

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def prepare(path: Path) -> str:
    url = f"sqlite:///{path}"
    env = {**os.environ, "ASGI_CYCLE_SETTINGS": "benchmarks.tfb.settings", "DATABASE_URL": url}
    for command in (
        [str(BIN / "asgi-cycle"), "migrate"],
        [sys.executable, "-m", "benchmarks.tfb.populate"],
    ):
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    return url


@pytest.fixture(scope="module")
def tfb_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tfb") / "tfb.sqlite3"
    prepare(path)
    return path


def read(path: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(path) as con:
        rows = con.execute(sql, params).fetchall()
    con.close()
    return rows


@pytest.fixture(params=["default", "bare"])
def stack(request: pytest.FixtureRequest) -> list[str]:
    return tfb_settings.MIDDLEWARE if request.param == "default" else settings_bare.MIDDLEWARE


@asynccontextmanager
async def serve(stack: list[str], db_path: Path | None, wsgi: bool):
    databases = {"default": {"URL": f"sqlite:///{db_path}"}} if db_path else {}
    with override_settings(
        INSTALLED_APPS=tfb_settings.INSTALLED_APPS,
        MIDDLEWARE=stack,
        ROOT_URLCONF=tfb_settings.ROOT_URLCONF,
        TEMPLATES=tfb_settings.TEMPLATES,
        DATABASES=databases,
    ):
        try:
            async with AsyncClient(get_asgi_application(), wsgi=wsgi) as c:
                yield c
        finally:
            await adisconnect_all()


@pytest.fixture
async def client(path_kind: str, stack: list[str]):
    """The app through the ASGI path and through the WSGI shim, with no database."""
    async with serve(stack, None, wsgi=path_kind == "wsgi") as c:
        yield c


@pytest.fixture
async def db_client(stack: list[str], tfb_db: Path):
    """The app through the ASGI path, for the tests that query the database.

    Their WSGI twins run on a real Gunicorn in test_servers.py: closing the pools that
    the shim's thread loops open, from a test's loop, can hang or race (reported).
    """
    async with serve(stack, tfb_db, wsgi=False) as c:
        yield c


async def get(client, url: str) -> tuple[int, dict[str, str], bytes]:
    response = await client.get(url)
    return response.status_code, dict(response.headers), response.content


def test_migrate_and_populate_fill_techempower_tables(tfb_db: Path):
    columns = {
        table: [row[1] for row in read(tfb_db, f"PRAGMA table_info({table})")]
        for table in ("world", "fortune")
    }
    assert columns == {"world": ["id", "randomnumber"], "fortune": ["id", "message"]}
    count, low, high, lowest, highest = read(
        tfb_db,
        "SELECT count(*), min(id), max(id), min(randomnumber), max(randomnumber) FROM world",
    )[0]
    assert (count, low, high) == (10000, 1, 10000)
    assert 1 <= lowest <= highest <= 10000
    assert dict(read(tfb_db, "SELECT id, message FROM fortune")) == rules.FORTUNES


def test_populate_replaces_existing_rows(tmp_path: Path):
    path = tmp_path / "twice.sqlite3"
    prepare(path)
    prepare(path)
    assert read(path, "SELECT count(*) FROM world")[0][0] == 10000
    assert read(path, "SELECT count(*) FROM fortune")[0][0] == 12


async def test_plaintext(client):
    assert rules.check_plaintext(*await get(client, "/plaintext"), served=False) == []


async def test_json(client):
    assert rules.check_json(*await get(client, "/json"), served=False) == []


async def test_db(db_client):
    status, headers, body = await get(db_client, "/db")
    assert rules.check_db(status, headers, body, served=False) == []


async def test_db_reads_the_stored_row(db_client, tfb_db: Path):
    for _ in range(3):
        world = json.loads((await db_client.get("/db")).content)
        stored = read(tfb_db, "SELECT randomnumber FROM world WHERE id = ?", world["id"])
        assert stored == [(world["randomNumber"],)]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 1),
        ("?queries=", 1),
        ("?queries=foo", 1),
        ("?queries=0", 1),
        ("?queries=-1", 1),
        ("?queries=7", 7),
        ("?queries=501", 500),
    ],
)
async def test_queries_clamps_the_count(db_client, query: str, count: int):
    status, headers, body = await get(db_client, f"/queries{query}")
    assert rules.check_worlds(status, headers, body, count, served=False) == []


async def test_fortunes(db_client):
    status, headers, body = await get(db_client, "/fortunes")
    assert rules.check_fortunes(status, headers, body, served=False) == []
    assert "&lt;script&gt;" in body.decode()


async def test_updates_are_stored(db_client, tfb_db: Path):
    status, headers, body = await get(db_client, "/updates?queries=20")
    assert rules.check_worlds(status, headers, body, 20, served=False) == []
    worlds = json.loads(body)
    seen = Counter(w["id"] for w in worlds)
    for world in worlds:
        if seen[world["id"]] == 1:
            stored = read(tfb_db, "SELECT randomnumber FROM world WHERE id = ?", world["id"])
            assert stored == [(world["randomNumber"],)]


@pytest.mark.parametrize(("query", "count"), [("?queries=0", 1), ("?queries=501", 500)])
async def test_updates_clamps_the_count(db_client, query: str, count: int):
    status, headers, body = await get(db_client, f"/updates{query}")
    assert rules.check_worlds(status, headers, body, count, served=False) == []


async def test_default_stack_adds_its_headers(client, stack: list[str]):
    response = await client.get("/plaintext")
    if stack:
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
    else:
        assert "x-frame-options" not in response.headers


async def test_unknown_path_is_404(client):
    assert (await client.get("/nothing")).status_code == 404
