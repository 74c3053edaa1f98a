"""BAD_INPUT rows 4, 5 and 46: bodies over the limit, announced or not.

Decision (SPEC): a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413 whether the
length was announced or only counted; an announced one is refused before a
byte of the body is read, so the wire tests send the headers alone and expect
the answer. The connection is then closed (``Connection: close``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from asgi_cycle.test import AsyncClient, override_settings
from tests.servers.procs import Server

from .conftest import assert_server_serves, assert_unchanged_and_serving
from .wire import exchange, request

FORM = "application/x-www-form-urlencoded"


def form_body(size: int) -> bytes:
    return b"name=Big&price=1&pad=" + b"x" * size


async def test_row_04_honest_content_length_over_limit_is_413(
    client: AsyncClient, path_kind: str
) -> None:
    """Row 4: ``Content-Length`` over the limit -> 413, connection not reused.

    Anchor: Starlette ``body_limit.py``; Quart ``MAX_CONTENT_LENGTH`` (413); Django gives 400.
    """
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = await client.post(
            "/bad/form/", content=form_body(5000), headers={"Content-Type": FORM}
        )
        assert response.status_code == 413
        if path_kind == "asgi":
            # WSGI forbids hop-by-hop headers: there the server closes (see the wire test).
            assert response.headers["connection"] == "close"
        ok = await client.post(
            "/bad/form/", content=b"name=&price=1", headers={"Content-Type": FORM}
        )
        assert ok.status_code == 400  # the limit is not what refuses a small body
    await assert_unchanged_and_serving(client)


async def _chunks(total: int, size: int = 4096) -> AsyncIterator[bytes]:
    yield b"name=Big&price=1&pad="
    for _ in range(total // size):
        yield b"x" * size


async def test_row_05_chunked_body_over_limit_is_413(client: AsyncClient) -> None:
    """Row 5: a body without ``Content-Length`` (chunked) is counted: 413 past the limit.

    Anchors: Django CVE-2026-33034, CVE-2026-5766; Starlette ``receive_with_limit``.
    """
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = await client.post(
            "/bad/form/", content=_chunks(50_000), headers={"Content-Type": FORM}
        )
    assert response.status_code == 413
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_05_understated_content_length_is_413(client: AsyncClient) -> None:
    """Row 5: ``Content-Length: 10`` with 5000 bytes behind it: the bytes are counted.

    ASGI only: a WSGI server reads exactly ``Content-Length`` bytes, so the shim never
    sees the rest (the server tests below cover that framing).
    """
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = await client.post(
            "/bad/form/",
            content=form_body(5000),
            headers={"Content-Type": FORM, "Content-Length": "10"},
        )
    assert response.status_code == 413
    await assert_unchanged_and_serving(client)


# -- on the wire ------------------------------------------------------------------------

LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE of the server settings (the default)


@pytest.mark.servers
def test_row_04_announced_oversize_body_is_refused_before_it_is_sent(server: Server) -> None:
    """Row 4 on the wire: headers alone announcing 100 MB get 413 and a closed connection."""
    head = request(
        "POST",
        "/bad/form/",
        headers=[("Content-Type", FORM), ("Content-Length", str(100 * 1024 * 1024))],
    )
    result = exchange(server.port, head, idle=5.0)
    assert result.statuses == [413], result.raw[:300]
    assert result.closed
    assert_server_serves(server)


@pytest.mark.servers
def test_row_05_chunked_oversize_body_is_413_on_the_wire(server: Server) -> None:
    """Row 5 on the wire: a chunked body passing the limit gets 413, nothing stored."""
    piece = b"x" * 65536
    chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
    pieces = [
        request(
            "POST",
            "/bad/form/",
            headers=[("Content-Type", FORM), ("Transfer-Encoding", "chunked")],
        )
        + b"15\r\nname=Big&price=1&pad=\r\n",
        *[chunk] * (LIMIT // len(piece) + 8),
        b"0\r\n\r\n",
    ]
    result = exchange(server.port, pieces, idle=5.0)
    assert result.statuses == [413], result.raw[:300]
    assert_server_serves(server)


@pytest.mark.servers
def test_row_46_expect_100_continue_with_oversize_length(server: Server) -> None:
    """Row 46: ``Expect: 100-continue`` with 100 MB announced -> 413, body never needed.

    Anchor: gunicorn ``ExpectationFailed`` -> 417. Decision: 413 (the app's size
    refusal). Gunicorn answers ``100 Continue`` itself as it parses the headers,
    before the app can look at them; the final answer is still 413 on both servers
    and comes without a byte of the body being sent.
    """
    head = request(
        "POST",
        "/bad/form/",
        headers=[
            ("Content-Type", FORM),
            ("Content-Length", str(100 * 1024 * 1024)),
            ("Expect", "100-continue"),
        ],
    )
    result = exchange(server.port, head, idle=5.0)
    final = [status for status in result.statuses if status != 100]
    assert final == [413], result.raw[:300]
    assert result.closed
    assert_server_serves(server)


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_46_expect_100_continue_in_process(client: AsyncClient) -> None:
    """Row 46 through the app: the size refusal does not depend on the body arriving."""
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = await client.post(
            "/bad/form/",
            content=form_body(5000),
            headers={"Content-Type": FORM, "Expect": "100-continue"},
        )
    assert response.status_code == 413
    await assert_unchanged_and_serving(client)
