"""The per-request shortcuts give the answers of the long way round.

``get_host()`` reads the Host header from the scope (META stays unbuilt) and
remembers hosts that passed; headers set on every response are validated once.
"""

from __future__ import annotations

from typing import Any

import pytest

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import BadRequest, DisallowedHost
from asgi_cycle.http import HttpResponse, HttpResponseNotModified, JsonResponse
from asgi_cycle.http.request import ASGIRequest
from asgi_cycle.http.response import HttpResponseBase
from asgi_cycle.http.response_headers import (
    BadHeaderError,
    ResponseHeaders,
    content_length_header,
    prepare_header,
)
from asgi_cycle.test.utils import override_settings

from .helpers import request, scope

# -- get_host without META ---------------------------------------------------------


def test_get_host_does_not_build_meta():
    req = request(host=b"testserver:8000")
    assert req.get_host() == "testserver:8000"
    assert "META" not in req.__dict__


@pytest.mark.parametrize(
    "headers",
    [
        [(b"host", b"testserver")],
        [(b"Host", b"testserver")],
        [(b"user-agent", b"x"), (b"host", b"localhost:81"), (b"accept", b"*/*")],
        [(b"host", b"testserver"), (b"host", b"localhost")],
        [(b"host", b"testserver"), (b"Host", b"localhost")],
        [(b"host", b"evil.example")],
        [],
    ],
)
def test_get_host_agrees_with_meta(headers):
    fast = request(host=None, headers=headers)
    slow = request(host=None, headers=headers)
    slow.META  # noqa: B018 - build META first: get_host() then reads it
    outcomes = []
    for req in (fast, slow):
        try:
            outcomes.append(req.get_host())
        except DisallowedHost as exc:
            outcomes.append(f"refused: {exc}")
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize(
    "headers",
    [
        [(b"host", b"testserver")],
        [(b"Host", b"testserver")],
        [(b"host", b"testserver"), (b"host", b"localhost")],
        [(b"host", b"testserver"), (b"HOST", b"testserver")],
        [(b"host", b"evil.example")],
        [],
    ],
)
def test_a_host_accepted_before_gets_the_same_answer(headers):
    answers = []
    for _ in range(3):  # the first call fills the table of accepted hosts
        try:
            answers.append(request(host=None, headers=headers).get_host())
        except (DisallowedHost, BadRequest) as exc:
            answers.append(f"refused: {exc}")
    assert answers[0] == answers[1] == answers[2]


def test_an_accepted_host_over_a_new_header_cap_is_refused():
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert request(host=b"a" * 30 + b".com").get_host() == "a" * 30 + ".com"
        with override_settings(CYCLE_MAX_HEADER_VALUE=20):
            with pytest.raises(BadRequest):
                request(host=b"a" * 30 + b".com").get_host()


def test_debug_with_no_allowed_hosts_accepts_localhost_every_time():
    with override_settings(DEBUG=True, ALLOWED_HOSTS=[]):
        for _ in range(2):
            assert request(host=b"localhost:8000").get_host() == "localhost:8000"
            with pytest.raises(DisallowedHost):
                request(host=b"example.com").get_host()


def test_a_subclass_raw_host_is_honoured_every_time():
    class Proxied(ASGIRequest):
        def _get_raw_host(self) -> str:
            return "localhost"

    assert not Proxied._scope_host_ok and ASGIRequest._scope_host_ok
    for _ in range(2):
        assert Proxied(scope(host=b"evil.example")).get_host() == "localhost"


def test_a_host_over_the_header_cap_is_a_bad_request():
    with override_settings(CYCLE_MAX_HEADER_VALUE=20, ALLOWED_HOSTS=["*"]):
        with pytest.raises(BadRequest):
            request(host=b"a" * 30 + b".com").get_host()


def test_a_meta_change_is_seen_by_get_host():
    req = request(host=b"testserver")
    req.META["HTTP_HOST"] = "localhost"
    assert req.get_host() == "localhost"


