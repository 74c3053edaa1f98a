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

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ._procs import SHIM_CONF, uwsgi_command
from .procs import gunicorn_command, run_server, uvicorn_command
from .scenarios import SCENARIOS

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
