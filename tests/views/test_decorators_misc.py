"""cache, vary, clickjacking, common and gzip decorators on sync and async views."""

from __future__ import annotations

import gzip
import inspect

import pytest

from asgi_cycle.http import HttpResponse
from asgi_cycle.views.decorators.cache import cache_control, never_cache
from asgi_cycle.views.decorators.clickjacking import (
    xframe_options_deny,
    xframe_options_exempt,
    xframe_options_sameorigin,
)
from asgi_cycle.views.decorators.common import no_append_slash
from asgi_cycle.views.decorators.gzip import gzip_page
from asgi_cycle.views.decorators.vary import vary_on_cookie, vary_on_headers

from .requests import make_request

BIG = "lorem ipsum " * 100


def sync_view(request):
    return HttpResponse(BIG)


async def async_view(request):
    return HttpResponse(BIG)


def framed_view(request):
    response = HttpResponse("x")
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


async def call(view, request=None):
    result = view(request or make_request())
    return await result if inspect.isawaitable(result) else result


both = pytest.mark.parametrize("view", [sync_view, async_view], ids=["sync", "async"])


def keeps_mode(wrapped, view):
    return inspect.iscoroutinefunction(wrapped) == inspect.iscoroutinefunction(view)


@both
async def test_cache_control(view):
    wrapped = cache_control(max_age=60, private=True)(view)
    assert keeps_mode(wrapped, view)
    directives = {d.strip() for d in (await call(wrapped))["Cache-Control"].split(",")}
    assert directives == {"max-age=60", "private"}


@both
async def test_never_cache(view):
    wrapped = never_cache(view)
    assert keeps_mode(wrapped, view)
    response = await call(wrapped)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"} <= directives
    assert "Expires" in response


@both
async def test_vary(view):
    response = await call(vary_on_headers("Accept-Language", "User-Agent")(view))
    assert response["Vary"] == "Accept-Language, User-Agent"
    response = await call(vary_on_cookie(view))
    assert response["Vary"] == "Cookie"


@both
async def test_xframe_options(view):
    assert (await call(xframe_options_deny(view)))["X-Frame-Options"] == "DENY"
    assert (await call(xframe_options_sameorigin(view)))["X-Frame-Options"] == "SAMEORIGIN"
    response = await call(xframe_options_exempt(view))
    assert response.xframe_options_exempt is True
    assert "X-Frame-Options" not in response


async def test_xframe_options_keep_the_views_own_value():
    assert (await call(xframe_options_deny(framed_view)))["X-Frame-Options"] == "SAMEORIGIN"


@both
async def test_no_append_slash_marks_a_wrapper(view):
    wrapped = no_append_slash(view)
    assert wrapped.should_append_slash is False
    assert not hasattr(view, "should_append_slash")
    assert keeps_mode(wrapped, view)
    assert (await call(wrapped)).status_code == 200


@both
async def test_gzip_page(view):
    wrapped = gzip_page(view)
    assert keeps_mode(wrapped, view)
    response = await call(wrapped, make_request(headers={"Accept-Encoding": "gzip"}))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode() == BIG
    response = await call(wrapped)
    assert "Content-Encoding" not in response and response["Vary"] == "Accept-Encoding"


def test_decorating_a_method_without_method_decorator_is_a_type_error():
    class Thing:
        @never_cache
        def get(self, request):
            return HttpResponse()

    with pytest.raises(TypeError, match="method_decorator"):
        Thing().get(make_request())
