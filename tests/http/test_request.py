"""ASGIRequest built from hand-made scopes: META, headers, host checks, URLs, body."""

from __future__ import annotations

import io

import pytest

from asgi_cycle.core.exceptions import (
    BadRequest,
    DisallowedHost,
    ImproperlyConfigured,
    RequestDataTooBig,
)
from asgi_cycle.http import HttpRequest, HttpResponse, QueryDict
from asgi_cycle.http.request import ASGIRequest, RawPostDataException
from asgi_cycle.test.utils import override_settings

from .helpers import request, scope


def test_construction_is_lazy():
    req = request(query_string=b"a=1", headers=[(b"cookie", b"x=1")])
    for name in ("META", "GET", "COOKIES", "headers"):
        assert name not in req.__dict__
    assert req.COOKIES == {"x": "1"}
    assert "META" in req.__dict__


def test_meta_from_scope():
    req = request(
        "post",
        "/app/items/",
        query_string=b"q=1",
        headers=[
            (b"content-type", b"text/plain"),
            (b"content-length", b"3"),
            (b"user-agent", b"pytest"),
        ],
        root_path="/app",
    )
    meta = req.META
    assert meta["REQUEST_METHOD"] == "POST"
    assert meta["SCRIPT_NAME"] == "/app"
    assert meta["PATH_INFO"] == "/items/"
    assert meta["QUERY_STRING"] == "q=1"
    assert meta["REMOTE_ADDR"] == meta["REMOTE_HOST"] == "10.0.0.7"
    assert meta["REMOTE_PORT"] == 51234
    assert meta["SERVER_NAME"] == "testserver"
    assert meta["SERVER_PORT"] == "80"
    assert meta["CONTENT_TYPE"] == "text/plain"
    assert meta["CONTENT_LENGTH"] == "3"
    assert meta["HTTP_USER_AGENT"] == "pytest"
    assert "HTTP_CONTENT_TYPE" not in meta
    assert req.path == "/app/items/"
    assert req.path_info == "/items/"
    assert req.get_full_path() == "/app/items/?q=1"
    assert req.get_full_path_info() == "/items/?q=1"


def test_meta_without_client_or_server():
    req = request(client=None, server=None)
    assert "REMOTE_ADDR" not in req.META
    assert req.META["SERVER_NAME"] == "unknown"
    assert req.META["SERVER_PORT"] == "0"


@pytest.mark.parametrize(
    ("path", "root", "full", "info"),
    [
        ("/app", "/app", "/app", "/"),
        ("/app/", "/app", "/app/", "/"),
        ("/app/x/", "/app/", "/app/x/", "/x/"),
        ("/application/x/", "/app", "/app/application/x/", "/application/x/"),
        ("/x/", "/app", "/app/x/", "/x/"),  # a server that leaves root_path out of path
    ],
)
def test_script_prefix_handling(path, root, full, info):
    req = request(path=path, root_path=root)
    assert (req.path, req.path_info, req.META["SCRIPT_NAME"]) == (full, info, root)


