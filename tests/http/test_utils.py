"""utils.http and utils.encoding: dates, ETags, safe redirects, IRIs."""

from __future__ import annotations

import datetime

import pytest

from asgi_cycle.utils.datastructures import MultiValueDict
from asgi_cycle.utils.encoding import (
    DjangoUnicodeDecodeError,
    escape_uri_path,
    force_bytes,
    force_str,
    iri_to_uri,
    punycode,
    repercent_broken_unicode,
    smart_bytes,
    smart_str,
    uri_to_iri,
)
from asgi_cycle.utils.http import (
    base36_to_int,
    content_disposition_header,
    escape_leading_slashes,
    http_date,
    int_to_base36,
    parse_etags,
    parse_header_parameters,
    parse_http_date,
    parse_http_date_safe,
    quote_etag,
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)


@pytest.mark.parametrize(
    "url",
    [
        "//evil.com",
        "\\\\evil.com",
        "\\/evil.com",
        "/\\evil.com",
        "http://evil.com",
        "https://evil.com/",
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://example.com",
        "http:999999999",
        "///example.com",
        "\x08//evil.com",
        "",
        None,
        "/" + "a" * 2048,
        "https://example.com@evil.com/",
        "http://example.com\\@evil.com",
        "http:/\\evil.com",
        "https:evil.com",
        " javascript:alert(1)",
        "\njavascript:alert(1)",
    ],
)
def test_unsafe_urls(url):
    assert not url_has_allowed_host_and_scheme(url, allowed_hosts={"example.com"})


@pytest.mark.parametrize(
    "url",
    [
        "/next/",
        "next/",
        "/a?b=c",
        "http://example.com/x",
        "//example.com/x",
        "https://example.com",
    ],
)
def test_safe_urls(url):
    assert url_has_allowed_host_and_scheme(url, allowed_hosts="example.com")


def test_require_https():
    assert not url_has_allowed_host_and_scheme(
        "http://example.com/", {"example.com"}, require_https=True
    )
    assert url_has_allowed_host_and_scheme(
        "https://example.com/", {"example.com"}, require_https=True
    )
    assert not url_has_allowed_host_and_scheme("http://example.com/", None)


def test_http_dates_round_trip():
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777
    assert parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == 784111777
    now = datetime.datetime.now(tz=datetime.UTC)
    two_digit = f"Monday, 01-Jan-{(now.year + 10) % 100:02d} 00:00:00 GMT"
    parsed = datetime.datetime.fromtimestamp(parse_http_date(two_digit), tz=datetime.UTC)
    assert parsed.year == now.year + 10
    for bad in ("yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 32 Nov 1994 08:49:37 GMT"):
        with pytest.raises(ValueError):
            parse_http_date(bad)
        assert parse_http_date_safe(bad) is None


def test_etags():
    assert quote_etag("abc") == '"abc"'
    assert quote_etag('"abc"') == '"abc"'
    assert quote_etag('W/"abc"') == 'W/"abc"'
    assert parse_etags('"a", W/"b", c, ""') == ['"a"', 'W/"b"', '""']
    assert parse_etags(" * ") == ["*"]


def test_urlencode():
    assert urlencode({"a": 1, "b": "x y"}) == "a=1&b=x+y"
    assert urlencode([("a", ["1", "2"])], doseq=True) == "a=1&a=2"
    assert urlencode(MultiValueDict({"a": ["1", "2"]}), doseq=True) == "a=1&a=2"
    assert urlencode({"a": "xy"}, doseq=True) == "a=xy"
    assert urlencode({"a": 3}, doseq=True) == "a=3"
    with pytest.raises(TypeError, match="Cannot encode None"):
        urlencode({"a": None})
    with pytest.raises(TypeError):
        urlencode({"a": [None]}, doseq=True)


def test_content_disposition_header():
    assert content_disposition_header(False, "") is None
    assert content_disposition_header(True, "") == "attachment"
    assert content_disposition_header(False, "a.txt") == 'inline; filename="a.txt"'
    assert (
        content_disposition_header(True, "€.txt") == "attachment; filename*=utf-8''%E2%82%AC.txt"
    )


def test_small_helpers():
    assert escape_leading_slashes("//evil.com/x") == "/%2Fevil.com/x"
    assert escape_leading_slashes("/ok/") == "/ok/"
    assert int_to_base36(0) == "0" and int_to_base36(1295) == "zz"
    assert base36_to_int("zz") == 1295
    with pytest.raises(ValueError):
        base36_to_int("1" * 14)
    with pytest.raises(ValueError):
        int_to_base36(-1)
    assert urlsafe_base64_encode(b"\xff\xfe") == "__4"
    assert urlsafe_base64_decode("__4") == b"\xff\xfe"
    with pytest.raises(ValueError):
        urlsafe_base64_decode("abcde")
    assert parse_header_parameters('text/HTML; Charset="x"') == ("text/html", {"charset": "x"})
    assert parse_header_parameters("a/b;" + "x" * 20_000) == ("a/b", {})


def test_encoding_helpers():
    assert force_str(b"\xc3\xa9") == "é"
    assert force_str(1) == "1"
    assert force_str(None, strings_only=True) is None
    with pytest.raises(DjangoUnicodeDecodeError):
        force_str(b"\xff")
    assert force_bytes("é") == b"\xc3\xa9"
    assert force_bytes("é", "latin-1") == b"\xe9"
    assert force_bytes(b"\xc3\xa9", "latin-1") == b"\xe9"
    assert force_bytes(memoryview(b"m")) == b"m"
    assert force_bytes(1, strings_only=True) == 1
    assert smart_str(b"a") == "a" and smart_bytes("a") == b"a"


def test_iri_and_uri():
    assert iri_to_uri("/ü/?q=1&r=é#frag") == "/%C3%BC/?q=1&r=%C3%A9#frag"
    assert iri_to_uri("/a%20b") == "/a%20b"
    assert iri_to_uri("/a\r\nb") == "/a%0D%0Ab"
    assert iri_to_uri(None) is None
    assert escape_uri_path("/a b/?c") == "/a%20b/%3Fc"
    broken = b"/\xff\xfe/".decode("utf-8", "surrogateescape")
    assert escape_uri_path(broken) == "/%FF%FE/"
    assert iri_to_uri(broken) == "/%FF%FE/"
    assert uri_to_iri("/%C3%BC/%20%2F?x") == "/ü/%20%2F?x"
    assert uri_to_iri("/%ff") == "/%FF"
    assert repercent_broken_unicode(b"/\xff\xfe/ok") == b"/%FF%FE/ok"
    assert punycode("bücher.example") == "xn--bcher-kva.example"
