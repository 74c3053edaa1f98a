"""SecurityMiddleware and XFrameOptionsMiddleware: headers, HSTS and the HTTPS redirect."""

from __future__ import annotations

from typing import Any

import pytest

from asgi_cycle.http import HttpResponse
from asgi_cycle.middleware.clickjacking import XFrameOptionsMiddleware
from asgi_cycle.middleware.security import SecurityMiddleware
from asgi_cycle.test import override_settings

from .utils import call, make_request, serve

URLCONF = "tests.middleware.urls"
STACK = [
    "asgi_cycle.middleware.security.SecurityMiddleware",
    "asgi_cycle.middleware.clickjacking.XFrameOptionsMiddleware",
]


def view(request: Any) -> HttpResponse:
    return HttpResponse("ok")


async def test_default_headers(mode):
    response = await call(SecurityMiddleware, make_request(), view, mode)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


async def test_headers_set_by_the_view_are_kept(mode):
    def own(request):
        response = HttpResponse("ok")
        response["X-Content-Type-Options"] = "custom"
        response["Referrer-Policy"] = "no-referrer"
        response["Cross-Origin-Opener-Policy"] = "unsafe-none"
        return response

    response = await call(SecurityMiddleware, make_request(), own, mode)
    assert response["X-Content-Type-Options"] == "custom"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


@override_settings(
    SECURE_CONTENT_TYPE_NOSNIFF=False,
    SECURE_REFERRER_POLICY=None,
    SECURE_CROSS_ORIGIN_OPENER_POLICY=None,
)
async def test_headers_can_be_switched_off(mode):
    response = await call(SecurityMiddleware, make_request(), view, mode)
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        assert name not in response.headers


@override_settings(SECURE_REFERRER_POLICY=["no-referrer", " strict-origin "])
async def test_referrer_policy_list_is_joined(mode):
    response = await call(SecurityMiddleware, make_request(), view, mode)
    assert response["Referrer-Policy"] == "no-referrer,strict-origin"


@override_settings(
    SECURE_HSTS_SECONDS=600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
async def test_hsts_only_on_secure_requests(mode):
    secure = await call(SecurityMiddleware, make_request(scheme="https"), view, mode)
    assert secure["Strict-Transport-Security"] == "max-age=600; includeSubDomains; preload"
    plain = await call(SecurityMiddleware, make_request(), view, mode)
    assert "Strict-Transport-Security" not in plain.headers


@override_settings(SECURE_SSL_REDIRECT=True)
async def test_ssl_redirect_keeps_path_and_query(mode):
    request = make_request(path="/a/b/", query_string="x=1")
    response = await call(SecurityMiddleware, request, view, mode)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/a/b/?x=1"
    secure = await call(SecurityMiddleware, make_request(scheme="https"), view, mode)
    assert secure.status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_SSL_HOST="secure.example.com")
async def test_ssl_redirect_to_configured_host(mode):
    response = await call(SecurityMiddleware, make_request(path="/x/"), view, mode)
    assert response["Location"] == "https://secure.example.com/x/"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^health/$"])
async def test_ssl_redirect_exempt_patterns(mode):
    exempt = await call(SecurityMiddleware, make_request(path="/health/"), view, mode)
    assert exempt.status_code == 200
    other = await call(SecurityMiddleware, make_request(path="/other/"), view, mode)
    assert other.status_code == 301


async def test_x_frame_options_deny_by_default(mode):
    response = await call(XFrameOptionsMiddleware, make_request(), view, mode)
    assert response["X-Frame-Options"] == "DENY"


@override_settings(X_FRAME_OPTIONS="sameorigin")
async def test_x_frame_options_setting_is_upper_cased(mode):
    response = await call(XFrameOptionsMiddleware, make_request(), view, mode)
    assert response["X-Frame-Options"] == "SAMEORIGIN"


async def test_x_frame_options_exempt_and_existing_header(mode):
    def exempt(request):
        response = HttpResponse("ok")
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        return response

    def own(request):
        response = HttpResponse("ok")
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    assert (
        "X-Frame-Options"
        not in (await call(XFrameOptionsMiddleware, make_request(), exempt, mode)).headers
    )
    own_response = await call(XFrameOptionsMiddleware, make_request(), own, mode)
    assert own_response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("url", ["/products/1/", "/framed/"])
async def test_end_to_end_default_headers(path_kind, url):
    async with serve(STACK, path_kind) as client:
        response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if url == "/framed/":
        assert "X-Frame-Options" not in response.headers
    else:
        assert response.headers["X-Frame-Options"] == "DENY"
