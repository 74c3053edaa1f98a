"""Settings, urls and views of a small project served by ``test_footprint.py``.

``FOOTPRINT_DB`` names the SQLite file of the ``default`` database.
"""

from __future__ import annotations

import os
import threading

from asgi_cycle.db import connections
from asgi_cycle.http import HttpRequest, HttpResponse
from asgi_cycle.urls import path

DEBUG = False
SECRET_KEY = "footprint-test-secret"
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = __name__
TEMPLATES: list[dict[str, object]] = []
DATABASES = {"default": {"URL": f"sqlite:///{os.environ.get('FOOTPRINT_DB', ':memory:')}"}}


async def plaintext(request: HttpRequest) -> HttpResponse:
    """A fixed body."""
    return HttpResponse(b"Hello, World!", content_type="text/plain")


async def query(request: HttpRequest) -> HttpResponse:
    """One SQLite statement, as the ORM runs a read."""
    rows = await connections["default"].fetch_prepared("SELECT 40 + 2", [])
    return HttpResponse(str(rows[0][0]))


async def records(request: HttpRequest) -> HttpResponse:
    """One SQLite statement whose rows come back as ``databases`` Records."""
    row = await connections["default"].fetch_one("SELECT 40 + 2 AS answer")
    return HttpResponse(str(row["answer"]))


def sync_thread(request: HttpRequest) -> HttpResponse:
    """A sync view: which thread it ran on."""
    return HttpResponse(str(threading.get_ident()))


urlpatterns = [
    path("plaintext", plaintext),
    path("query", query),
    path("records", records),
    path("sync-thread", sync_thread),
]
