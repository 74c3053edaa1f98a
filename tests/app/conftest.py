"""The example app on a fresh database of each backend, through ASGI and through the shim."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest

import app.settings as app_settings
from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.db import adisconnect_all
from asgi_cycle.db.migrate import amigrate
from asgi_cycle.db.models.fixtures import aload, read_fixture
from asgi_cycle.test import AsyncClient, override_settings
from tests.db.conftest import db_url, db_vendor  # noqa: F401 - fixtures reused here

APP_SETTINGS = {
    name: getattr(app_settings, name)
    for name in ("INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "TEMPLATES", "STATIC_URL")
}


@pytest.fixture
async def client(db_url: str, path_kind: str) -> AsyncIterator[AsyncClient]:  # noqa: F811
    """A client on the example app with the demo products loaded."""
    with override_settings(DATABASES={"default": {"URL": db_url}}, **APP_SETTINGS):
        await amigrate(stdout=io.StringIO())
        await aload(read_fixture("app/fixtures/products.json"))
        application = get_asgi_application()
        try:
            async with AsyncClient(application, wsgi=path_kind == "wsgi") as http:
                yield http
        finally:
            await adisconnect_all()
