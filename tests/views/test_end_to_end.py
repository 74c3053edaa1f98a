"""Views, decorators, templates and serve() through the real handler, ASGI and WSGI paths."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.core.tracing import recent
from asgi_cycle.test import AsyncClient, override_settings

from .urls_e2e import threads

TEMPLATES = [
    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": [str(Path(__file__).parent / "templates")],
    }
]


@pytest.fixture
async def client(path_kind):
    threads.clear()
    with override_settings(
        ROOT_URLCONF="tests.views.urls_e2e",
        TEMPLATES=TEMPLATES,
        MIDDLEWARE=["asgi_cycle.middleware.csrf.CsrfViewMiddleware"],
    ):
        app = get_asgi_application()
        async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
            yield client


async def test_async_class_view_runs_on_the_loop_thread(client, path_kind):
    response = await client.get("/things/7/")
    assert (response.status_code, response.text) == (200, "thing 7")
    if path_kind == "asgi":
        assert threads == [threading.current_thread().name]


async def test_405_head_and_options(client):
    response = await client.delete("/things/7/")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST, HEAD, OPTIONS"
    response = await client.head("/things/7/")
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-length"] == "7"
    response = await client.options("/things/7/")
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["allow"] == "GET, POST, HEAD, OPTIONS"


async def test_require_get_on_an_async_view(client):
    assert (await client.get("/only-get/")).text == "got"
    response = await client.post("/only-get/")
    assert (response.status_code, response.headers["allow"]) == (405, "GET")


async def test_template_view_form_then_csrf_checked_post(client):
    response = await client.get("/form/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert "csrftoken" in response.cookies
    token = response.text.split('value="')[1].split('"')[0]
    assert (await client.post("/protected/")).status_code == 403
    response = await client.post("/protected/", data={"csrfmiddlewaretoken": token})
    assert (response.status_code, response.text) == (200, "token checked")


async def test_csrf_exempt_view_accepts_post_without_token(client):
    response = await client.post("/exempt/")
    assert (response.status_code, response.text) == (200, "no token needed")


async def test_redirect_view_with_query_string(client):
    response = await client.get("/go/3/?ref=mail")
    assert response.status_code == 302
    assert response.headers["location"] == "/things/3/?ref=mail"


async def test_static_serve_and_traversal(client):
    response = await client.get("/media/hello.txt")
    assert (response.status_code, response.text) == (200, "hello static\n")
    for path in (
        "/media/%2e%2e/urls_e2e.py",
        "/media/..%2furls_e2e.py",
        "/media/%2E%2E/%2E%2E/settings.py",
        "/media/hello.txt%00.png",
        "/media/",
    ):
        assert (await client.get(path)).status_code == 404, path


async def test_render_in_a_view_is_a_template_span(path_kind):
    with override_settings(
        ROOT_URLCONF="tests.views.urls_e2e", TEMPLATES=TEMPLATES, CYCLE_TRACE=True
    ):
        app = get_asgi_application()
        async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
            response = await client.get("/rendered/")
    assert 'name="csrfmiddlewaretoken"' in response.text
    timings = dict(
        part.strip().split(";dur=") for part in response.headers["server-timing"].split(",")
    )
    assert float(timings["template"]) > 0
    trace = recent.last()
    assert [s.name for s in trace.spans if s.stage == "template"] == ["e2e_form.html"]
