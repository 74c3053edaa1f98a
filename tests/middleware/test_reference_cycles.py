"""No built-in middleware ties a request into a reference cycle.

A cycle would leave every request to the cyclic garbage collector instead of
being freed as soon as the response is sent: more memory, and GC pauses under load.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from asgi_cycle.contrib.sessions.middleware import SessionMiddleware
from asgi_cycle.http import HttpResponse
from asgi_cycle.middleware import (
    CommonMiddleware,
    ConditionalGetMiddleware,
    CsrfViewMiddleware,
    GZipMiddleware,
    SecurityMiddleware,
    XFrameOptionsMiddleware,
)
from asgi_cycle.middleware.csrf import get_token
from asgi_cycle.test import override_settings

from .urls import BIG
from .utils import make_request

MIDDLEWARE = [
    SecurityMiddleware,
    SessionMiddleware,
    CommonMiddleware,
    CsrfViewMiddleware,
    XFrameOptionsMiddleware,
    GZipMiddleware,
    ConditionalGetMiddleware,
]


@pytest.fixture(autouse=True)
def no_cyclic_gc() -> Iterator[None]:
    with override_settings(ROOT_URLCONF="tests.middleware.urls"):
        gc.collect()
        gc.disable()
        try:
            yield
        finally:
            gc.enable()


def touching_view(request: Any) -> HttpResponse:
    if hasattr(request, "session"):
        request.session["seen"] = request.session.get("seen", 0) + 1
    get_token(request)
    return HttpResponse(BIG)


def idle_view(request: Any) -> HttpResponse:
    return HttpResponse("idle")


def valid_session_cookie() -> str:
    response = SessionMiddleware(touching_view)(make_request())
    return f"sessionid={response.cookies['sessionid'].value}"


@pytest.mark.parametrize("factory", MIDDLEWARE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("view", [idle_view, touching_view], ids=["idle", "touching"])
def test_request_and_response_are_freed_by_refcounting(factory, view):
    middleware = factory(view)
    headers = {"Cookie": valid_session_cookie(), "Accept-Encoding": "gzip"}
    request = make_request(headers=headers)
    response = middleware(request)
    assert response.status_code == 200
    request_ref, response_ref = weakref.ref(request), weakref.ref(response)
    del request, response
    assert request_ref() is None
    assert response_ref() is None
