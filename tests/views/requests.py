"""Build real ``ASGIRequest`` objects for calling views directly."""

from __future__ import annotations

import io

from asgi_cycle.http.request import ASGIRequest


def make_request(
    method: str = "GET",
    path: str = "/",
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> ASGIRequest:
    """A request as the handler would build it from this ASGI scope."""
    raw_headers = [(b"host", b"testserver")]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "scheme": "http",
        "http_version": "1.1",
    }
    return ASGIRequest(scope, io.BytesIO(body))
