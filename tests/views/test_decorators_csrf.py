"""CSRF decorators on sync and async views, with the real CsrfViewMiddleware checks."""

from __future__ import annotations

import inspect

import pytest

from asgi_cycle.http import HttpResponse
from asgi_cycle.middleware.csrf import get_token
from asgi_cycle.views.decorators.csrf import (
    csrf_exempt,
    csrf_protect,
    ensure_csrf_cookie,
    requires_csrf_token,
)

from .requests import make_request


def sync_view(request):
    return HttpResponse("ok")


async def async_view(request):
    return HttpResponse("ok")


def token_view(request):
    return HttpResponse(get_token(request))


async def call(view, request):
    result = view(request)
    return await result if inspect.isawaitable(result) else result


@pytest.mark.parametrize("view", [sync_view, async_view], ids=["sync", "async"])
async def test_csrf_exempt_marks_and_keeps_mode(view):
    wrapped = csrf_exempt(view)
    assert wrapped.csrf_exempt is True
    assert inspect.iscoroutinefunction(wrapped) == inspect.iscoroutinefunction(view)
    assert wrapped.__name__ == view.__name__
    assert not hasattr(view, "csrf_exempt")
    assert (await call(wrapped, make_request("POST"))).content == b"ok"


@pytest.mark.parametrize("view", [sync_view, async_view], ids=["sync", "async"])
async def test_csrf_protect_rejects_post_without_token(view):
    wrapped = csrf_protect(view)
    assert inspect.iscoroutinefunction(wrapped) == inspect.iscoroutinefunction(view)
    assert (await call(wrapped, make_request("POST"))).status_code == 403
    assert (await call(wrapped, make_request("GET"))).status_code == 200


async def test_csrf_protect_accepts_a_matching_token():
    wrapped = csrf_protect(sync_view)
    first = await call(csrf_protect(token_view), make_request("GET"))
    secret = first.cookies["csrftoken"].value
    token = first.content.decode()
    request = make_request("POST", headers={"Cookie": f"csrftoken={secret}", "X-CSRFToken": token})
    assert (await call(wrapped, request)).status_code == 200


async def test_requires_csrf_token_never_rejects():
    wrapped = requires_csrf_token(token_view)
    response = await call(wrapped, make_request("POST"))
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


@pytest.mark.parametrize("view", [sync_view, async_view], ids=["sync", "async"])
async def test_ensure_csrf_cookie_always_sets_the_cookie(view):
    response = await call(ensure_csrf_cookie(view), make_request("GET"))
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
