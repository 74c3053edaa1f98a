"""asgi_cycle.test clients: every transport returns the body as the app sent it."""

from __future__ import annotations

import anyio.to_thread

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.test import AsyncClient, Client, override_settings

SETTINGS = {
    "ROOT_URLCONF": "tests.core.urls_handler",
    "MIDDLEWARE": ["asgi_cycle.middleware.gzip.GZipMiddleware"],
}


async def test_async_client_decodes_gzip_once(path_kind):
    body = b"compress me " * 100
    with override_settings(**SETTINGS):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            response = await client.post(
                "/echo/", content=body, headers={"accept-encoding": "gzip"}
            )
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == body


async def test_sync_client_decodes_gzip_once(path_kind):
    body = b"compress me " * 100

    def send() -> tuple[str, bytes]:
        with Client(app, wsgi=path_kind == "wsgi") as client:
            response = client.post("/echo/", content=body, headers={"accept-encoding": "gzip"})
            return response.headers["content-encoding"], response.content

    with override_settings(**SETTINGS):
        app = get_asgi_application()
        encoding, content = await anyio.to_thread.run_sync(send)
    assert encoding == "gzip"
    assert content == body
