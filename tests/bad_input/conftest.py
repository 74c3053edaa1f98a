"""Fixtures of the hostile-request suite.

In process: ``client`` is the example app (its middleware, templates, static
files) with this suite's urlconf on a fresh SQLite file holding the three demo
products, through the ASGI app and through the WSGI shim (``path_kind``).

Real servers: ``server`` is ``uvicorn app.asgi:application`` or ``gunicorn
app.wsgi:application`` (shim configuration, two sync workers), one of each
for the whole session, on a database prepared with the real ``asgi-cycle
migrate`` and ``loaddata`` commands and settings from ``server_settings``.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import httpx
import pytest

import app.settings as app_settings
from app.models import Product
from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.db import adisconnect_all
from asgi_cycle.db.migrate import amigrate
from asgi_cycle.db.models.fixtures import aload, read_fixture
from asgi_cycle.test import AsyncClient, override_settings
from tests.servers.procs import (
    ROOT,
    Server,
    example_app_env,
    gunicorn_command,
    run_server,
    uvicorn_command,
)

APP_SETTINGS = {
    name: getattr(app_settings, name)
    for name in ("INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES", "STATIC_URL")
}
SHIM_CONF = ["-c", "python:wsgi_shim.gunicorn_conf"]
HEALTH = "/api/products/1/"


@pytest.fixture
async def client(tmp_path: Path, path_kind: str) -> AsyncIterator[AsyncClient]:
    """The example app plus this suite's views, on a fresh SQLite file with 3 products."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with override_settings(
        DATABASES={"default": {"URL": url}}, ROOT_URLCONF="tests.bad_input.urls", **APP_SETTINGS
    ):
        await amigrate(stdout=io.StringIO())
        await aload(read_fixture(str(ROOT / "app/fixtures/products.json")))
        application = get_asgi_application()
        try:
            async with AsyncClient(application, wsgi=path_kind == "wsgi") as http:
                yield http
                if path_kind == "wsgi":
                    await _worker_exit(http)
        finally:
            await adisconnect_all()


async def _worker_exit(http: AsyncClient) -> None:
    """End the shim's lifespan as a Gunicorn worker does when it exits.

    The shim runs its lifespan (and so the database pools it opened) on a loop of
    its own; shutting it down from a worker thread lets that loop hand the test
    loop's pools back here. Disconnecting from the test loop while the lifespan
    loop still runs can wait forever (reported: ``DatabaseWrapper.adisconnect``
    hands the pool to that loop, which may never run the disconnect).
    """
    shim = http._transport.wsgi_app  # type: ignore[attr-defined]
    await anyio.to_thread.run_sync(shim.shutdown)


async def product_names() -> list[str]:
    """The names of every product, in id order (the database as the app sees it)."""
    return [p.name async for p in Product.objects.all()]


DEMO = ["Mechanical keyboard", "USB-C cable", "Desk lamp"]


async def assert_unchanged_and_serving(client: AsyncClient) -> None:
    """No product was written and the app still answers a normal request."""
    assert await product_names() == DEMO
    response = await client.get(HEALTH)
    assert response.status_code == 200
    assert response.json()["name"] == "Mechanical keyboard"


# -- real servers -------------------------------------------------------------------


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the servers: settings module and a migrated, loaded SQLite file."""
    folder = tmp_path_factory.mktemp("bad_input")
    return example_app_env(
        folder,
        ASGI_CYCLE_SETTINGS="tests.bad_input.server_settings",
        SECRET_KEY="bad-input-test-key",
        BAD_INPUT_STREAM_EVENTS=str(folder / "stream-events.txt"),
    )


def server_command(kind: str, extra: list[str] | None = None) -> object:
    """A command builder for ``run_server``: the example app under ``kind``."""
    if kind == "uvicorn":
        return lambda port: uvicorn_command("app.asgi:application", port, extra or [])
    return lambda port: gunicorn_command(
        "app.wsgi:application", port, [*SHIM_CONF, "--workers", "2", *(extra or [])]
    )


@pytest.fixture(scope="session", params=["uvicorn", "gunicorn"])
def server(request: pytest.FixtureRequest, server_env: dict[str, str]) -> Iterator[Server]:
    """One real server of each kind for the whole suite."""
    with run_server(server_command(request.param), env=server_env, ready_path=HEALTH) as running:
        running.kind = request.param  # type: ignore[attr-defined]
        yield running


def server_products(server: Server) -> list[str]:
    """The product names the server's database holds, in id order."""
    listing = httpx.get(server.url + "/api/products/", timeout=10)
    assert listing.status_code == 200
    return [p["name"] for p in listing.json()["products"]]


def assert_server_serves(server: Server) -> None:
    """The server still answers a normal request, and this test wrote no product."""
    response = httpx.get(server.url + HEALTH, timeout=10)
    assert response.status_code == 200
    assert response.json()["name"] == "Mechanical keyboard"
    assert server_products(server) == server.products_before  # type: ignore[attr-defined]


@pytest.fixture
def expects_server_error() -> bool:
    """Requested by the tests whose request is meant to end in a logged 500 (row 23)."""
    return True


@pytest.fixture(autouse=True)
def _server_snapshot(request: pytest.FixtureRequest) -> Iterator[None]:
    """Note the server's products before a server test; afterwards, fail on a traceback
    the test made the server log (unless it expects one)."""
    if "server" not in request.fixturenames:
        yield
        return
    running: Server = request.getfixturevalue("server")
    start = len(running.output())
    # The server is shared: compare with what this test found, so that one failure
    # that did write is reported once, not by every later test.
    running.products_before = server_products(running)  # type: ignore[attr-defined]
    yield
    if "expects_server_error" not in request.fixturenames:
        assert "Traceback" not in running.output()[start:]