def test_repeated_headers_are_joined_cookie_with_semicolon():
    req = request(
        headers=[
            (b"accept", b"text/html"),
            (b"accept", b"application/json"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
        ]
    )
    assert req.META["HTTP_ACCEPT"] == "text/html,application/json"
    assert req.META["HTTP_COOKIE"] == "a=1; b=2"
    assert req.COOKIES == {"a": "1", "b": "2"}


def test_underscore_header_is_dropped_not_merged():
    # BAD_INPUT 29 (CVE-2026-3902): X_Forwarded_Proto must not pass for X-Forwarded-Proto.
    req = request(headers=[(b"x_forwarded_proto", b"https"), (b"x-forwarded-proto", b"http")])
    assert req.META["HTTP_X_FORWARDED_PROTO"] == "http"
    assert req.headers["X-Forwarded-Proto"] == "http"
    only_underscore = request(headers=[(b"x_forwarded_proto", b"https")])
    assert "HTTP_X_FORWARDED_PROTO" not in only_underscore.META
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert not only_underscore.is_secure()


def test_joined_header_over_the_cap_is_a_bad_request_when_read():
    # BAD_INPUT 28: 10,000 copies of one header.
    headers = [(b"x-many", b"abcdefgh")] * 10_000 + [(b"user-agent", b"ua")]
    with override_settings(CYCLE_MAX_HEADER_VALUE=8190):
        req = request(headers=headers)
        meta = req.META
    assert meta["HTTP_USER_AGENT"] == "ua"
    assert req.headers["User-Agent"] == "ua"
    assert "HTTP_X_MANY" in meta
    with pytest.raises(BadRequest):
        meta["HTTP_X_MANY"]
    with pytest.raises(BadRequest):
        meta.get("HTTP_X_MANY")
    with pytest.raises(BadRequest):
        req.headers["X-Many"]
    with pytest.raises(BadRequest):
        req.headers.get("x_many")
    assert len(dict.__getitem__(meta, "HTTP_X_MANY")) == 0


def test_single_over_long_header_is_refused_on_read():
    with override_settings(CYCLE_MAX_HEADER_VALUE=100):
        req = request(headers=[(b"referer", b"r" * 101), (b"referer", b"again")])
        with pytest.raises(BadRequest):
            req.headers["Referer"]
        assert request(headers=[(b"referer", b"r" * 100)]).headers["Referer"] == "r" * 100


def test_header_name_cache_stays_bounded():
    from asgi_cycle.http import _meta as request_module

    for i in range(2000):
        _ = request(headers=[(f"x-random-{i}".encode(), b"1")]).META
    assert len(request_module._META_NAMES) <= request_module._META_NAMES_MAX


def test_oversized_cookie_header_is_refused_on_read():
    headers = [(b"cookie", b"c=" + b"v" * 5000)] * 3
    with override_settings(CYCLE_MAX_HEADER_VALUE=8190):
        req = request(headers=headers)
        with pytest.raises(BadRequest):
            _ = req.COOKIES


def test_headers_mapping_is_case_and_underscore_insensitive():
    req = request(headers=[(b"user-agent", b"ua"), (b"content-type", b"text/plain")])
    assert req.headers["User-Agent"] == "ua"
    assert req.headers["user_agent"] == "ua"
    assert req.headers["USER-AGENT"] == "ua"
    assert req.headers["Content-Type"] == "text/plain"
    assert "user_agent" in req.headers
    assert "Host" in req.headers
    assert set(req.headers) == {"Host", "User-Agent", "Content-Type"}


# -- get_host ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("example.com", ["example.com"]),
        ("EXAMPLE.com", ["example.com"]),
        ("example.com.", ["example.com"]),
        ("example.com:8080", ["example.com"]),
        ("sub.example.com", [".example.com"]),
        ("example.com", [".example.com"]),
        ("anything.org", ["*"]),
        ("[::1]", ["[::1]"]),
        ("[::1]:8000", ["[::1]"]),
        ("127.0.0.1:80", ["127.0.0.1"]),
    ],
)
def test_get_host_accepts(host, allowed):
    with override_settings(ALLOWED_HOSTS=allowed):
        assert request(host=host.encode()).get_host() == host


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("evil.com", ["example.com"]),  # BAD_INPUT 1
        ("example.com.evil.com", ["example.com"]),
        ("notexample.com", [".example.com"]),
        ("a@example.com", ["example.com", "*"]),  # BAD_INPUT 3: userinfo
        ("x y", ["*"]),
        ("example.com:abc", ["*"]),
        ("example.com:80:80", ["*"]),
        ("a" * 300 + ".com", ["*"]),
        ("example.com,evil.com", ["*"]),
        ("example.com\n", ["*"]),
        ("", ["*"]),
        ("[::1", ["*"]),
        ("exa_mple.com", ["*"]),
    ],
)
def test_get_host_refuses(host, allowed):
    with override_settings(ALLOWED_HOSTS=allowed):
        req = request(host=host.encode())
        with pytest.raises(DisallowedHost):
            req.get_host()


def test_debug_with_empty_allowed_hosts_allows_only_local_names():
    with override_settings(DEBUG=True, ALLOWED_HOSTS=[]):
        for host in ("localhost", "sub.localhost", "127.0.0.1:8000", "[::1]"):
            assert request(host=host.encode()).get_host() == host
        with pytest.raises(DisallowedHost):
            request(host=b"example.com").get_host()
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[]):
        with pytest.raises(DisallowedHost):
            request(host=b"localhost").get_host()