def test_an_accepted_host_is_refused_once_allowed_hosts_changes():
    with override_settings(ALLOWED_HOSTS=["a.example"]):
        assert request(host=b"a.example").get_host() == "a.example"
        with override_settings(ALLOWED_HOSTS=["b.example"]):
            with pytest.raises(DisallowedHost):
                request(host=b"a.example").get_host()
        assert request(host=b"a.example").get_host() == "a.example"


def test_an_allowed_hosts_assigned_directly_is_honoured():
    with override_settings(ALLOWED_HOSTS=["a.example"]):
        assert request(host=b"a.example").get_host() == "a.example"
        settings.ALLOWED_HOSTS = ["b.example"]  # no setting_changed signal
        with pytest.raises(DisallowedHost):
            request(host=b"a.example").get_host()


def test_many_distinct_hosts_keep_working():
    with override_settings(ALLOWED_HOSTS=[".example"]):
        for number in range(600):
            host = f"h{number}.example"
            assert request(host=host.encode()).get_host() == host
        with pytest.raises(DisallowedHost):
            request(host=b"other.test").get_host()


# -- headers prepared once -----------------------------------------------------------


def test_a_prepared_header_reads_like_one_set_by_item():
    by_item = ResponseHeaders()
    by_item["X-Frame-Options"] = "DENY"
    prepared = ResponseHeaders()
    prepared.put(prepare_header("X-Frame-Options", "DENY"))
    assert prepared == by_item
    assert prepared.raw() == by_item.raw() == [(b"x-frame-options", b"DENY")]
    assert list(prepared) == ["X-Frame-Options"]
    assert prepared["x-frame-options"] == "DENY"


