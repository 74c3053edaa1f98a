"""The default stack (Security, Sessions, Common, Csrf, XFrameOptions) through the handler.

Built-in middleware have pure hooks and must never hop to a worker thread; a user's
MiddlewareMixin subclass may block and must. Both are checked by watching anyio's
thread pool, the only way the bridge (``asgi_cycle.utils.asyncio``) leaves the loop.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import pytest

from asgi_cycle.utils.deprecation import MiddlewareMixin

from .utils import serve

DEFAULT_STACK = [
    "asgi_cycle.middleware.security.SecurityMiddleware",
    "asgi_cycle.contrib.sessions.middleware.SessionMiddleware",
    "asgi_cycle.middleware.common.CommonMiddleware",
    "asgi_cycle.middleware.csrf.CsrfViewMiddleware",
    "asgi_cycle.middleware.clickjacking.XFrameOptionsMiddleware",
]


class UserMiddleware(MiddlewareMixin):
    """A user's old-style middleware: its hooks may block."""

    def process_response(self, request: Any, response: Any) -> Any:
        response["X-User"] = "1"
        return response


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every call that goes to the worker thread pool while the test runs."""
    hops: list[Any] = []
    real = anyio.to_thread.run_sync

    async def spy(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", spy)
    return hops


async def test_default_stack_stays_on_the_event_loop(thread_hops):
    async with serve(DEFAULT_STACK) as client:
        token = (await client.get("/token/")).text
        posted = await client.post("/form/", data={"csrfmiddlewaretoken": token, "name": "Ada"})
        stored = await client.get("/session/set/", params={"k": "v"})
        plain = await client.get("/untouched/")
    assert posted.text == "posted Ada"
    assert stored.status_code == 200
    assert thread_hops == []
    # The stack's headers, on a request that touched nothing.
    assert plain.headers["X-Frame-Options"] == "DENY"
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    assert plain.headers["Referrer-Policy"] == "same-origin"
    assert plain.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "set-cookie" not in plain.headers
    assert "Vary" not in plain.headers


async def test_user_mixin_hooks_run_in_a_thread(thread_hops):
    async with serve([*DEFAULT_STACK, "tests.middleware.test_stack.UserMiddleware"]) as client:
        response = await client.get("/untouched/")
    assert response.headers["X-User"] == "1"
    assert len(thread_hops) == 1


async def test_full_form_flow_with_session_on_both_paths(path_kind):
    async with serve(DEFAULT_STACK, path_kind) as client:
        token = (await client.get("/token/")).text
        await client.get("/session/set/", params={"user": "ada"})
        posted = await client.post("/form/", data={"csrfmiddlewaretoken": token, "name": "x"})
        assert posted.status_code == 200
        assert (await client.get("/session/get/")).json() == {"user": "ada"}
        refused = await client.post("/form/", data={"name": "x"})
        assert refused.status_code == 403
        assert refused.headers["X-Frame-Options"] == "DENY"
        slash = await client.get("/products/3")
        assert slash.status_code == 301
        assert slash.headers["Location"] == "/products/3/"


class SyncOnly:
    """A plain sync middleware at the core: every built-in outside it runs in sync mode."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)


async def test_default_stack_in_sync_mode(path_kind):
    stack = [*DEFAULT_STACK, "tests.middleware.test_stack.SyncOnly"]
    async with serve(stack, path_kind) as client:
        assert not any(client.app.middleware_modes.values())
        token = (await client.get("/token/")).text
        await client.get("/session/set/", params={"user": "ada"})
        posted = await client.post("/form/", data={"csrfmiddlewaretoken": token, "name": "s"})
        assert posted.text == "posted s"
        assert (await client.get("/session/get/")).json() == {"user": "ada"}
        assert (await client.post("/form/", data={"name": "s"})).status_code == 403
        plain = await client.get("/untouched/")
        assert plain.headers["X-Frame-Options"] == "DENY"
        assert (await client.get("/products/3")).headers["Location"] == "/products/3/"
