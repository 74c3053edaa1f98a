"""Test clients on httpx, aimed at the ASGI app or at the WSGI shim around it.

``AsyncClient(app)`` and ``Client(app)`` speak httpx's API (``get``, ``post(data=...,
files=..., json=...)``, cookies persist between requests) with the base URL
``http://testserver``. ``wsgi=True`` sends every request through
``wsgi_shim.to_wsgi(app)`` instead, so one test body can check that both paths
give the same bytes. ``app`` defaults to ``get_asgi_application()``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

import anyio.to_thread
import httpx

from asgi_cycle.types import ASGIApp
from asgi_cycle.utils.asyncio import run_sync

BASE_URL = "http://testserver"


def _default_app() -> ASGIApp:
    from asgi_cycle.core.asgi import get_asgi_application

    return get_asgi_application()


def _send_wsgi(wsgi_app: Any, request: httpx.Request) -> httpx.Response:
    """Send ``request`` to ``wsgi_app`` with httpx's WSGI transport, ``PATH_INFO`` fixed.

    httpx decodes the percent-escaped path as UTF-8; PEP 3333 servers decode the
    raw bytes as latin-1, so a path with non-ASCII or invalid UTF-8 bytes must
    reach the app the way Gunicorn would pass it.
    """
    raw_path = request.url.raw_path.split(b"?", 1)[0]
    path_info = unquote_to_bytes(raw_path).decode("latin-1")

    def with_raw_path(environ: dict[str, Any], start_response: Any) -> Any:
        environ["PATH_INFO"] = path_info
        return wsgi_app(environ, start_response)

    return httpx.WSGITransport(app=with_raw_path).handle_request(request)


class _ThreadedWSGITransport(httpx.AsyncBaseTransport):
    """httpx's WSGI transport is sync only; run it in a worker thread."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()

        def call() -> httpx.Response:
            sync_request = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = _send_wsgi(self.wsgi_app, sync_request)
            # Raw bytes: the rebuilt response decodes Content-Encoding itself, once.
            content = b"".join(response.iter_raw())
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return await anyio.to_thread.run_sync(call)

    async def aclose(self) -> None:
        close = getattr(self.wsgi_app, "shutdown", None)
        if close is not None:
            await anyio.to_thread.run_sync(close)


class _PerRequestWSGITransport(httpx.BaseTransport):
    """The sync client's WSGI transport."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return _send_wsgi(self.wsgi_app, request)

    def close(self) -> None:
        close = getattr(self.wsgi_app, "shutdown", None)
        if close is not None:
            close()


class _PortalASGITransport(httpx.BaseTransport):
    """A sync transport that runs the ASGI app on the bridge's portal loop."""

    def __init__(self, app: ASGIApp) -> None:
        self._async = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> httpx.Response:
            async_request = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._async.handle_async_request(async_request)
            content = b"".join([chunk async for chunk in response.aiter_raw()])
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return run_sync(call())


def _transport_for(app: ASGIApp, wsgi: bool) -> Any:
    if wsgi:
        from wsgi_shim import to_wsgi

        return to_wsgi(app)
    return app


class AsyncClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` bound to the app (``wsgi=True``: through the shim)."""

    def __init__(self, app: ASGIApp | None = None, *, wsgi: bool = False, **kwargs: Any) -> None:
        self.app = app if app is not None else _default_app()
        self.wsgi = wsgi
        transport: httpx.AsyncBaseTransport
        if wsgi:
            transport = _ThreadedWSGITransport(_transport_for(self.app, True))
        else:
            transport = httpx.ASGITransport(app=self.app)
        kwargs.setdefault("base_url", BASE_URL)
        super().__init__(transport=transport, **kwargs)


class Client(httpx.Client):
    """An ``httpx.Client`` bound to the app, for sync tests and scripts."""

    def __init__(self, app: ASGIApp | None = None, *, wsgi: bool = False, **kwargs: Any) -> None:
        self.app = app if app is not None else _default_app()
        self.wsgi = wsgi
        transport: httpx.BaseTransport
        if wsgi:
            transport = _PerRequestWSGITransport(_transport_for(self.app, True))
        else:
            transport = _PortalASGITransport(self.app)
        kwargs.setdefault("base_url", BASE_URL)
        super().__init__(transport=transport, **kwargs)


__all__ = ["AsyncClient", "Client"]