def test_x_forwarded_host_and_port_only_when_enabled():
    headers = [(b"x-forwarded-host", b"proxy.example.com"), (b"x-forwarded-port", b"8443")]
    with override_settings(ALLOWED_HOSTS=["testserver", "proxy.example.com"]):
        req = request(headers=headers)
        assert req.get_host() == "testserver"
        assert req.get_port() == "80"
        with override_settings(USE_X_FORWARDED_HOST=True, USE_X_FORWARDED_PORT=True):
            req = request(headers=headers)
            assert req.get_host() == "proxy.example.com"
            assert req.get_port() == "8443"


def test_missing_host_falls_back_to_server_address():
    with override_settings(ALLOWED_HOSTS=["10.1.2.3"]):
        req = request(host=None, server=("10.1.2.3", 8000), http_version="1.0")
        assert req.get_host() == "10.1.2.3:8000"
        assert request(host=None, server=("10.1.2.3", 80)).get_host() == "10.1.2.3"
        secure = request(host=None, server=("10.1.2.3", 443), scheme="https")
        assert secure.get_host() == "10.1.2.3"


# -- scheme, absolute URIs -------------------------------------------------------


def test_is_secure_from_scope_and_proxy_header():
    assert not request().is_secure()
    assert request(scheme="https").is_secure()
    proxied = request(headers=[(b"x-forwarded-proto", b"https, http")])
    assert not proxied.is_secure()
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert proxied.is_secure()
        assert proxied.scheme == "https"
        assert not request(scheme="https", headers=[(b"x-forwarded-proto", b"http")]).is_secure()
        assert request(scheme="https").is_secure()  # header absent: the scope decides
    with override_settings(SECURE_PROXY_SSL_HEADER=("ONLY_ONE",)):
        with pytest.raises(ImproperlyConfigured):
            request().is_secure()


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (None, "http://testserver/a/b/?x=1"),
        ("/c/", "http://testserver/c/"),
        ("d/", "http://testserver/a/b/d/"),
        ("../e", "http://testserver/a/e"),
        ("//other.com/x", "http://other.com/x"),
        ("https://else.org/p", "https://else.org/p"),
        ("/ü nicode", "http://testserver/%C3%BC%20nicode"),
        ("/a%0d%0aSet-Cookie:x", "http://testserver/a%0d%0aSet-Cookie:x"),
    ],
)
def test_build_absolute_uri(location, expected):
    req = request(path="/a/b/", query_string=b"x=1")
    assert req.build_absolute_uri(location) == expected


def test_build_absolute_uri_refuses_a_bad_host():
    with pytest.raises(DisallowedHost):
        request(host=b"evil.com").build_absolute_uri("/")


def test_get_full_path_escapes_path_and_query():
    req = request(path="/ü/ x", query_string="q=é".encode())
    assert req.get_full_path() == "/%C3%BC/%20x?q=%C3%A9"
    assert req.get_full_path(force_append_slash=True) == "/%C3%BC/%20x/?q=%C3%A9"


# -- body and streams -------------------------------------------------------------


def test_body_read_once_and_stream_methods():
    req = request("POST", body=b"line1\nline2\n")
    assert req.body == b"line1\nline2\n"
    assert req.body == b"line1\nline2\n"
    assert req.readline() == b"line1\n"
    assert list(req) == [b"line2\n"]

    streamed = request("POST", body=b"abc")
    assert streamed.read(1) == b"a"
    with pytest.raises(RawPostDataException):
        _ = streamed.body
    assert streamed.readlines() == [b"bc"]


def test_body_larger_than_the_data_limit_is_refused():
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=4):
        with pytest.raises(RequestDataTooBig):
            _ = request("POST", body=b"12345").body
        assert request("POST", body=b"1234").body == b"1234"


def test_content_type_params_and_encoding():
    req = request(headers=[(b"content-type", b'Text/Plain; Charset="latin-1"; x=y')])
    assert req.content_type == "text/plain"
    assert req.content_params == {"charset": "latin-1", "x": "y"}
    assert req.encoding == "latin-1"
    bogus = request(headers=[(b"content-type", b"text/plain; charset=nope")])
    assert bogus.encoding is None


def test_content_type_can_be_set():
    req = request(headers=[(b"content-type", b"text/plain; charset=utf-8")])
    req.content_type = "application/json"
    req.content_params = {}
    assert (req.content_type, req.content_params) == ("application/json", {})


