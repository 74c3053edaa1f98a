"""BAD_INPUT rows 21, 22, 23, 43 and 45: user input that ends up in response headers.

Nothing a client sends can split a response header: a redirect target is
percent-encoded, an unsafe scheme is refused, a header or cookie value with a
line break is an error of the app (500, nothing emitted), a download name is
RFC 6266-encoded, and a Range header with thousands of ranges costs linear work.
"""

from __future__ import annotations

import pytest

from asgi_cycle.test import AsyncClient
from tests.servers.procs import Server

from .conftest import assert_server_serves, assert_unchanged_and_serving
from .wire import exchange, request

# -- row 21 ----------------------------------------------------------------------------


async def test_row_21_crlf_in_redirect_target_is_percent_encoded(client: AsyncClient) -> None:
    """Row 21: ``?next=/a%0d%0aSet-Cookie:x=1`` -> 302 with an encoded Location, no split.

    Anchors: Django (probed ``Location: /a%0D%0ASet-Cookie:%20x=1``); uvicorn CVE-2020-7695.
    """
    response = await client.get("/bad/next/?next=/a%0d%0aSet-Cookie:%20x=1")
    assert response.status_code == 302
    assert response.headers["location"] == "/a%0D%0ASet-Cookie:%20x=1"
    assert "set-cookie" not in response.headers
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_21_crlf_in_redirect_target_on_real_servers(server: Server) -> None:
    """Row 21 on the wire: no header line is forged in the raw response."""
    target = "/bad/next/?next=/a%0d%0aSet-Cookie:%20x=1%0d%0a%0d%0a<script>"
    result = exchange(server.port, request("GET", target, [("Connection", "close")]))
    assert result.statuses == [302], result.raw[:300]
    assert (
        result.responses[0].header("location")
        == "/a%0D%0ASet-Cookie:%20x=1%0D%0A%0D%0A%3Cscript%3E"
    )
    assert b"\r\nSet-Cookie: x" not in result.raw and b"\r\nset-cookie" not in result.raw.lower()
    assert_server_serves(server)


# -- row 22 ----------------------------------------------------------------------------

UNSAFE_SCHEMES = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<b>x</b>",
    "vbscript:x",
    " javascript:alert(1)",
]


@pytest.mark.parametrize("target", UNSAFE_SCHEMES)
async def test_row_22_redirect_to_unsafe_scheme_is_400(client: AsyncClient, target: str) -> None:
    """Row 22: a redirect to ``javascript:``/``data:`` is refused by the response: 400.

    Anchor: Django ``DisallowedRedirect`` (probed 400).
    """
    response = await client.get("/bad/next/", params={"next": target})
    assert response.status_code == 400
    assert "location" not in response.headers
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize(
    "target",
    [
        *UNSAFE_SCHEMES,
        "//evil.com",
        "\\\\evil.com",
        "/\\evil.com",
        "http://evil.com/",
        "///evil.com",
        "https:evil.com",
        "\x00//evil.com",
        "/\t/evil.com",
    ],
)
async def test_row_22_off_site_redirect_is_replaced_by_a_safe_default(
    client: AsyncClient, target: str
) -> None:
    """Row 22: with ``url_has_allowed_host_and_scheme`` every off-site target becomes ``/``.

    Anchors: Django ``url_has_allowed_host_and_scheme``; CVE-2018-14574.
    """
    response = await client.get("/bad/safe-next/", params={"next": target})
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    ok = await client.get("/bad/safe-next/", params={"next": "/products/1/"})
    assert ok.headers["location"] == "/products/1/"


# -- row 23 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/bad/header/?v=a%0d%0aSet-Cookie:x=1",
        "/bad/header/?v=a%0aX-Forged:1",
        "/bad/header/?v=a%0dX-Forged:1",
        "/bad/cookie/?v=a%0d%0aX-Forged:1",
    ],
)
async def test_row_23_line_break_in_a_header_value_is_an_error_never_emitted(
    client: AsyncClient, target: str
) -> None:
    """Row 23: an app putting a line break into a header or cookie fails (500), emits nothing.

    Anchors: Django ``BadHeaderError``; uvicorn CVE-2020-7695. The one row where the
    answer is a 500: the app wrote the header, not the client.
    """
    response = await client.get(target)
    assert response.status_code == 500
    assert "x-forged" not in response.headers
    assert "set-cookie" not in response.headers
    await assert_unchanged_and_serving(client)


