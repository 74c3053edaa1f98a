"""HttpResponse and friends: headers, cookies, content, JSON, redirects, asgi_headers."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import pytest

from asgi_cycle.core.exceptions import DisallowedRedirect
from asgi_cycle.http import (
    BadHeaderError,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from asgi_cycle.test.utils import override_settings


def test_defaults():
    response = HttpResponse()
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.charset == "utf-8"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == b""
    assert not response.streaming
    assert not response.is_async
    assert repr(response) == '<HttpResponse status_code=200, "text/html; charset=utf-8">'


def test_status_reason_and_charset():
    response = HttpResponse(status=418, reason="Teapot", charset="latin-1")
    assert (response.status_code, response.reason_phrase) == (418, "Teapot")
    assert response["Content-Type"] == "text/html; charset=latin-1"
    assert HttpResponse(status=599).reason_phrase == "Unknown Status Code"
    assert HttpResponse(content_type='text/plain; charset="koi8-r"').charset == "koi8-r"
    with override_settings(DEFAULT_CHARSET="latin-1"):
        assert HttpResponse("é").content == b"\xe9"
    with pytest.raises(TypeError):
        HttpResponse(status="abc")
    with pytest.raises(ValueError):
        HttpResponse(status=600)
    with pytest.raises(ValueError):
        HttpResponse(content_type="text/plain", headers={"Content-Type": "text/html"})


def test_content_kinds():
    assert HttpResponse("é").content == "é".encode()
    assert HttpResponse(b"raw").content == b"raw"
    assert HttpResponse(memoryview(b"mv")).content == b"mv"
    assert HttpResponse(12).content == b"12"
    assert HttpResponse(["a", b"b", 3]).content == b"ab3"

    class Closing:
        closed = False

        def __iter__(self):
            return iter([b"x", b"y"])

        def close(self):
            self.closed = True

    source = Closing()
    assert HttpResponse(source).content == b"xy"
    assert source.closed


def test_file_like_interface():
    response = HttpResponse()
    response.write("a")
    response.writelines([b"b", "c"])
    assert response.content == b"abc"
    assert response.getvalue() == b"abc"
    assert response.tell() == 3
    assert response.text == "abc"
    assert b"".join(response) == b"abc"
    assert response.writable() and not response.readable() and not response.seekable()
    base = HttpResponseBase()
    with pytest.raises(OSError):
        base.write(b"x")
    with pytest.raises(OSError):
        base.tell()


def test_header_access_is_case_insensitive():
    response = HttpResponse(headers={"X-A": "1"})
    response["x-b"] = "2"
    assert response["X-B"] == "2"
    assert response.has_header("x-a") and "X-A" in response
    assert response.get("missing", "d") == "d"
    response.setdefault("X-A", "other")
    response.setdefault("X-C", "3")
    assert response["X-A"] == "1" and response["X-C"] == "3"
    del response["X-A"]
    del response["never-set"]
    assert not response.has_header("X-A")
    assert dict(response.items()) == {
        "Content-Type": "text/html; charset=utf-8",
        "x-b": "2",
        "X-C": "3",
    }
    assert response.headers == {"content-type": "text/html; charset=utf-8", "X-B": "2", "x-c": "3"}


@pytest.mark.parametrize("value", ["a\nb", "a\rb", "x\r\nSet-Cookie: evil=1", b"a\nb", b"\xff\n"])
def test_newlines_in_header_values_raise(value):
    # BAD_INPUT 21/23: never a header split.
    response = HttpResponse()
    with pytest.raises(BadHeaderError):
        response["X-Bad"] = value
    assert "X-Bad" not in response


@pytest.mark.parametrize("value", ["a\x00b", "a\x0bb", "a\x0cb", "\x1b[31m", "a\x7f", b"\x01"])
def test_nul_and_other_breaking_controls_in_values_raise(value):
    with pytest.raises(BadHeaderError):
        HttpResponse()["X-Bad"] = value


def test_tabs_and_latin1_in_values_are_fine():
    response = HttpResponse()
    response["X-Tab"] = "a\tb"
    assert response["X-Tab"] == "a\tb"


@pytest.mark.parametrize("name", ["X-Bad\r\nInjected", "X Bad", "X:Bad", "", "X\x00", "(x)"])
def test_header_names_must_be_tokens(name):
    with pytest.raises(BadHeaderError):
        HttpResponse()[name] = "1"


def test_newline_in_header_name_raises():
    with pytest.raises(BadHeaderError):
        HttpResponse()["X-Bad\r\nInjected"] = "1"
    with pytest.raises(UnicodeError):
        HttpResponse()["Ünicode-Name"] = "1"


def test_header_values_types_and_mime_encoding():
    response = HttpResponse()
    response["X-Int"] = 42
    response["X-Bytes"] = b"bytes"
    response["X-Latin"] = "café"
    response["X-Unicode"] = "€uro"
    assert response["X-Int"] == "42"
    assert response["X-Bytes"] == "bytes"
    assert response["X-Latin"] == "café"
    assert response["X-Unicode"] == "=?utf-8?b?4oKsdXJv?="
    raw = dict(response.asgi_headers())
    assert raw[b"x-latin"] == "café".encode("latin-1")
    assert raw[b"x-unicode"] == b"=?utf-8?b?4oKsdXJv?="


def test_asgi_headers_exact_output():
    response = HttpResponse(b"hello", headers={"X-Frame-Options": "DENY"})
    response["Cache-Control"] = "no-cache"
    response.set_cookie("a", "1", httponly=True)
    response.set_cookie("b", "2", samesite="Lax", secure=True)
    assert response.asgi_headers() == [
        (b"x-frame-options", b"DENY"),
        (b"content-type", b"text/html; charset=utf-8"),
        (b"cache-control", b"no-cache"),
        (b"set-cookie", b"a=1; HttpOnly; Path=/"),
        (b"set-cookie", b"b=2; Path=/; SameSite=Lax; Secure"),
        (b"content-length", b"5"),
    ]
    # Calling it twice gives the same list, and does not share state.
    first = response.asgi_headers()
    first.append((b"x", b"y"))
    assert (b"x", b"y") not in response.asgi_headers()


def test_asgi_headers_content_length_rules():
    explicit = HttpResponse(b"abc")
    explicit["Content-Length"] = "3"
    assert [v for k, v in explicit.asgi_headers() if k == b"content-length"] == [b"3"]
    written = HttpResponse()
    written.write(b"ab")
    written.write("é")
    assert dict(written.asgi_headers())[b"content-length"] == b"4"
    for status in (204, 304, 101):
        assert b"content-length" not in dict(HttpResponse(status=status).asgi_headers())
    assert b"content-type" not in dict(HttpResponseNotModified().asgi_headers())
    assert HttpResponse(b"x").serialize_headers() == (
        b"content-type: text/html; charset=utf-8\r\ncontent-length: 1"
    )


def test_set_cookie_options():
    response = HttpResponse()
    response.set_cookie(
        "full",
        "v",
        max_age=datetime.timedelta(hours=1),
        path="/p/",
        domain=".example.com",
        secure=True,
        httponly=True,
        samesite="Strict",
    )
    morsel = response.cookies["full"]
    assert morsel["max-age"] == 3600
    assert morsel["expires"].endswith("GMT")
    assert morsel["path"] == "/p/"
    assert morsel["domain"] == ".example.com"
    assert morsel["secure"] is True and morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    response.set_cookie("quoted", 'a "b" c')
    assert response.cookies["quoted"].OutputString().startswith('quoted="a \\"b\\" c"')


def test_set_cookie_expires_datetime_becomes_max_age():
    response = HttpResponse()
    future = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=100)
    response.set_cookie("d", "1", expires=future)
    assert 90 <= response.cookies["d"]["max-age"] <= 101
    naive = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None) - datetime.timedelta(
        days=1
    )
    response.set_cookie("past", "1", expires=naive)
    assert response.cookies["past"]["max-age"] == 0
    response.set_cookie("text", "1", expires="Wed, 21 Oct 2015 07:28:00 GMT")
    assert response.cookies["text"]["expires"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    with pytest.raises(ValueError, match="can't be used together"):
        response.set_cookie("both", "1", expires=future, max_age=10)


@pytest.mark.parametrize(
    ("key", "value"),
    [("k", "a\nb"), ("k", "a\rb"), ("k", "a;b"), ("k", "x; Domain=evil.com"), ("a;b", "v")],
)
def test_cookie_values_with_newline_or_semicolon_are_refused(key, value):
    # BAD_INPUT 23.
    with pytest.raises(BadHeaderError):
        HttpResponse().set_cookie(key, value)


def test_cookie_values_beyond_latin1_are_refused_at_set_time():
    response = HttpResponse()
    response.set_cookie("ok", "café")
    assert b"set-cookie" in dict(response.asgi_headers())
    with pytest.raises(BadHeaderError):
        response.set_cookie("euro", "5€")
    with pytest.raises(BadHeaderError):
        response.set_cookie("c", "v", path="/ü€/")


def test_invalid_cookie_name_and_samesite():
    with pytest.raises(BadHeaderError):
        HttpResponse().set_cookie("bad name", "v")
    with pytest.raises(ValueError, match="samesite"):
        HttpResponse().set_cookie("k", "v", samesite="sometimes")


def test_delete_cookie():
    response = HttpResponse()
    response.delete_cookie("c", path="/x/", domain="example.com")
    morsel = response.cookies["c"]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert morsel["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert morsel["path"] == "/x/" and morsel["domain"] == "example.com"
    assert not morsel["secure"]
    response.delete_cookie("__Host-c")
    assert response.cookies["__Host-c"]["secure"] is True
    response.delete_cookie("n", samesite="None")
    assert response.cookies["n"]["secure"] is True


def test_close_runs_every_closer_once():
    calls = []
    response = HttpResponse()
    response._resource_closers.append(lambda: calls.append(1))
    response._resource_closers.append(lambda: 1 / 0)
    response._resource_closers.append(lambda: calls.append(2))
    response.close()
    response.close()
    assert calls == [1, 2]
    assert response.closed


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (HttpResponseBadRequest, 400),
        (HttpResponseForbidden, 403),
        (HttpResponseNotFound, 404),
        (HttpResponseGone, 410),
        (HttpResponseServerError, 500),
    ],
)
def test_status_subclasses(cls, status):
    assert cls("x").status_code == status


def test_not_allowed_and_not_modified():
    response = HttpResponseNotAllowed(["GET", "POST"])
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "[GET, POST]" in repr(response)
    not_modified = HttpResponseNotModified()
    assert not_modified.status_code == 304
    assert "Content-Type" not in not_modified
    with pytest.raises(AttributeError):
        not_modified.content = b"body"


def test_http404_is_an_exception():
    with pytest.raises(Http404):
        raise Http404("missing")


# -- JsonResponse ---------------------------------------------------------------


def test_json_response_encodes_django_types():
    moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    response = JsonResponse(
        {
            "price": decimal.Decimal("5.00"),
            "when": moment,
            "day": datetime.date(2026, 1, 2),
            "at": datetime.time(3, 4, 5, 678901),
            "took": datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=5),
            "neg": datetime.timedelta(seconds=-1),
            "id": ident,
        }
    )
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "price": "5.00",
        "when": "2026-01-02T03:04:05.678Z",
        "day": "2026-01-02",
        "at": "03:04:05.678",
        "took": "P1DT02H03M04.000005S",
        "neg": "-P0DT00H00M01S",
        "id": str(ident),
    }
    aware_time = datetime.time(1, tzinfo=datetime.UTC)
    with pytest.raises(ValueError):
        JsonResponse({"t": aware_time})
    with pytest.raises(TypeError):
        JsonResponse({"o": object()})


def test_json_response_safe_refuses_non_dicts_exactly_like_django():
    for data in ([1, 2], "s", 1, None):
        with pytest.raises(TypeError) as info:
            JsonResponse(data)
        assert str(info.value) == (
            "In order to allow non-dict objects to be serialized set the safe parameter to False."
        )
    assert JsonResponse([1, 2], safe=False).content == b"[1, 2]"


def test_json_response_options():
    response = JsonResponse(
        {"b": 1, "a": "é"},
        json_dumps_params={"sort_keys": True, "ensure_ascii": False},
        status=201,
        content_type="application/vnd.api+json",
    )
    assert response.content == '{"a": "é", "b": 1}'.encode()
    assert response.status_code == 201
    assert response["Content-Type"] == "application/vnd.api+json"

    class Custom(json.JSONEncoder):
        def default(self, o):
            return "custom"

    assert JsonResponse({"o": object()}, encoder=Custom).content == b'{"o": "custom"}'


# -- redirects --------------------------------------------------------------------


def test_redirects():
    found = HttpResponseRedirect("/next/")
    assert found.status_code == 302
    assert found.url == found["Location"] == "/next/"
    assert 'url="/next/"' in repr(found)
    moved = HttpResponsePermanentRedirect("https://example.com/ü")
    assert moved.status_code == 301
    assert moved.url == "https://example.com/%C3%BC"
    assert HttpResponseRedirect("/x", preserve_request=True).status_code == 307
    assert HttpResponsePermanentRedirect("/x", preserve_request=True).status_code == 308
    assert HttpResponseRedirect("ftp://files.example.com/").status_code == 302


def test_redirect_crlf_is_percent_encoded_not_a_header_split():
    # BAD_INPUT 21.
    response = HttpResponseRedirect("/a\r\nSet-Cookie: x=1")
    assert response["Location"] == "/a%0D%0ASet-Cookie:%20x=1"
    assert [k for k, _ in response.asgi_headers()].count(b"set-cookie") == 0


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "/" + "a" * 2048,
    ],
)
def test_unsafe_redirects_are_disallowed(target):
    # BAD_INPUT 22.
    with pytest.raises(DisallowedRedirect):
        HttpResponseRedirect(target)


def test_response_headers_mapping_details():
    from asgi_cycle.http import ResponseHeaders

    headers = ResponseHeaders({"A": "1"})
    assert headers.pop("a") == "1"
    assert headers.pop("a", "gone") == "gone"
    with pytest.raises(KeyError):
        headers.pop("a")
    assert headers.setdefault("B", "2") == "2"
    assert len(headers) == 1 and list(headers) == ["B"]
    assert repr(headers) == "{'B': '2'}"
    assert headers.__eq__(1) is NotImplemented
    headers["X"] = b"\xff"  # any byte is latin-1
    assert headers["x"] == "ÿ"
    with pytest.raises(UnicodeDecodeError):
        headers[b"N\xc3\xa4me"] = "v"  # type: ignore[index]  # names must be ASCII


def test_serialize_and_pickle():
    import pickle

    response = HttpResponse(b"body", headers={"X-A": "1"})
    response.set_cookie("c", "v")
    response._resource_closers.append(lambda: None)
    assert bytes(response) == (
        b"x-a: 1\r\ncontent-type: text/html; charset=utf-8\r\nset-cookie: c=v; Path=/\r\n"
        b"content-length: 4\r\n\r\nbody"
    )
    copy = pickle.loads(pickle.dumps(response))
    assert copy.content == b"body"
    assert copy["X-A"] == "1"
    assert copy.cookies["c"].value == "v"
    assert copy._resource_closers == []
    assert copy.asgi_headers() == response.asgi_headers()
