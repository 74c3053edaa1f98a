"""asgi_cycle.utils.cache: Vary, Cache-Control and ETag helpers."""

from __future__ import annotations

import pytest

from asgi_cycle.http import HttpResponse
from asgi_cycle.utils.cache import (
    add_never_cache_headers,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)


@pytest.mark.parametrize(
    ("initial", "new", "expected"),
    [
        (None, ["Accept-Encoding"], "Accept-Encoding"),
        ("Accept-Encoding", ["accept-encoding"], "Accept-Encoding"),
        ("Accept-Encoding", ["Cookie", "Cookie"], "Accept-Encoding, Cookie"),
        (
            "Cookie,  Accept-Language",
            ["Accept-Encoding"],
            "Cookie, Accept-Language, Accept-Encoding",
        ),
        ("Cookie", ["*"], "*"),
        ("*", ["Cookie"], "*"),
    ],
)
def test_patch_vary_headers(initial, new, expected):
    response = HttpResponse()
    if initial is not None:
        response["Vary"] = initial
    patch_vary_headers(response, new)
    assert response["Vary"] == expected
    assert has_vary_header(response, new[0]) is (expected != "*" or new[0] == "*")


@pytest.mark.parametrize(
    ("initial", "kwargs", "expected"),
    [
        (None, {"max_age": 60}, {"max-age=60"}),
        ("max-age=30", {"max_age": 60}, {"max-age=30"}),
        ("max-age=90", {"max_age": 60}, {"max-age=60"}),
        ("private", {"public": True}, {"public"}),
        ("public", {"private": True}, {"private"}),
        ("no-cache=Set-Cookie", {"no_cache": "X"}, {"no-cache=Set-Cookie", "no-cache=X"}),
        ("no-cache=Set-Cookie", {"no_cache": True}, {"no-cache"}),
        ("must-revalidate", {"s_maxage": 5}, {"must-revalidate", "s-maxage=5"}),
    ],
)
def test_patch_cache_control(initial, kwargs, expected):
    response = HttpResponse()
    if initial is not None:
        response["Cache-Control"] = initial
    patch_cache_control(response, **kwargs)
    assert set(response["Cache-Control"].split(", ")) == expected


def test_add_never_cache_headers():
    response = HttpResponse()
    add_never_cache_headers(response)
    directives = set(response["Cache-Control"].split(", "))
    assert directives == {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}
    assert response["Expires"].endswith(" GMT")
    assert get_max_age(response) == 0


def test_etag_helpers():
    response = set_response_etag(HttpResponse("hello"))
    assert response["ETag"] == '"5d41402abc4b2a76b9719d911017c592"'
    assert "ETag" not in set_response_etag(HttpResponse("")).headers
