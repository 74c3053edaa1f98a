"""Item 12 of issue 4: one scenario list, the same answers from every server.

``tests/servers/scenarios.py`` holds the list (every method, 2xx-5xx,
cookies, sessions, redirects, uploads, chunked uploads, streaming, HEAD,
errors). It runs in order against real processes on loopback serving the
scenario app: Uvicorn (the ASGI reference), Gunicorn sync and gthread with
the shim, and uWSGI with the shim. Each server must give the status the
scenario names, and the same status, body and headers as Uvicorn, except
Date, Server and connection framing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ._procs import SHIM_CONF, uwsgi_command
from .procs import example_app_env, gunicorn_command, run_server, uvicorn_command
from .scenarios import APP_SCENARIOS, SCENARIOS

pytestmark = pytest.mark.servers

ASGI_APP = "tests.servers.scenario_app.asgi:application"
WSGI_APP = "tests.servers.scenario_app.wsgi:application"
FRAMING = {"date", "server", "connection", "transfer-encoding", "keep-alive"}

SERVERS: dict[str, Callable[[int], list[str]]] = {
    "uvicorn": lambda port: uvicorn_command(ASGI_APP, port),
    "gunicorn-sync": lambda port: gunicorn_command(WSGI_APP, port, SHIM_CONF),
    "gunicorn-gthread": lambda port: gunicorn_command(
        WSGI_APP, port, [*SHIM_CONF, "--worker-class", "gthread", "--threads", "4"]
    ),
    "uwsgi": lambda port: uwsgi_command(WSGI_APP, port),
}

#: A fresh connection per request: uWSGI's --http-socket does not keep connections alive.
ONE_SHOT = httpx.Limits(max_keepalive_connections=0)

Answer = tuple[int, bytes, list[tuple[str, str]]]


def comparable(response: httpx.Response) -> Answer:
    """Status, body and headers, without what legitimately differs between servers."""
    headers = []
    for name, value in response.headers.multi_items():
        if name in FRAMING or (name == "content-length" and response.status_code in (204, 304)):
            continue  # RFC 9110 forbids Content-Length on 204; servers differ in dropping it
        if name == "set-cookie":
            # Signed values carry a timestamp, Expires the current time: keep the rest.
            cookie, _, attributes = value.partition(";")
            kept = [
                a.strip()
                for a in attributes.split(";")
                if not a.strip().lower().startswith("expires=")
            ]
            value = cookie.split("=", 1)[0] + "=...; " + "; ".join(kept)
        headers.append((name, value))
    return response.status_code, response.content, sorted(headers)


@pytest.fixture(scope="module")
def answers() -> dict[str, list[Answer]]:
    """Every server's answers to the whole list, in order."""
    results: dict[str, list[Answer]] = {}
    for name, command in SERVERS.items():
        with run_server(command, ready_path="/static/site.css") as server:
            with httpx.Client(
                base_url=server.url, headers={"Host": "localhost"}, timeout=30, limits=ONE_SHOT
            ) as client:
                results[name] = [comparable(scenario.send(client)) for scenario in SCENARIOS]
    return results


def test_the_list_is_long_enough() -> None:
    assert len(SCENARIOS) >= 40
    assert {s.method for s in SCENARIOS} >= {
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS",
    }


def test_uvicorn_gives_the_expected_statuses(answers: dict[str, list[Answer]]) -> None:
    got = {s.name: status for s, (status, _, _) in zip(SCENARIOS, answers["uvicorn"], strict=True)}
    assert got == {s.name: s.status for s in SCENARIOS}


@pytest.mark.parametrize("server", [name for name in SERVERS if name != "uvicorn"])
def test_server_answers_like_uvicorn(answers: dict[str, list[Answer]], server: str) -> None:
    differences = []
    for scenario, reference, got in zip(
        SCENARIOS, answers["uvicorn"], answers[server], strict=True
    ):
        parts: tuple[Any, ...] = ("status", "body", "headers")
        ours: Any
        theirs: Any
        for part, ours, theirs in zip(parts, reference, got, strict=True):
            if ours != theirs:
                if part == "headers":
                    ours, theirs = sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))
                differences.append(f"{scenario.name}: {part}: uvicorn {ours!r} != {theirs!r}")
    assert not differences, "\n".join(differences)


# -- the example app: app.asgi:application and app.wsgi:application ----------------------

APP_SERVERS: dict[str, Callable[[int], list[str]]] = {
    "uvicorn": lambda port: uvicorn_command("app.asgi:application", port),
    "gunicorn-sync": lambda port: gunicorn_command("app.wsgi:application", port, SHIM_CONF),
    "gunicorn-gthread": lambda port: gunicorn_command(
        "app.wsgi:application", port, [*SHIM_CONF, "--worker-class", "gthread", "--threads", "4"]
    ),
    "uwsgi": lambda port: uwsgi_command("app.wsgi:application", port),
}
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def fresh_database(folder: Path) -> dict[str, str]:
    """An SQLite file with the demo products, made by the real commands."""
    return example_app_env(folder)


def app_flow(client: httpx.Client) -> list[Answer]:
    """The example app's scenarios, then the CSRF-protected create form end to end."""
    answers = []
    for scenario in APP_SCENARIOS:
        status, body, headers = comparable(scenario.send(client))
        answers.append((status, TOKEN.sub(b"token", body), headers))
    form = client.get("/products/new/")
    token = TOKEN.search(form.content)
    assert token is not None
    value = token.group().split(b'value="')[1].rstrip(b'"').decode()
    created = client.post(
        "/products/new/", data={"csrfmiddlewaretoken": value, "name": "Lamp", "price": "12.50"}
    )
    answers.append(comparable(created))
    answers.append(comparable(client.get(created.headers.get("location", "/missing/"))))
    return answers


@pytest.fixture(scope="module")
def app_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Answer]]:
    """Every server's answers for the example app, each on a fresh database."""
    results: dict[str, list[Answer]] = {}
    for name, command in APP_SERVERS.items():
        env = fresh_database(tmp_path_factory.mktemp(name))
        with run_server(command, env=env, ready_path="/static/css/site.css") as server:
            with httpx.Client(
                base_url=server.url, headers={"Host": "localhost"}, timeout=30, limits=ONE_SHOT
            ) as client:
                results[name] = app_flow(client)
    return results


def test_example_app_statuses(app_answers: dict[str, list[Answer]]) -> None:
    statuses = [status for status, _, _ in app_answers["uvicorn"]]
    assert statuses == [s.status for s in APP_SCENARIOS] + [302, 200]
    assert b"<h1>Lamp</h1>" in app_answers["uvicorn"][-1][1]


@pytest.mark.parametrize("server", [name for name in APP_SERVERS if name != "uvicorn"])
def test_example_app_answers_like_uvicorn(
    app_answers: dict[str, list[Answer]], server: str
) -> None:
    names = [s.name for s in APP_SCENARIOS] + ["create with token", "created page"]
    differences = [
        f"{name}: uvicorn {reference!r} != {got!r}"
        for name, reference, got in zip(
            names, app_answers["uvicorn"], app_answers[server], strict=True
        )
        if reference != got
    ]
    assert not differences, "\n".join(differences)
