"""BAD_INPUT rows 16, 17, 19, 20, 24, 41, 44 and 48: hostile paths, queries and methods.

Each case runs through the ASGI app and the WSGI shim (same status on both),
and the wire-level cases against real uvicorn and gunicorn with raw bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from asgi_cycle.test import AsyncClient, override_settings
from tests.servers.procs import Server

from .conftest import assert_server_serves, assert_unchanged_and_serving
from .wire import exchange, request

# -- row 16: bad percent-encoding in the query ----------------------------------------


async def test_row_16_bad_percent_encoding_in_query_is_decoded_leniently(
    client: AsyncClient,
) -> None:
    """Row 16: ``?a=%zz&b=%ff%fe`` -> 200; bad escapes kept, bad UTF-8 replaced.

    Anchor: Django ``QueryDict`` (probed 200). Decision: 200 with U+FFFD, as Django.
    """
    response = await client.get("/bad/echo/?a=%zz&b=%ff%fe&c=%e9t%C3%A9")
    assert response.status_code == 200
    assert response.json()["get"] == {"a": ["%zz"], "b": ["\ufffd\ufffd"], "c": ["\ufffdt\u00e9"]}
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_16_bad_percent_encoding_on_real_servers(server: Server) -> None:
    """Row 16 on the wire: both servers answer 200 with the same decoded query."""
    result = exchange(
        server.port, request("GET", "/bad/echo/?a=%zz&b=%ff%fe", [("Connection", "close")])
    )
    assert result.statuses == [200], result.raw[:300]
    assert b'"get": {"a": ["%zz"], "b": ["\\ufffd\\ufffd"]}' in result.responses[0].body
    assert_server_serves(server)


# -- row 17: a path whose escapes are not UTF-8 ----------------------------------------

BAD_UTF8_PATHS = ["/%ff%fe/", "/products/%ff/", "/bad/echo/%c3%28", "/static/%ff.css"]


@pytest.mark.parametrize("target", BAD_UTF8_PATHS)
async def test_row_17_path_with_invalid_utf8_is_400(client: AsyncClient, target: str) -> None:
    """Row 17: ``/%ff%fe/`` -> 400 on both paths, never a 500.

    Anchors: Django ``repercent_broken_unicode``; a2wsgi raised UnicodeDecodeError.
    Decision: 400 (such a path names nothing and no percent-escaped form of it is
    served), which the core answers before any middleware.
    """
    response = await client.get(target)
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
@pytest.mark.parametrize("target", BAD_UTF8_PATHS)
def test_row_17_path_with_invalid_utf8_on_real_servers(server: Server, target: str) -> None:
    """Row 17 on the wire: 400 from uvicorn and from gunicorn through the shim."""
    result = exchange(server.port, request("GET", target, [("Connection", "close")]))
    assert result.statuses == [400], result.raw[:300]
    assert_server_serves(server)


# -- row 19: NUL in the path or the query ----------------------------------------------

NUL_PATHS = ["/products/1%00/", "/static/css/site.css%00", "/static/%00", "/bad/echo%00/"]


@pytest.mark.parametrize("target", NUL_PATHS)
async def test_row_19_nul_in_path_is_404(client: AsyncClient, target: str) -> None:
    """Row 19: ``%00`` in the path -> 404; it reaches neither the file system nor the DB.

    Anchor: Django (probed 404); ``django.views.static.serve`` uses ``safe_join``.
    """
    response = await client.get(target)
    assert response.status_code == 404
    await assert_unchanged_and_serving(client)


async def test_row_19_nul_in_query_is_plain_data(client: AsyncClient) -> None:
    """Row 19: ``%00`` in the query is a character like any other (200, kept as is).

    Decision: the query names no file and no SQL, so Django's 200 stands; a view
    that writes it stores exactly what was sent (parameters, never SQL text).
    """
    response = await client.get("/bad/echo/?q=a%00b")
    assert response.status_code == 200
    assert response.json()["get"] == {"q": ["a\x00b"]}
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
@pytest.mark.parametrize("target", NUL_PATHS)
def test_row_19_nul_in_path_on_real_servers(server: Server, target: str) -> None:
    """Row 19 on the wire: 404 from both servers."""
    result = exchange(server.port, request("GET", target, [("Connection", "close")]))
    assert result.statuses == [404], result.raw[:300]
    assert_server_serves(server)


# -- row 20: static file traversal -----------------------------------------------------

TRAVERSALS = [
    "/static/%2e%2e/settings.py",
    "/static/..%2fsettings.py",
    "/static/css/..%2f..%2fsettings.py",
    "/static/%2e%2e%2f%2e%2e%2fapp/settings.py",
    "/static/..%5csettings.py",
    "/static/css/%2e%2e/%2e%2e/models.py",
]


@pytest.mark.parametrize("target", TRAVERSALS)
async def test_row_20_static_traversal_is_404(client: AsyncClient, target: str) -> None:
    """Row 20: escaping the static folder (``%2e%2e/``, ``..%2f``, ``..\\``) -> 404.

    Anchors: Starlette CVE-2023-29159 and its traversal tests; Litestar CVE-2024-32982.
    """
    response = await client.get(target)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content and b"Product" not in response.content
    assert (await client.get("/static/css/site.css")).status_code == 200


async def test_row_20_prefix_sibling_and_symlink_out_are_404(
    tmp_path: Path, path_kind: str
) -> None:
    """Row 20: a sibling folder sharing the prefix, and a symlink leading out, -> 404."""
    from asgi_cycle.core.asgi import get_asgi_application

    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.txt").write_text("public")
    sibling = tmp_path / "static-private"
    sibling.mkdir()
    (sibling / "secret.txt").write_text("private")
    (tmp_path / "outside.txt").write_text("private")
    (static / "link.txt").symlink_to(tmp_path / "outside.txt")
    (static / "linkdir").symlink_to(sibling, target_is_directory=True)
    with override_settings(
        STATICFILES_DIRS=[str(static)], INSTALLED_APPS=[], ROOT_URLCONF="tests.urls_empty"
    ):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            assert (await client.get("/static/ok.txt")).text == "public"
            for target in (
                "/static/%2e%2e/static-private/secret.txt",
                "/static/..%2fstatic-private/secret.txt",
                "/static/link.txt",
                "/static/linkdir/secret.txt",
                "/static/%2e%2e/outside.txt",
            ):
                response = await client.get(target)
                assert response.status_code == 404, target
                assert b"private" not in response.content


@pytest.mark.servers
@pytest.mark.parametrize(
    "target", ["/static/../settings.py", "/static/../../README.md", *TRAVERSALS]
)
def test_row_20_static_traversal_on_real_servers(server: Server, target: str) -> None:
    """Row 20 on the wire, raw ``../`` included: 404 (or the server's 400), never the file."""
    result = exchange(server.port, request("GET", target, [("Connection", "close")]))
    assert result.statuses in ([404], [400]), result.raw[:300]
    assert b"SECRET_KEY" not in result.raw and b"asgi_cycle" not in result.raw
    assert_server_serves(server)


# -- row 24: method override and unknown methods ---------------------------------------


async def test_row_24_method_override_is_ignored(client: AsyncClient) -> None:
    """Row 24: ``X-HTTP-Method-Override`` and ``_method`` change nothing.

    Decision: no override mechanism exists; the request is the POST it was.
    """
    response = await client.post(
        "/bad/methods/", data={"_method": "DELETE"}, headers={"X-HTTP-Method-Override": "DELETE"}
    )
    assert response.status_code == 200
    assert response.text == "POST"
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize("method", ["DELETE", "PUT", "FOO", "PROPFIND"])
async def test_row_24_unknown_or_unallowed_method_is_405_with_allow(
    client: AsyncClient, method: str
) -> None:
    """Row 24: any method a view does not take -> 405 with ``Allow`` (probed on all six)."""
    response = await client.request(method, "/bad/methods/")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
@pytest.mark.parametrize("method", ["DELETE", "PROPFIND", "FOO"])
def test_row_24_unknown_method_on_real_servers(server: Server, method: str) -> None:
    """Row 24 on the wire: a method the view does not take -> 405 with ``Allow``.

    Exception, by the server: uvicorn's httptools parser only knows registered
    methods and answers ``FOO`` itself with 400 before the app is called.
    """
    result = exchange(server.port, request(method, "/bad/methods/", [("Connection", "close")]))
    if method == "FOO" and server.kind == "uvicorn":  # type: ignore[attr-defined]
        assert result.statuses == [400], result.raw[:300]
    else:
        assert result.statuses == [405], result.raw[:300]
        assert result.responses[0].header("allow") == "GET, POST"
    assert_server_serves(server)


# -- row 41: an id past every integer column -------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/products/" + "9" * 30 + "/",
        "/api/products/" + "9" * 30 + "/",
        "/api/products/9223372036854775808/",
    ],
)
async def test_row_41_thirty_digit_id_is_404(client: AsyncClient, target: str) -> None:
    """Row 41: ``<int:id>`` with 30 digits -> 404, never OverflowError/500 from the driver.

    Anchor: Django ``IntegerFieldOverflow`` lookups -> empty result -> 404.
    """
    response = await client.get(target)
    assert response.status_code == 404
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_41_thirty_digit_id_on_real_servers(server: Server) -> None:
    """Row 41 on the wire: 404 from both servers."""
    for target in ("/products/" + "9" * 30 + "/", "/api/products/" + "9" * 30 + "/"):
        result = exchange(server.port, request("GET", target, [("Connection", "close")]))
        assert result.statuses == [404], result.raw[:300]
    assert_server_serves(server)


