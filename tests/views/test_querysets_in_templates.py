"""Lazy querysets rendered by the handler, the ORM on an SQLite file, ASGI and WSGI paths."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.db import connections
from asgi_cycle.db.migrate import amigrate
from asgi_cycle.test import AsyncClient, override_settings

from .models import Item


def templates(**options):
    return [
        {
            "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
            "DIRS": [str(Path(__file__).parent / "templates")],
            "OPTIONS": options,
        }
    ]


@pytest.fixture(params=[False, True], ids=["sync-jinja", "async-jinja"])
def async_jinja(request):
    """Render with Jinja2's sync mode (the default) or with ``enable_async``."""
    return request.param


@pytest.fixture
async def client(async_jinja, path_kind, tmp_path):
    url = f"sqlite:///{tmp_path / 'items.sqlite3'}"
    with override_settings(
        DATABASES={"default": {"URL": url}},
        ROOT_URLCONF="tests.views.urls_orm",
        TEMPLATES=templates(enable_async=async_jinja),
    ):
        await amigrate(tables=[Item._meta.table], stdout=io.StringIO())
        await Item.objects.acreate(name="bell", price=Decimal("5.00"))
        await Item.objects.acreate(name="pump", price=Decimal("0.50"))
        try:
            async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
                yield client
        finally:
            await connections["default"].adisconnect()


async def test_sync_view_lazy_queryset_rendered_by_the_handler(client):
    response = await client.get("/lazy-sync/")
    assert (response.status_code, response.text.strip()) == (200, "bell=$5.00;pump=$0.50;")


async def test_async_view_lazy_queryset_rendered_by_the_handler(client):
    response = await client.get("/lazy-async/")
    assert (response.status_code, response.text.strip()) == (200, "bell=$5.00;")


async def test_template_view_with_a_queryset_in_its_context(client):
    assert (await client.get("/listing/")).text.strip() == "bell=$5.00;pump=$0.50;"


async def test_get_object_or_404_and_render_in_a_sync_view(client):
    assert (await client.get("/items/2/")).text.strip() == "pump=$0.50;"
    assert (await client.get("/items/3/")).status_code == 404
    assert (await client.get(f"/items/{10**30}/")).status_code == 404


# render() in an async view runs on the event loop, which needs sync Jinja2 (the
# default); with enable_async an async view returns a TemplateResponse instead.
@pytest.mark.parametrize("async_jinja", [False], ids=["sync-jinja"])
async def test_aget_object_or_404_and_render_in_an_async_view(client):
    assert (await client.get("/aitems/2/")).text.strip() == "pump=$0.50;"
    assert (await client.get("/aitems/3/")).status_code == 404
    assert (await client.get(f"/aitems/{10**30}/")).status_code == 404
