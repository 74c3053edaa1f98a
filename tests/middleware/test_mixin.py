"""MiddlewareMixin: Django's old-style hooks, in both modes, with or without a thread hop."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from asgi_cycle.http import HttpResponse
from asgi_cycle.utils.asyncio import is_async_callable
from asgi_cycle.utils.deprecation import MiddlewareMixin

from .utils import call, make_request


class Recording(MiddlewareMixin):
    """A user's middleware: hooks may block, so async mode runs them in a thread."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        self.threads: dict[str, int] = {}

    def process_request(self, request):
        self.threads["request"] = threading.get_ident()
        request.seen = True

    def process_response(self, request, response):
        self.threads["response"] = threading.get_ident()
        response["X-Seen"] = str(getattr(request, "seen", False))
        return response


class Inline(Recording):
    nonblocking_hooks = True


class ShortCircuit(MiddlewareMixin):
    nonblocking_hooks = True

    def process_request(self, request):
        return HttpResponse("short", status=418)


def view(request: Any) -> HttpResponse:
    return HttpResponse("view")


def test_get_response_is_required():
    with pytest.raises(ValueError, match="get_response must be provided"):
        MiddlewareMixin(None)  # type: ignore[arg-type]


def test_capability_flags_are_djangos():
    assert MiddlewareMixin.sync_capable is True
    assert MiddlewareMixin.async_capable is True
    assert MiddlewareMixin.nonblocking_hooks is False


async def test_mode_follows_get_response(mode):
    response = await call(Recording, make_request(), view, mode)
    assert response.content == b"view"
    assert response["X-Seen"] == "True"


async def test_user_hooks_run_in_a_worker_thread_in_async_mode():
    async def get_response(request):
        return view(request)

    middleware = Recording(get_response)
    await middleware(make_request())
    loop_thread = threading.get_ident()
    assert middleware.threads["request"] != loop_thread
    assert middleware.threads["response"] != loop_thread


async def test_nonblocking_hooks_stay_on_the_event_loop():
    async def get_response(request):
        return view(request)

    middleware = Inline(get_response)
    assert is_async_callable(middleware)
    response = await middleware(make_request())
    loop_thread = threading.get_ident()
    assert middleware.threads == {"request": loop_thread, "response": loop_thread}
    assert response["X-Seen"] == "True"


async def test_process_request_response_short_circuits(mode):
    calls = []

    def counting_view(request):
        calls.append(request)
        return view(request)

    response = await call(ShortCircuit, make_request(), counting_view, mode)
    assert response.status_code == 418
    assert calls == []


async def test_async_hooks_are_awaited():
    class AsyncHooks(MiddlewareMixin):
        async def process_request(self, request):
            request.hooked = "yes"

        async def process_response(self, request, response):
            response["X-Hooked"] = request.hooked
            return response

    async def get_response(request):
        return view(request)

    response = await AsyncHooks(get_response)(make_request())
    assert response["X-Hooked"] == "yes"