async def test_row_23_semicolon_in_a_cookie_value_is_an_error(client: AsyncClient) -> None:
    """Row 23: ``;`` in a cookie value would add attributes: the app fails (500), no cookie.

    Decision (the row): raise rather than quote, so that the mistake is seen.
    """
    response = await client.get("/bad/cookie/", params={"v": "a; Domain=evil.com"})
    assert response.status_code == 500
    assert "set-cookie" not in response.headers
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
@pytest.mark.usefixtures("expects_server_error")
def test_row_23_line_break_in_a_header_on_real_servers(server: Server) -> None:
    """Row 23 on the wire: 500 from both servers, no forged header line."""
    result = exchange(
        server.port, request("GET", "/bad/header/?v=a%0d%0aX-Forged:1", [("Connection", "close")])
    )
    assert result.statuses == [500], result.raw[:300]
    assert b"X-Forged" not in result.raw
    assert_server_serves(server)


# -- row 43 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ranges",
    [
        ",".join(f"{i}-{i}" for i in range(0, 20_000, 2)),
        ",".join(["0-1"] * 10_000),
        ",".join(f"{i % 130}-{i % 130 + 3}" for i in range(10_000)),
    ],
    ids=["disjoint", "repeated", "overlapping"],
)
async def test_row_43_ten_thousand_ranges_get_the_whole_file(
    client: AsyncClient, ranges: str
) -> None:
    """Row 43: ``Range: bytes=0-1,2-3,...`` x 10,000 on a static file -> 200, whole file.

    Anchor: Starlette CVE-2025-62727 (fixed in the starlette used here). Decision:
    a Range header that many parts cannot describe a useful partial response, so
    it is ignored (RFC 9110 allows that) and the file is sent once; two ranges
    still get 206.
    """
    whole = await client.get("/static/css/site.css")
    response = await client.get("/static/css/site.css", headers={"Range": f"bytes={ranges}"})
    assert response.status_code == 200
    assert response.content == whole.content
    two = await client.get("/static/css/site.css", headers={"Range": "bytes=0-1,2-3"})
    assert two.status_code == 206
    assert two.content == whole.content[:4]
    await assert_unchanged_and_serving(client)


async def test_row_43_malformed_range_is_400(client: AsyncClient) -> None:
    """Row 43: a Range header that is not a byte range at all -> 400 (starlette's answer)."""
    response = await client.get("/static/css/site.css", headers={"Range": "bytes=" + "x" * 5000})
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


# -- row 45 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ('re"port;.txt', "attachment; filename*=utf-8''re%22port%3B.txt"),
        ("a\r\nX-Forged: 1.txt", "attachment; filename*=utf-8''a%0D%0AX-Forged%3A%201.txt"),
        ("naïve report.pdf", "attachment; filename*=utf-8''na%C3%AFve%20report.pdf"),
        ("plain.txt", 'attachment; filename="plain.txt"'),
    ],
    ids=["quote-semicolon", "crlf", "non-ascii", "plain"],
)
async def test_row_45_download_name_is_encoded(
    client: AsyncClient, name: str, header: str
) -> None:
    """Row 45: a user-derived download name is RFC 6266-encoded (``filename*``).

    Anchor: Django CVE-2022-36359.
    """
    response = await client.get("/bad/download/", params={"name": name})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == header
    assert "x-forged" not in response.headers
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_45_download_name_is_encoded_on_real_servers(server: Server) -> None:
    """Row 45 on the wire: the same encoded header from uvicorn and from gunicorn (where
    the file goes through the server's ``wsgi.file_wrapper``)."""
    target = "/bad/download/?name=a%22b%3B%0D%0AX-Forged:%201.txt"
    result = exchange(server.port, request("GET", target, [("Connection", "close")]))
    assert result.statuses == [200], result.raw[:300]
    assert result.responses[0].header("content-disposition") == (
        "attachment; filename*=utf-8''a%22b%3B%0D%0AX-Forged%3A%201.txt"
    )
    assert result.responses[0].body == b"file body"
    assert b"\r\nX-Forged" not in result.raw
    assert_server_serves(server)
