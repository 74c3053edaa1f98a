"""Helpers for the middleware tests: requests from ASGI scopes, both call modes."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator, Callable
from typing import Any

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http.request import ASGIRequest
from asgi_cycle.test import AsyncClient, override_settings
from asgi_cycle.utils.asyncio import is_async_callable


def make_request(
    method: str = "GET",
    path: str = "/",
    *,
    query_string: str = "",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes = b"",
    scheme: str = "http",
    host: str = "testserver",
) -> ASGIRequest:
    """An ``ASGIRequest`` as the handler builds it (body not parsed yet)."""
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    raw_headers = [(b"host", host.encode())]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in pairs]
    if body:
        raw_headers.append((b"content-length", str(len(body)).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443 if scheme == "https" else 80),
    }
    return ASGIRequest(scope, io.BytesIO(body))


async def amake_request(*args: Any, **kwargs: Any) -> ASGIRequest:
    """``make_request`` with the form body parsed, as the handler does before the onion."""
    request = make_request(*args, **kwargs)
    await request.aparse_body()
    return request


async def call(
    factory: Callable[[Any], Any], request: Any, view: Callable[[Any], Any], mode: str
) -> Any:
    """Build ``factory`` around ``view`` in ``mode`` ("sync"/"async") and run ``request``."""
    if mode == "sync":
        middleware = factory(view)
        assert not is_async_callable(middleware)
        return middleware(request)

    async def get_response(req: Any) -> Any:
        return view(req)

    middleware = factory(get_response)
    assert is_async_callable(middleware)
    return await middleware(request)


URLCONF = "tests.middleware.urls"


@contextlib.asynccontextmanager
async def serve(
    middleware: list[str], path_kind: str = "asgi", **settings: Any
) -> AsyncIterator[AsyncClient]:
    """A client on a fresh app with ``middleware``, settings overridden while it is used."""
    settings.setdefault("ROOT_URLCONF", URLCONF)
    with override_settings(MIDDLEWARE=middleware, **settings):
        app = get_asgi_application()
        async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
            yield client
