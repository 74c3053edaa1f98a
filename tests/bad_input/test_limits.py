"""BAD_INPUT row 26: a request line over 4094 bytes is 414 everywhere.

Gunicorn refuses it (``limit_request_line``) before the app runs; uvicorn's
httptools parser has no such limit, so the core applies the same one: both
servers, the ASGI app and the WSGI shim agree.
"""

from __future__ import annotations

import pytest

from asgi_cycle.test import AsyncClient
from tests.servers.procs import Server

from .conftest import assert_server_serves, assert_unchanged_and_serving
from .wire import exchange, request

CLOSE = ("Connection", "close")

LONG_QUERY = "/api/products/1/?q=" + "a" * 5000


async def test_row_26_request_line_over_4094_bytes_is_414(client: AsyncClient) -> None:
    """Row 26: a request line over 4094 bytes -> 414 (gunicorn ``limit_request_line``,
    ``invalid/006``); one just under the limit is served."""
    response = await client.get(LONG_QUERY)
    assert response.status_code == 414
    fits = "/api/products/1/?q=" + "a" * (4094 - len("GET /api/products/1/?q= HTTP/1.1"))
    assert (await client.get(fits)).status_code == 200
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_26_request_line_over_4094_bytes_on_real_servers(server: Server) -> None:
    """Row 26 on the wire: 414 from gunicorn itself and from the core under uvicorn."""
    result = exchange(server.port, request("GET", LONG_QUERY, [CLOSE]))
    assert result.statuses == [414], result.raw[:300]
    assert result.closed
    assert_server_serves(server)