def test_put_default_keeps_a_value_already_set():
    headers = ResponseHeaders({"Referrer-Policy": "no-referrer"})
    headers.put_default(prepare_header("referrer-policy", "same-origin"))
    headers.put_default(prepare_header("X-Content-Type-Options", "nosniff"))
    assert dict(headers) == {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


@pytest.mark.parametrize(("name", "value"), [("X-Bad", "a\r\nb"), ("Bad Name", "v")])
def test_prepare_header_validates(name, value):
    with pytest.raises(BadHeaderError):
        prepare_header(name, value)


def test_content_length_header():
    headers = ResponseHeaders()
    headers.put(content_length_header(1234))
    assert headers["content-length"] == "1234"
    assert headers.raw() == [(b"content-length", b"1234")]


def test_content_types_are_validated_as_before():
    with pytest.raises(BadHeaderError):
        HttpResponse(b"", content_type="text/plain\r\nX-Injected: 1")
    response = HttpResponse(b"x", content_type="text/plain; charset=latin-1")
    assert response.charset == "latin-1"
    assert response["Content-Type"] == "text/plain; charset=latin-1"


def test_bytes_content_still_goes_through_a_subclass_setter():
    with pytest.raises(AttributeError):
        HttpResponseNotModified(b"body")
    assert HttpResponse(b"body").content == b"body"


# -- META: built once, assignable, deletable -------------------------------------------


def test_meta_is_built_once_and_kept():
    req = request(host=b"testserver")
    meta = req.META
    assert req.META is meta
    assert req.__dict__["META"] is meta
    assert meta["HTTP_HOST"] == "testserver"


def test_an_assigned_meta_is_what_get_host_and_headers_read():
    req = request(host=b"testserver")
    req.META = {"HTTP_HOST": "localhost", "SERVER_PORT": "80"}
    assert req.get_host() == "localhost"
    assert req.headers["Host"] == "localhost"


def test_a_deleted_meta_is_built_again_from_the_scope():
    req = request(host=b"testserver")
    req.META["HTTP_HOST"] = "changed"
    del req.META
    assert "META" not in req.__dict__
    assert req.META["HTTP_HOST"] == "testserver"


def test_a_flag_set_in_meta_by_hand_still_sends_the_csrf_cookie():
    from asgi_cycle.middleware.csrf import CsrfViewMiddleware

    req = request(host=b"testserver")
    req.META["CSRF_COOKIE"] = "a" * 32
    req.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    middleware = CsrfViewMiddleware(lambda request: HttpResponse(b""))
    response = middleware(req)
    assert response.cookies[settings.CSRF_COOKIE_NAME].value == "a" * 32


# -- an empty body without a stream until read -----------------------------------------


def test_a_request_without_a_body_file_reads_as_empty():
    from asgi_cycle.http.request import ASGIRequest

    from .helpers import scope

    for use in ("body", "read", "readline", "post", "close"):
        req = ASGIRequest(scope("POST", headers=[(b"content-type", b"text/plain")]))
        if use == "body":
            assert req.body == b""
        elif use == "read":
            assert req.read() == b""
            assert req.read() == b""
        elif use == "readline":
            assert list(req) == []
        elif use == "post":
            assert req.POST == {}
            assert req.body == b""
        else:
            req.close()  # nothing was opened: nothing to close, no error


@pytest.mark.parametrize("length", [0, 13, 4095, 4096, 10**9])
def test_content_length_header_of_any_length(length):
    headers = ResponseHeaders()
    headers.put(content_length_header(length))
    assert headers["Content-Length"] == str(length)
    assert headers.raw() == [(b"content-length", str(length).encode())]
    assert content_length_header(length) == content_length_header(length)


class _Body:
    def __init__(self, content: bytes) -> None:
        self.reads = 0
        self._content = content

    @property
    def content(self) -> bytes:
        self.reads += 1
        return self._content


def test_put_default_length_reads_the_content_only_when_missing():
    headers = ResponseHeaders()
    body = _Body(b"hello")
    headers.put_default_length(body)
    assert headers.raw() == [(b"content-length", b"5")]
    headers.put_default_length(_Body(b"longer body"))
    assert headers["Content-Length"] == "5"
    preset = ResponseHeaders({"Content-Length": "99"})
    untouched = _Body(b"x")
    preset.put_default_length(untouched)
    assert preset["Content-Length"] == "99" and untouched.reads == 0


# -- the inline HttpResponse constructor --------------------------------------------


def _as_built(response: HttpResponse) -> tuple[object, ...]:
    return (
        response.status_code,
        response.charset,
        response.reason_phrase,
        response.headers.raw(),
        list(response.headers.items()),
        response.content,
        response._resource_closers,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"content_type": "text/plain"},
        {"content_type": "application/json"},
        {"content_type": ""},
        {"content_type": "text/x-never-seen-before"},
        {"status": 201},
        {"charset": "latin-1"},
        {"reason": "Fine"},
        {"headers": {"X-A": "1"}},
    ],
)
def test_the_inline_constructor_builds_what_the_base_class_builds(kwargs):
    class Cooperative:
        pass

    # A class between HttpResponse and HttpResponseBase makes the long way round run.
    class Mixin(HttpResponseBase):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self.mixin_ran = True

    class Long(HttpResponse, Mixin):
        pass

    class Short(HttpResponse, Cooperative):
        pass

    assert not Long._plain_base and Short._plain_base
    long_way = Long(b"body", **kwargs)
    assert long_way.mixin_ran
    assert _as_built(HttpResponse(b"body", **kwargs)) == _as_built(long_way)
    assert _as_built(Short(b"body", **kwargs)) == _as_built(long_way)


def test_the_inline_constructor_reads_the_default_charset():
    with override_settings(DEFAULT_CHARSET="latin-1"):
        response = HttpResponse(b"x")
    assert response["Content-Type"] == "text/html; charset=latin-1"
    assert HttpResponse(b"x")["Content-Type"] == "text/html; charset=utf-8"


def test_a_json_response_subclass_with_a_mixin_runs_the_mixin():
    class Mixin(HttpResponse):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self.mixin_ran = True

    class Tagged(JsonResponse, Mixin):
        pass

    assert JsonResponse._plain_json and not Tagged._plain_json
    tagged, plain = Tagged({"a": 1}), JsonResponse({"a": 1})
    assert tagged.mixin_ran
    assert _as_built(tagged) == _as_built(plain)
    assert plain.content == b'{"a": 1}' and plain["Content-Type"] == "application/json"
