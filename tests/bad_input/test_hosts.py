"""BAD_INPUT rows 1-3: the Host header.

A Host not in ``ALLOWED_HOSTS``, two Host headers, or a Host that is not a
host name at all is refused with 400 before any view can use it in an
absolute URL or a redirect. Through the ASGI app, the WSGI shim and both real
servers alike.
"""

from __future__ import annotations

import pytest

from asgi_cycle.test import AsyncClient
from tests.servers.procs import Server

from .conftest import assert_server_serves, assert_unchanged_and_serving
from .wire import exchange, request


@pytest.mark.parametrize("target", ["/bad/echo/", "/bad/next/?next=/x/", "/", "/products/1"])
async def test_row_01_host_not_allowed_is_400(client: AsyncClient, target: str) -> None:
    """Row 1: ``Host: evil.com`` -> 400, never echoed into a URL or redirect.

    Anchor: Django ``ALLOWED_HOSTS`` / ``DisallowedHost`` (probed 400).
    """
    response = await client.get(target, headers={"Host": "evil.com"})
    assert response.status_code == 400
    assert "location" not in response.headers
    assert b"evil.com" not in response.content
    await assert_unchanged_and_serving(client)


async def test_row_01_host_not_allowed_cannot_write(client: AsyncClient) -> None:
    """Row 1: a write under a refused Host is refused too (400), nothing stored."""
    response = await client.post(
        "/bad/form/", data={"name": "Evil", "price": "1"}, headers={"Host": "evil.com"}
    )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


async def test_row_02_two_host_headers_are_400(client: AsyncClient) -> None:
    """Row 2: two ``Host`` headers -> 400 (gunicorn ``invalid/042.http``)."""
    response = await client.get(
        "/bad/echo/", headers=[("Host", "testserver"), ("Host", "evil.com")]
    )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize(
    "host", ["a@testserver", "testserver@evil.com", "x y", "testserver:80:80", "a" * 300, ""]
)
async def test_row_03_garbage_host_is_400(client: AsyncClient, host: str) -> None:
    """Row 3: Host with userinfo, spaces, two ports, 300 chars or empty -> 400.

    Anchor: Django ``get_host()`` host validation (``django/http/request.py``).
    """
    response = await client.get("/bad/echo/", headers={"Host": host})
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
@pytest.mark.parametrize(
    "headers",
    [
        [("Host", "evil.com")],  # row 1
        [("Host", "127.0.0.1"), ("Host", "evil.com")],  # row 2
        [("Host", "127.0.0.1"), ("Host", "127.0.0.1")],  # row 2, even when both agree
        [("Host", "a@127.0.0.1")],  # row 3
        [("Host", "x y")],  # row 3
        [("Host", "a" * 300)],  # row 3
    ],
    ids=["evil", "two-hosts", "two-equal-hosts", "userinfo", "space", "overlong"],
)
def test_rows_01_to_03_bad_hosts_on_real_servers(
    server: Server, headers: list[tuple[str, str]]
) -> None:
    """Rows 1-3 on the wire: each bad Host gets 400 from uvicorn and gunicorn alike."""
    sent = request("GET", "/products/1", headers=[*headers, ("Connection", "close")], host="")
    result = exchange(server.port, sent)
    assert result.statuses == [400], result.raw[:300]
    assert_server_serves(server)
