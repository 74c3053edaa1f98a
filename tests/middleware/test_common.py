"""CommonMiddleware: APPEND_SLASH (relative, never open, never dropping a body),
PREPEND_WWW, DISALLOWED_USER_AGENTS and Content-Length."""

from __future__ import annotations

import re

import pytest

from asgi_cycle.core.exceptions import PermissionDenied
from asgi_cycle.http import HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from asgi_cycle.middleware.common import CommonMiddleware
from asgi_cycle.test import override_settings

from .utils import call, make_request, serve

URLCONF = "tests.middleware.urls"
MIDDLEWARE = ["asgi_cycle.middleware.common.CommonMiddleware"]


@pytest.fixture(autouse=True)
def urlconf():
    with override_settings(ROOT_URLCONF=URLCONF):
        yield


def not_found(request):
    return HttpResponseNotFound("nope")


def ok(request):
    return HttpResponse("ok")


async def test_append_slash_redirects_relatively(mode):
    request = make_request(path="/products/1", query_string="a=1&b=2")
    response = await call(CommonMiddleware, request, not_found, mode)
    assert response.status_code == 301
    assert response["Location"] == "/products/1/?a=1&b=2"


async def test_no_redirect_when_slashed_path_does_not_resolve(mode):
    response = await call(CommonMiddleware, make_request(path="/nowhere"), not_found, mode)
    assert response.status_code == 404


async def test_no_redirect_for_a_200(mode):
    response = await call(CommonMiddleware, make_request(path="/products/1"), ok, mode)
    assert response.status_code == 200


@override_settings(APPEND_SLASH=False)
async def test_append_slash_off(mode):
    response = await call(CommonMiddleware, make_request(path="/products/1"), not_found, mode)
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_body_methods_are_not_redirected_without_debug(mode, method):
    request = make_request(method, path="/products/1")
    response = await call(CommonMiddleware, request, not_found, mode)
    assert response.status_code == 404


@override_settings(DEBUG=True)
async def test_body_methods_raise_in_debug(mode):
    request = make_request("POST", path="/products/1")
    with pytest.raises(RuntimeError, match="APPEND_SLASH"):
        await call(CommonMiddleware, request, not_found, mode)


async def test_leading_double_slash_is_not_an_open_redirect(mode):
    # "//products/1" must not become "Location: //products/1/" (scheme-relative).
    with override_settings(ROOT_URLCONF="tests.middleware.urls_open_redirect"):
        request = make_request(path="//evil.com")
        response = await call(CommonMiddleware, request, not_found, mode)
    assert response.status_code == 301
    assert response["Location"] == "/%2Fevil.com/"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/\\evil.com", "/%5Cevil.com/"),
        ("/a\r\nSet-Cookie:x=1", "/a%0D%0ASet-Cookie:x%3D1/"),
    ],
    ids=["backslash", "crlf"],
)
async def test_redirect_location_is_escaped(mode, path, location):
    with override_settings(ROOT_URLCONF="tests.middleware.urls_open_redirect"):
        response = await call(CommonMiddleware, make_request(path=path), not_found, mode)
    assert response.status_code == 301
    assert response["Location"] == location


async def test_content_length_added_to_plain_responses(mode):
    response = await call(CommonMiddleware, make_request(path="/products/1/"), ok, mode)
    assert response["Content-Length"] == "2"


async def test_content_length_not_added_to_streaming(mode):
    def streaming(request):
        return StreamingHttpResponse(iter([b"a", b"b"]))

    response = await call(CommonMiddleware, make_request(), streaming, mode)
    assert "Content-Length" not in response.headers


@override_settings(DISALLOWED_USER_AGENTS=[re.compile(r"^BadBot")])
async def test_disallowed_user_agent(mode):
    request = make_request(headers={"User-Agent": "BadBot/1.0"})
    with pytest.raises(PermissionDenied):
        await call(CommonMiddleware, request, ok, mode)
    fine = make_request(headers={"User-Agent": "GoodBrowser"})
    assert (await call(CommonMiddleware, fine, ok, mode)).status_code == 200


@override_settings(PREPEND_WWW=True, ALLOWED_HOSTS=["example.com", "www.example.com"])
async def test_prepend_www(mode):
    request = make_request(path="/products/1", query_string="q=1", host="example.com")
    response = await call(CommonMiddleware, request, not_found, mode)
    assert response.status_code == 301
    assert response["Location"] == "http://www.example.com/products/1/?q=1"
    www = make_request(path="/products/1/", host="www.example.com")
    assert (await call(CommonMiddleware, www, ok, mode)).status_code == 200


async def test_end_to_end_append_slash(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        response = await client.get("/products/1")
        assert response.status_code == 301
        assert response.headers["Location"] == "/products/1/"
        posted = await client.post("/products/1", data={"a": "1"})
        assert posted.status_code == 404
        followed = await client.get("/products/1/")
        assert followed.text == "product 1"
        assert followed.headers["Content-Length"] == str(len("product 1"))


async def test_end_to_end_bad_host_is_400(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        response = await client.get("/products/1/", headers={"Host": "evil.com"})
    assert response.status_code == 400
