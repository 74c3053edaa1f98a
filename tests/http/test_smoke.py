"""First end-to-end checks: a request built from a scope, a response to ASGI headers."""

from __future__ import annotations

from asgi_cycle.http import HttpResponse, JsonResponse, QueryDict

from .helpers import request


def test_request_from_scope_exposes_django_attributes():
    req = request("GET", "/shop/items/", query_string=b"a=1&a=2&b=x")
    assert req.method == "GET"
    assert req.path == req.path_info == "/shop/items/"
    assert req.GET.getlist("a") == ["1", "2"]
    assert req.GET["b"] == "x"
    assert req.META["HTTP_HOST"] == "testserver"
    assert req.headers["Host"] == "testserver"
    assert req.get_host() == "testserver"
    assert req.get_full_path() == "/shop/items/?a=1&a=2&b=x"
    assert req.build_absolute_uri() == "http://testserver/shop/items/?a=1&a=2&b=x"


def test_response_asgi_headers_exact():
    response = HttpResponse("héllo")
    response["X-Thing"] = "1"
    response.set_cookie("k", "v")
    assert response.asgi_headers() == [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"x-thing", b"1"),
        (b"set-cookie", b"k=v; Path=/"),
        (b"content-length", b"6"),
    ]


def test_json_response_and_querydict():
    assert JsonResponse({"a": 1}).content == b'{"a": 1}'
    assert QueryDict("x=1").urlencode() == "x=1"


def test_http_exports_django_names():
    import asgi_cycle.http as http

    expected = {
        "HttpRequest", "QueryDict", "HttpResponse", "JsonResponse", "StreamingHttpResponse",
        "FileResponse", "HttpResponseRedirect", "HttpResponsePermanentRedirect",
        "HttpResponseNotFound", "HttpResponseBadRequest", "HttpResponseForbidden",
        "HttpResponseNotAllowed", "HttpResponseServerError", "Http404", "HttpResponseBase",
        "HttpResponseNotModified", "HttpResponseGone", "BadHeaderError", "UnreadablePostError",
        "parse_cookie", "HttpHeaders", "ResponseHeaders",
    }  # fmt: skip
    assert expected <= set(http.__all__)
    assert all(getattr(http, name) is not None for name in http.__all__)
