"""require_http_methods & co., condition/etag/last_modified, on sync and async views."""

from __future__ import annotations

import datetime
import inspect

import pytest

from asgi_cycle.http import HttpResponse
from asgi_cycle.views.decorators.http import (
    condition,
    etag,
    last_modified,
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from .requests import make_request


def sync_view(request):
    """Doc of the sync view."""
    return HttpResponse(f"sync {request.method}")


async def async_view(request):
    return HttpResponse(f"async {request.method}")


async def call(view, request):
    result = view(request)
    return await result if inspect.isawaitable(result) else result


@pytest.mark.parametrize(
    ("decorator", "allowed", "refused"),
    [
        (require_GET, ["GET"], ["POST", "HEAD"]),
        (require_POST, ["POST"], ["GET", "PUT"]),
        (require_safe, ["GET", "HEAD"], ["POST", "DELETE"]),
        (require_http_methods(["PUT", "PATCH"]), ["PUT", "PATCH"], ["GET"]),
    ],
)
@pytest.mark.parametrize("view", [sync_view, async_view], ids=["sync", "async"])
async def test_methods_on_sync_and_async_views(decorator, allowed, refused, view):
    wrapped = decorator(view)
    assert inspect.iscoroutinefunction(wrapped) == inspect.iscoroutinefunction(view)
    for method in allowed:
        response = await call(wrapped, make_request(method))
        assert response.status_code == 200
        assert response.content.endswith(method.encode())
    for method in refused:
        response = await call(wrapped, make_request(method))
        assert response.status_code == 405
        assert response["Allow"] == ", ".join(allowed)


def test_wrapper_keeps_the_view_metadata():
    wrapped = require_GET(sync_view)
    assert wrapped.__name__ == "sync_view" and wrapped.__doc__ == "Doc of the sync view."
    assert wrapped.__wrapped__ is sync_view


LAST = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.UTC)
LAST_HTTP = "Wed, 01 May 2024 12:00:00 GMT"


def sync_etag(request):
    return "v1"


async def async_etag(request):
    return "v1"


@pytest.mark.parametrize(
    ("view", "etag_func"),
    [(sync_view, sync_etag), (async_view, async_etag), (async_view, sync_etag)],
    ids=["sync", "async", "async-view-sync-func"],
)
async def test_etag_gives_304_and_sets_the_header(view, etag_func):
    wrapped = etag(etag_func)(view)
    assert inspect.iscoroutinefunction(wrapped) == inspect.iscoroutinefunction(view)
    response = await call(wrapped, make_request())
    assert (response.status_code, response["ETag"]) == (200, '"v1"')
    response = await call(wrapped, make_request(headers={"If-None-Match": '"v1"'}))
    assert response.status_code == 304
    response = await call(wrapped, make_request(headers={"If-None-Match": '"v0"'}))
    assert response.status_code == 200


async def test_etag_mismatch_on_unsafe_method_is_412():
    wrapped = etag(sync_etag)(sync_view)
    response = await call(wrapped, make_request("PUT", headers={"If-Match": '"v0"'}))
    assert response.status_code == 412
    response = await call(wrapped, make_request("PUT", headers={"If-Match": '"v1"'}))
    assert response.status_code == 200
    assert "ETag" not in response.headers


@pytest.mark.parametrize("view", [sync_view, async_view], ids=["sync", "async"])
async def test_last_modified(view):
    wrapped = last_modified(lambda request: LAST)(view)
    response = await call(wrapped, make_request())
    assert response["Last-Modified"] == LAST_HTTP
    response = await call(wrapped, make_request(headers={"If-Modified-Since": LAST_HTTP}))
    assert response.status_code == 304
    earlier = "Wed, 01 May 2024 11:00:00 GMT"
    response = await call(wrapped, make_request(headers={"If-Modified-Since": earlier}))
    assert response.status_code == 200


async def test_condition_with_naive_datetime_and_none():
    naive = LAST.replace(tzinfo=None)
    wrapped = condition(etag_func=lambda r: None, last_modified_func=lambda r: naive)(sync_view)
    response = await call(wrapped, make_request())
    assert response["Last-Modified"] == LAST_HTTP
    assert "ETag" not in response.headers


async def test_log_lines_escape_control_characters(caplog):
    caplog.set_level("WARNING", logger="asgi_cycle.request")
    await call(require_GET(async_view), make_request("POST", path="/a\r\nb"))
    assert caplog.messages == ["Method Not Allowed (POST): /a\\r\\nb"]
