"""Seeing the cycle on the example app: SQL and template spans, and 'asgi-cycle trace'."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.core.tracing import recent
from asgi_cycle.db import adisconnect_all
from asgi_cycle.db.migrate import amigrate
from asgi_cycle.db.models.fixtures import aload, read_fixture
from asgi_cycle.test import AsyncClient, override_settings

from .conftest import APP_SETTINGS

ROOT = Path(__file__).resolve().parents[2]


async def test_each_query_and_the_render_are_spans_of_the_request(db_url, path_kind):
    with override_settings(
        DATABASES={"default": {"URL": db_url}}, CYCLE_TRACE=True, **APP_SETTINGS
    ):
        await amigrate(stdout=io.StringIO())
        await aload(read_fixture("app/fixtures/products.json"))
        try:
            async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
                response = await client.get("/products/3/")
        finally:
            await adisconnect_all()
    assert "<h1>Desk lamp</h1>" in response.text
    trace = recent.last()
    assert trace is not None
    queries = [s for s in trace.spans if s.stage == "db"]
    assert len(queries) == 1
    assert queries[0].name.startswith("SELECT")
    assert "app_product" in queries[0].name
    view = next(s for s in trace.spans if s.stage == "view")
    assert view.start <= queries[0].start and queries[0].end <= view.end
    assert any(s.stage == "template" and "product_detail.html" in s.name for s in trace.spans)
    timing = response.headers["server-timing"]
    assert "db;dur=" in timing and "template;dur=" in timing


@pytest.mark.parametrize("via", ["asgi", "wsgi"])
def test_trace_command_prints_the_stages(tmp_path: Path, via: str):
    env = {
        **os.environ,
        "ASGI_CYCLE_SETTINGS": "app.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    cli = [sys.executable, "-m", "asgi_cycle"]
    for command in (["migrate"], ["loaddata", "app/fixtures/products.json"]):
        subprocess.run(cli + command, cwd=ROOT, env=env, check=True, capture_output=True)
    args = ["trace", "GET", "/products/1/"] + (["--wsgi"] if via == "wsgi" else [])
    done = subprocess.run(cli + args, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # The example app's timer middleware prints its own line too (the article's print()).
    assert "Request to /products/1/ took" in lines[0]
    assert lines[1] == f"GET /products/1/ via {'WSGI shim' if via == 'wsgi' else 'ASGI'} -> 200"
    stages = [line.split()[2] for line in lines[2:-1] if " ms  " in line]
    for stage in ("mw", "resolve", "view", "db", "template", "send"):
        assert stage in stages, done.stdout
    assert "app.middleware.RequestTimerMiddleware" in done.stdout
    assert lines[-1].startswith("Server-Timing: mw;dur=")
