"""BAD_INPUT rows 38-40: hostile JSON bodies for a JSON write view (``/bad/json/``).

The view follows the pattern this suite recommends: ``json.loads(request.body)``
with ``ValueError`` and ``RecursionError`` turned into ``BadRequest`` (400); the
body cap (413) applies before the view runs at all.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from asgi_cycle.test import AsyncClient, override_settings
from tests.servers.procs import Server

from .conftest import DEMO, assert_server_serves, assert_unchanged_and_serving, product_names
from .wire import exchange, request

JSON = {"Content-Type": "application/json"}


async def test_json_view_accepts_a_valid_list(client: AsyncClient) -> None:
    """The baseline: a valid list is stored whole (so the refusals below mean something)."""
    body = [{"name": "Mug", "price": "4.50"}, {"name": "Pen", "price": "1"}]
    response = await client.post("/bad/json/", json=body)
    assert response.status_code == 201
    assert await product_names() == [*DEMO, "Mug", "Pen"]


async def _json_bomb(size: int) -> AsyncIterator[bytes]:
    yield b'[{"name": "Mug", "price": "1", "pad": "'
    for _ in range(size // 65536):
        yield b"x" * 65536
    yield b'"}]'


async def test_row_38_json_bomb_is_413_before_parsing(client: AsyncClient) -> None:
    """Row 38: a 10 MB JSON body (streamed, no length) -> 413 from the body cap.

    Anchors: Litestar 10 MB default; Starlette ``max_body_size``. The 100 MB case,
    announced, is the wire test below.
    """
    response = await client.post("/bad/json/", content=_json_bomb(10 * 1024 * 1024), headers=JSON)
    assert response.status_code == 413
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_38_announced_100_mb_json_is_413_on_real_servers(server: Server) -> None:
    """Row 38 on the wire: 100 MB announced, 1 MB sent -> 413 at once, connection closed."""
    head = request(
        "POST",
        "/bad/json/",
        [("Content-Type", "application/json"), ("Content-Length", str(100 * 1024 * 1024))],
    )
    result = exchange(server.port, [head, b"[" + b"1," * 500_000], idle=5.0)
    assert result.statuses == [413], result.raw[:300]
    assert result.closed
    assert_server_serves(server)


@pytest.mark.parametrize("depth", [200_000, 500_000])
async def test_row_39_deeply_nested_json_is_400(client: AsyncClient, depth: int) -> None:
    """Row 39: ``[`` x 200,000 -> 400, never a 500 ``RecursionError``.

    No anchor documents it, so it is specified here: too deep to parse is bad input.
    """
    response = await client.post("/bad/json/", content=b"[" * depth, headers=JSON)
    assert response.status_code == 400
    nested = json.dumps([{"name": "Mug", "price": "1"}]).encode()
    response = await client.post("/bad/json/", content=b'[{"a":' * 50_000 + nested, headers=JSON)
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'[{"name": "Mug", "price": "1"}', "application/json"),
        (b"not json", "application/json"),
        (b"", "application/json"),
        (b'[{"name": "Mug", "price": NaN}]', "application/json"),
        (b'[{"name": "Mug", "price": "1"}]', "text/plain"),
        (b'[{"name": "Mug", "price": "1"}]', "application/x-www-form-urlencoded"),
        (b"\xff\xfe[]", "application/json"),
        (b'[{"name": "Mug", "price": "1"}, {"name": "", "price": "1"}]', "application/json"),
    ],
    ids=[
        "truncated",
        "not-json",
        "empty",
        "nan",
        "text-plain",
        "form-type",
        "bad-utf8",
        "second-row-bad",
    ],
)
async def test_row_40_invalid_json_or_wrong_type_is_400(
    client: AsyncClient, body: bytes, content_type: str
) -> None:
    """Row 40: invalid JSON or a non-JSON Content-Type -> 400 with a short message.

    Anchors: FastAPI 422; Litestar 400. Decision: 400 for both (not 415), and a
    list with one bad row stores none of it (one transaction).
    """
    response = await client.post(
        "/bad/json/", content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert len(response.content) < 2000
    assert b"Traceback" not in response.content
    await assert_unchanged_and_serving(client)


async def test_row_40_same_answer_under_a_small_cap(client: AsyncClient) -> None:
    """Rows 38/40: with a 1 kB cap a 2 kB valid list is 413, a 500-byte invalid one is 400."""
    rows = [{"name": f"n{i}", "price": "1"} for i in range(60)]
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        big = await client.post("/bad/json/", json=rows)
        bad = await client.post("/bad/json/", content=b"{" * 500, headers=JSON)
    assert (big.status_code, bad.status_code) == (413, 400)
    await assert_unchanged_and_serving(client)