def test_encoding_change_reparses_get():
    req = request(query_string=b"a=%E9")
    assert req.GET["a"] == "\ufffd"
    req.encoding = "latin-1"
    assert req.GET["a"] == "é"


def test_accepts_and_preferred_type():
    req = request(headers=[(b"accept", b"text/html;q=0.5, application/json, image/*;q=0")])
    assert req.accepts("application/json")
    assert req.accepts("text/html")
    assert not req.accepts("image/png")
    assert not req.accepts("text/plain")
    assert req.get_preferred_type(["text/html", "application/json"]) == "application/json"
    assert req.get_preferred_type(["image/png"]) is None
    assert request().accepts("anything/at-all")  # no Accept header means */*
    hostile = request(headers=[(b"accept", b";" * 4000 + b'a/b;q="' + b"\\" * 4000)])
    assert not hostile.accepts("text/html")
    too_long = request(headers=[(b"accept", b";" * 9000)])
    with pytest.raises(BadRequest):
        too_long.accepts("text/html")


def test_signed_cookie_round_trip_and_tampering():
    response = HttpResponse()
    response.set_signed_cookie("who", "alice", salt="s")
    value = response.cookies["who"].value
    good = request(headers=[(b"cookie", f"who={value}".encode())])
    assert good.get_signed_cookie("who", salt="s") == "alice"
    assert good.get_signed_cookie("who", default=None, salt="other") is None
    assert good.get_signed_cookie("missing", default="d") == "d"
    with pytest.raises(KeyError):
        good.get_signed_cookie("missing")
    forged = request(headers=[(b"cookie", f"who=mallory{value[5:]}".encode())])
    assert forged.get_signed_cookie("who", default=None, salt="s") is None
    from asgi_cycle.core.signing import BadSignature

    with pytest.raises(BadSignature):
        forged.get_signed_cookie("who", salt="s")


def test_plain_httprequest_is_constructible_and_settable():
    req = HttpRequest()
    assert req.method is None
    assert req.GET == {} and req.POST == {} and req.FILES == {} and req.COOKIES == {}
    assert req.META == {}
    assert req.resolver_match is None
    assert req.urlconf is None
    assert repr(req) == "<HttpRequest>"
    req.method = "GET"
    req.path = "/x/"
    req.META = {"HTTP_HOST": "testserver", "SERVER_PORT": "80"}
    req.GET = QueryDict("a=1")
    assert req.get_host() == "testserver"
    assert req.get_full_path() == "/x/"
    assert req.headers["Host"] == "testserver"
    assert repr(req) == "<HttpRequest: GET '/x/'>"


def test_repr_and_close():
    body = io.BytesIO(b"")
    req = ASGIRequest(scope("GET", "/p/"), body)
    assert repr(req) == "<ASGIRequest: GET '/p/'>"
    req.close()
    assert body.closed


def test_httpheaders_name_conversions():
    from asgi_cycle.http import HttpHeaders

    assert HttpHeaders.parse_header_name("HTTP_X_REAL_IP") == "X-Real-Ip"
    assert HttpHeaders.parse_header_name("CONTENT_LENGTH") == "Content-Length"
    assert HttpHeaders.parse_header_name("REMOTE_ADDR") is None
    assert HttpHeaders.to_wsgi_name("X-Real-Ip") == "HTTP_X_REAL_IP"
    assert HttpHeaders.to_wsgi_name("content-type") == "CONTENT_TYPE"
    assert HttpHeaders.to_asgi_name("X-Real-Ip") == "X_REAL_IP"
    assert HttpHeaders.to_wsgi_names({"Accept": "a"}) == {"HTTP_ACCEPT": "a"}
    assert HttpHeaders.to_asgi_names({"Accept": "a"}) == {"ACCEPT": "a"}


def test_media_type_details():
    from asgi_cycle.http.headers import MediaType

    media = MediaType(b"text/html; q=0.8; level=1")
    assert str(media) == "text/html; q=0.8; level=1"
    assert repr(media) == "<MediaType: text/html; q=0.8; level=1>"
    assert media.quality == 0.8
    assert not media.is_all_types and MediaType("*/*").is_all_types
    assert MediaType("a/b;q=x").quality == 1.0
    assert MediaType("a/b;q=7").quality == 1.0
    assert not media.match("")
    assert not MediaType("text").match("text/html")
    assert MediaType("text/*").match(MediaType("text/plain"))
    assert not MediaType("image/*").match("text/plain")
