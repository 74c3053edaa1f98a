"""Hand-made ASGI scopes for the request tests."""

from __future__ import annotations

import io
from typing import Any

from asgi_cycle.http.request import ASGIRequest


def scope(
    method: str = "GET",
    path: str = "/",
    *,
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    host: bytes | None = b"testserver",
    scheme: str = "http",
    root_path: str = "",
    server: tuple[str, int | None] | None = ("testserver", 80),
    client: tuple[str, int] | None = ("10.0.0.7", 51234),
    http_version: str = "1.1",
) -> dict[str, Any]:
    """An HTTP scope as uvicorn builds it."""
    raw = [(b"host", host)] if host is not None else []
    raw += headers or []
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": http_version,
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string,
        "root_path": root_path,
        "headers": raw,
        "client": client,
        "server": server,
    }


def request(method: str = "GET", path: str = "/", body: bytes = b"", **kw: Any) -> ASGIRequest:
    """An ``ASGIRequest`` over an in-memory body."""
    return ASGIRequest(scope(method, path, **kw), io.BytesIO(body))
