"""One list of requests, run in order against every server (see ``test_scenarios.py``).

Each scenario names the status it must get, so the suite fails if every server
is wrong the same way, not only if they disagree. The list runs on one client
per server, in order, so cookies and the session carry from step to step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Scenario:
    """One request and the status it must get."""

    name: str
    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    chunked: bool = False

    def send(self, client: httpx.Client) -> httpx.Response:
        """Send the request on ``client`` (chunked: the body as a generator, no length)."""
        kwargs: dict[str, Any] = {"headers": self.headers}
        if self.chunked and self.content is not None:
            body = self.content

            def pieces() -> Iterator[bytes]:
                for start in range(0, len(body), 4096):
                    yield body[start : start + 4096]

            kwargs["content"] = pieces()
        elif self.content is not None:
            kwargs["content"] = self.content
        if self.data is not None:
            kwargs["data"] = self.data
        if self.files is not None:
            kwargs["files"] = self.files
        return client.request(self.method, self.path, **kwargs)


FORM = {"content-type": "application/x-www-form-urlencoded"}
BOUNDARY_FILES = {"upload": ("notes.txt", b"first line\nsecond line\n", "text/plain")}

SCENARIOS: list[Scenario] = [
    # 2xx, every method
    Scenario("plain text", "GET", "/hello/", 200),
    Scenario("head plain", "HEAD", "/hello/", 200),
    Scenario("query string", "GET", "/echo/?a=1&a=2&b=%C3%A9t%C3%A9&empty=", 200),
    Scenario("custom header", "GET", "/echo/", 200, headers={"X-Custom": "abc def"}),
    Scenario("json async view", "GET", "/json/", 200),
    Scenario("head json", "HEAD", "/json/", 200),
    Scenario("post form", "POST", "/echo/", 200, data={"name": "Widget", "price": "9.99"}),
    Scenario(
        "post raw",
        "POST",
        "/echo/",
        200,
        content=b"\x00\x01raw",
        headers={"content-type": "application/octet-stream"},
    ),
    Scenario("post empty", "POST", "/echo/", 200, content=b""),
    Scenario(
        "put",
        "PUT",
        "/echo/",
        200,
        content=b'{"a": 1}',
        headers={"content-type": "application/json"},
    ),
    Scenario("patch", "PATCH", "/echo/", 200, content=b"x=1", headers=FORM),
    Scenario("delete with body", "DELETE", "/echo/", 200, content=b"gone"),
    Scenario("options", "OPTIONS", "/methods/", 200),
    Scenario("methods get", "GET", "/methods/", 200),
    Scenario("methods put", "PUT", "/methods/", 200),
    Scenario("created", "GET", "/status/201/", 201),
    Scenario("no content", "GET", "/status/204/", 204),
    Scenario("teapot", "GET", "/status/418/", 418),
    Scenario("unavailable", "GET", "/status/503/", 503),
    Scenario("unicode path", "GET", "/word/caf%C3%A9/", 200),
    Scenario("encoded slash path", "GET", "/word/a%20b/", 200),
    # uploads
    Scenario("multipart upload", "POST", "/echo/", 200, data={"title": "t"}, files=BOUNDARY_FILES),
    Scenario("chunked upload", "POST", "/echo/", 200, content=b"c" * 9000, chunked=True),
    Scenario(
        "chunked form", "POST", "/echo/", 200, content=b"k=v&k=w", chunked=True, headers=FORM
    ),
    Scenario("body too big", "POST", "/echo/", 413, content=b"z" * 20_000),
    Scenario("chunked too big", "POST", "/echo/", 413, content=b"z" * 20_000, chunked=True),
    # streaming and files
    Scenario("stream sync", "GET", "/stream/", 200),
    Scenario("stream async", "GET", "/astream/", 200),
    Scenario("head stream", "HEAD", "/stream/", 200),
    Scenario("file response", "GET", "/file/", 200),
    Scenario("static file", "GET", "/static/site.css", 200),
    Scenario("head static", "HEAD", "/static/site.css", 200),
    Scenario("static missing", "GET", "/static/none.css", 404),
    # 3xx
    Scenario("redirect", "GET", "/redirect/", 302),
    Scenario("redirect permanent", "GET", "/redirect-permanent/", 301),
    Scenario("append slash", "GET", "/hello", 301),
    Scenario("append slash query", "GET", "/hello?x=1", 301),
    # cookies and sessions (order matters)
    Scenario("set cookies", "GET", "/cookies/set/", 200),
    Scenario("read cookies", "GET", "/cookies/", 200),
    Scenario("session first", "GET", "/session/", 200),
    Scenario("session second", "GET", "/session/", 200),
    Scenario("session third", "GET", "/session/", 200),
    Scenario("delete cookie", "GET", "/cookies/delete/", 200),
    Scenario("cookies after delete", "GET", "/cookies/", 200),
    # 4xx
    Scenario("not found", "GET", "/nowhere/", 404),
    Scenario("undecodable path", "GET", "/%ff%fe/", 400),
    Scenario("http404", "GET", "/missing/", 404),
    Scenario("forbidden", "GET", "/forbidden/", 403),
    Scenario("bad request", "GET", "/bad/", 400),
    Scenario("method not allowed", "POST", "/hello/", 403),  # CSRF runs before the view
    Scenario("method not allowed exempt", "TRACE", "/methods/", 405),
    Scenario("csrf missing token", "POST", "/form/", 403, data={"a": "b"}),
    Scenario("disallowed host", "GET", "/hello/", 400, headers={"Host": "evil.example"}),
    Scenario(
        "bad multipart",
        "POST",
        "/echo/",
        400,
        content=b"--x\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=x"},
    ),
    # 5xx
    Scenario("server error", "GET", "/error/", 500),
    Scenario("head server error", "HEAD", "/error/", 500),
]


#: The example app (``app/``): the article's pages, the API, static files, the form.
APP_SCENARIOS: list[Scenario] = [
    Scenario("home redirects", "GET", "/", 302),
    Scenario("product list", "GET", "/products/", 200),
    Scenario("article page", "GET", "/products/1/", 200),
    Scenario("head article page", "HEAD", "/products/1/", 200),
    Scenario("unknown product", "GET", "/products/999999/", 404),
    Scenario("not an id", "GET", "/products/abc/", 404),
    Scenario("append slash", "GET", "/products/1", 301),
    Scenario("api list", "GET", "/api/products/", 200),
    Scenario("api detail", "GET", "/api/products/2/", 200),
    Scenario("api unknown", "GET", "/api/products/999999/", 404),
    Scenario("api wrong method", "POST", "/api/products/", 403),
    Scenario("static css", "GET", "/static/css/site.css", 200),
    Scenario("static escape", "GET", "/static/../settings.py", 404),
    Scenario("form", "GET", "/products/new/", 200),
    Scenario(
        "form without token", "POST", "/products/new/", 403, data={"name": "x", "price": "1"}
    ),
]