# -- row 44: control characters in the path reach the log escaped ----------------------

CONTROL_PATH = "/bad/%0aforged%20line%1b[31mred%1b[0m/"
DECODED_CONTROL_PATH = "/bad/\nforged line\x1b[31mred\x1b[0m/"


async def test_row_44_control_characters_are_logged_escaped(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Row 44: a refused request for a path with ``%0a`` and ``%1b[31m`` is logged escaped.

    Anchors: Django CVE-2025-48432; uvicorn CVE-2020-7694. The request is refused
    for its Host (400), which the core logs with the path; a plain 404 is not
    logged by the core at all (unlike Django's "Not Found" line).
    """
    with caplog.at_level(logging.WARNING):
        response = await client.get(CONTROL_PATH, headers={"Host": "evil.com"})
    assert response.status_code == 400
    messages = [record.getMessage() for record in caplog.records]
    assert any("forged" in message for message in messages), messages
    for message in messages:
        assert "\n" not in message and "\x1b" not in message, message
    await assert_unchanged_and_serving(client)


async def test_row_44_a_plain_404_is_logged_escaped(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Row 44: the 404 for such a path is logged once ("Not Found: ...", as Django does),
    with the control characters escaped."""
    with caplog.at_level(logging.WARNING, logger="asgi_cycle.request"):
        response = await client.get(CONTROL_PATH)
    assert response.status_code == 404
    assert caplog.messages == ["Not Found: /bad/\\nforged line\\x1b[31mred\\x1b[0m/"]


@pytest.mark.servers
@pytest.mark.parametrize("host", ["127.0.0.1", "evil.com"])
def test_row_44_control_characters_never_reach_the_server_log_raw(
    server: Server, host: str
) -> None:
    """Row 44 on the wire: neither the access log nor the core's log prints them raw.

    The example app's ``RequestTimerMiddleware`` is the article's code, unchanged
    (SPEC): it prints ``request.path`` as it is, so its line is taken out before
    the check; everything else the server printed must be escaped.
    """
    sent = request("GET", CONTROL_PATH, [("Connection", "close")], host=host)
    result = exchange(server.port, sent)
    assert result.statuses == ([404] if host == "127.0.0.1" else [400]), result.raw[:300]
    assert_server_serves(server)
    output = server.output().replace(f"Request to {DECODED_CONTROL_PATH} took", "")
    assert "\x1b[31m" not in output
    assert "\nforged line" not in output


# -- row 48: a POST to the slash-less URL ----------------------------------------------


async def test_row_48_post_without_slash_is_404_not_a_redirect(client: AsyncClient) -> None:
    """Row 48: ``POST /products/new`` with APPEND_SLASH -> 404, the body is not dropped
    silently by a redirect the browser would follow with GET (DEBUG off).

    Anchor: Django CommonMiddleware raises in DEBUG for POST. Decision: 404 with DEBUG off.
    """
    response = await client.post("/bad/form", data={"name": "Mug", "price": "4.50"})
    assert response.status_code == 404
    assert "location" not in response.headers
    response = await client.post("/products/new", data={"name": "Mug", "price": "4.50"})
    assert response.status_code == 404
    assert (await client.get("/products/new")).status_code == 301
    await assert_unchanged_and_serving(client)


async def test_row_48_post_without_slash_explains_itself_in_debug(client: AsyncClient) -> None:
    """Row 48 with DEBUG on: the developer gets Django's explanation, nothing is stored."""
    from asgi_cycle.core.asgi import get_asgi_application

    with override_settings(DEBUG=True):
        async with AsyncClient(get_asgi_application(), wsgi=client.wsgi) as debug:
            response = await debug.post("/bad/form", data={"name": "Mug", "price": "4.50"})
    assert response.status_code == 500
    assert "APPEND_SLASH" in response.text
    await assert_unchanged_and_serving(client)


@pytest.mark.servers
def test_row_48_post_without_slash_on_real_servers(server: Server) -> None:
    """Row 48 on the wire: 404 from both servers, nothing stored."""
    body = b"name=Mug&price=4.50"
    head = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    ]
    result = exchange(server.port, request("POST", "/bad/form", head, body))
    assert result.statuses == [404], result.raw[:300]
    assert_server_serves(server)
