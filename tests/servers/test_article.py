"""The article's code, end to end, on real servers.

``uvicorn app.asgi:application`` and ``gunicorn app.wsgi:application`` serve
the example app from an SQLite file prepared with the real ``asgi-cycle
migrate`` and ``asgi-cycle loaddata`` commands; both must give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .procs import Server, example_app_env, gunicorn_command, run_server, uvicorn_command

pytestmark = pytest.mark.servers

FRAMING = {"date", "server", "connection", "transfer-encoding", "keep-alive"}


@pytest.fixture(scope="module")
def article_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return example_app_env(tmp_path_factory.mktemp("article"))


@pytest.fixture(scope="module", params=["uvicorn", "gunicorn"])
def server(request: pytest.FixtureRequest, article_env: dict[str, str]) -> Iterator[Server]:
    if request.param == "uvicorn":
        command = lambda port: uvicorn_command("app.asgi:application", port)  # noqa: E731
    else:
        command = lambda port: gunicorn_command("app.wsgi:application", port)  # noqa: E731
    with run_server(command, env=article_env, ready_path="/static/css/site.css") as running:
        yield running


def test_product_detail_renders_the_article_template(server: Server) -> None:
    response = httpx.get(server.url + "/products/1/")
    assert response.status_code == 200
    assert "<h1>Mechanical keyboard</h1>" in response.text
    assert "<p>Price: $89.90</p>" in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/products/999999/", "/products/abc/"])
def test_unknown_products_are_404(server: Server, path: str) -> None:
    response = httpx.get(server.url + path)
    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_timer_middleware_prints_in_the_server_output(server: Server) -> None:
    httpx.get(server.url + "/products/2/")
    assert _wait_for(server, "Request to /products/2/ took 0.")


def test_append_slash_redirects_relatively(server: Server) -> None:
    response = httpx.get(server.url + "/products/1")
    assert response.status_code == 301
    assert response.headers["location"] == "/products/1/"


def _wait_for(server: Server, text: str, tries: int = 50) -> bool:
    import time

    for _ in range(tries):
        if text in server.output():
            return True
        time.sleep(0.1)
    return False


PATHS = [
    "/products/1/",
    "/products/3/",
    "/products/",
    "/products/999999/",
    "/products/abc/",
    "/products/1",
    "/api/products/",
    "/api/products/2/",
    "/static/css/site.css",
    "/static/../settings.py",
]


def test_uvicorn_and_gunicorn_answer_byte_for_byte_alike(article_env: dict[str, str]) -> None:
    with (
        run_server(
            lambda port: uvicorn_command("app.asgi:application", port),
            env=article_env,
            ready_path="/static/css/site.css",
        ) as asgi,
        run_server(
            lambda port: gunicorn_command("app.wsgi:application", port),
            env=article_env,
            ready_path="/static/css/site.css",
        ) as wsgi,
    ):
        for path in PATHS:
            a = httpx.get(asgi.url + path)
            w = httpx.get(wsgi.url + path)
            assert (a.status_code, a.content) == (w.status_code, w.content), path
            assert _comparable(a.headers) == _comparable(w.headers), path


def _comparable(headers: httpx.Headers) -> list[tuple[str, str]]:
    # Cookies carry a fresh CSRF token per request; compare their attributes only.
    rows = []
    for name, value in headers.multi_items():
        if name in FRAMING:
            continue
        if name == "set-cookie":
            value = value.split("=", 1)[0] + "=..." + value.partition(";")[2]
        rows.append((name, value))
    return sorted(rows)
