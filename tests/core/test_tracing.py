"""Seeing the cycle: Server-Timing, /__cycle__/ and the trace spans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.core.tracing import recent
from asgi_cycle.test import AsyncClient, override_settings

MW = "tests.core.middleware_samples."
TEMPLATES = [
    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": [str(Path(__file__).parent / "templates")],
    }
]
SETTINGS = {
    "ROOT_URLCONF": "tests.core.urls_handler",
    "TEMPLATES": TEMPLATES,
    "MIDDLEWARE": [MW + "AsyncOnly", MW + "SyncOnly"],
}


@pytest.fixture(autouse=True)
def urlconf():
    with override_settings(ROOT_URLCONF=SETTINGS["ROOT_URLCONF"], TEMPLATES=TEMPLATES):
        yield


def timing(header: str) -> dict[str, float]:
    return {m[0]: float(m[1]) for m in re.findall(r"(\w+);dur=([0-9.]+)", header)}


async def test_server_timing_reports_every_stage(path_kind):
    with override_settings(CYCLE_TRACE=True, **SETTINGS):
        app = get_asgi_application()
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        response = await client.get("/template/")
    assert response.status_code == 200
    stages = timing(response.headers["server-timing"])
    assert set(stages) == {"mw", "resolve", "view", "db", "template", "total"}
    assert stages["total"] >= stages["view"] > 0
    assert stages["template"] > 0


async def test_no_server_timing_unless_asked():
    with override_settings(**SETTINGS):
        app = get_asgi_application()
    async with AsyncClient(app) as client:
        response = await client.get("/async/")
    assert "server-timing" not in response.headers


async def test_trace_holds_nested_middleware_spans_in_order():
    with override_settings(CYCLE_TRACE=True, **SETTINGS):
        app = get_asgi_application()
    async with AsyncClient(app) as client:
        await client.get("/sync/")
    trace = recent.last()
    assert trace is not None and trace.status == 200
    mw = sorted((s for s in trace.spans if s.stage == "mw"), key=lambda s: s.start)
    assert [s.name for s in mw] == [MW + "AsyncOnly", MW + "SyncOnly"]
    outer, inner = mw
    assert outer.start <= inner.start and inner.end <= outer.end
    view = next(s for s in trace.spans if s.stage == "view")
    assert inner.start <= view.start and view.end <= inner.end
    assert view.name == "tests.core.urls_handler.sync_view"
    assert [s.stage for s in trace.spans if s.stage == "send"] == ["send"]


async def test_cycle_page_shows_recent_requests_when_debug_on(path_kind):
    with override_settings(DEBUG=True, **SETTINGS):
        app = get_asgi_application()
        async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
            await client.get("/sync/")
            page = await client.get("/__cycle__/")
    assert page.status_code == 200
    assert "GET /sync/ &rarr; 200" in page.text
    assert "tests.core.urls_handler.sync_view" in page.text
    assert MW + "SyncOnly" in page.text


async def test_cycle_page_does_not_exist_when_debug_off(path_kind):
    with override_settings(**SETTINGS):
        app = get_asgi_application()
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        page = await client.get("/__cycle__/")
    assert page.status_code == 404


def test_span_records_only_inside_a_trace():
    from asgi_cycle.core.tracing import Trace, current_trace, span

    with span("template", "outside.html"):
        pass  # no trace: nothing to record, nothing raised
    trace = Trace("GET", "/")
    token = current_trace.set(trace)
    try:
        with span("template", "inside.html"):
            pass
    finally:
        current_trace.reset(token)
    assert [(s.stage, s.name) for s in trace.spans] == [("template", "inside.html")]
