"""CsrfViewMiddleware: the accept/reject matrix, masked tokens, Origin and Referer checks."""

from __future__ import annotations

from typing import Any

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.http import HttpResponse
from asgi_cycle.http.multipartparser import MultiPartParserError
from asgi_cycle.middleware.csrf import (
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _does_token_match,
    _mask_cipher_secret,
    _unmask_cipher_token,
    get_token,
    rotate_token,
)
from asgi_cycle.test import AsyncClient, override_settings

from .utils import amake_request, call, make_request

URLCONF = "tests.middleware.urls"
MIDDLEWARE = ["asgi_cycle.middleware.csrf.CsrfViewMiddleware"]
SECRET = "a" * 16 + "B" * 16


def view(request: Any) -> HttpResponse:
    return HttpResponse("ok")


def check(request: Any, callback: Any = view) -> Any:
    """Run process_view as the onion does; None means accepted."""
    return CsrfViewMiddleware(view).process_view(request, callback, (), {})


def cookie(secret: str = SECRET) -> str:
    return f"csrftoken={secret}"


@override_settings(CSRF_TRUSTED_ORIGINS=["example.com"])
def test_trusted_origin_without_scheme_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="https://example.com"):
        CsrfViewMiddleware(view)


# -- tokens -------------------------------------------------------------------------------


def test_mask_round_trip_and_randomness():
    first, second = _mask_cipher_secret(SECRET), _mask_cipher_secret(SECRET)
    assert len(first) == CSRF_TOKEN_LENGTH
    assert first != second
    assert _unmask_cipher_token(first) == SECRET == _unmask_cipher_token(second)
    assert _does_token_match(first, SECRET)
    assert _does_token_match(SECRET, SECRET)
    assert not _does_token_match(_mask_cipher_secret("c" * 32), SECRET)


def test_get_token_masks_the_secret_and_flags_the_cookie():
    request = make_request()
    token = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == CSRF_SECRET_LENGTH
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(token) == secret
    assert get_token(request) != token  # a new mask every time, same secret
    assert request.META["CSRF_COOKIE"] == secret


def test_rotate_token_changes_the_secret():
    request = make_request()
    get_token(request)
    before = request.META["CSRF_COOKIE"]
    rotate_token(request)
    assert request.META["CSRF_COOKIE"] != before


# -- accept / reject matrix ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "TRACE"])
def test_safe_methods_pass(method):
    assert check(make_request(method)) is None


async def test_post_without_cookie_is_rejected():
    response = check(await amake_request("POST", headers={"X-CSRFToken": SECRET}))
    assert response.status_code == 403


async def test_post_without_token_is_rejected():
    response = check(await amake_request("POST", headers={"Cookie": cookie()}))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "token",
    ["x" * 31, "!" * 32, _mask_cipher_secret("c" * 32), "c" * 32],
    ids=["short", "bad-chars", "wrong-masked", "wrong-plain"],
)
async def test_post_with_bad_header_token_is_rejected(token):
    request = await amake_request("POST", headers={"Cookie": cookie(), "X-CSRFToken": token})
    assert check(request).status_code == 403


@pytest.mark.parametrize("token", [_mask_cipher_secret(SECRET), SECRET], ids=["masked", "plain"])
async def test_post_with_good_header_token_passes(token):
    request = await amake_request("POST", headers={"Cookie": cookie(), "X-CSRFToken": token})
    assert check(request) is None
    assert getattr(request, "csrf_processing_done", False) is True


async def test_post_with_good_form_token_passes():
    body = f"csrfmiddlewaretoken={_mask_cipher_secret(SECRET)}&name=x".encode()
    request = await amake_request(
        "POST",
        headers={"Cookie": cookie(), "Content-Type": "application/x-www-form-urlencoded"},
        body=body,
    )
    assert check(request) is None


async def test_post_with_bad_form_token_is_rejected_even_with_good_header():
    body = f"csrfmiddlewaretoken={_mask_cipher_secret('c' * 32)}".encode()
    request = await amake_request(
        "POST",
        headers={
            "Cookie": cookie(),
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": SECRET,
        },
        body=body,
    )
    assert check(request).status_code == 403


async def test_malformed_cookie_is_rejected_and_replaced():
    request = await amake_request(
        "POST", headers={"Cookie": cookie("short"), "X-CSRFToken": SECRET}
    )
    assert check(request).status_code == 403
    assert len(request.META["CSRF_COOKIE"]) == CSRF_SECRET_LENGTH
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


async def test_exempt_view_passes():
    def exempt(request):
        return HttpResponse("ok")

    exempt.csrf_exempt = True  # type: ignore[attr-defined]
    assert check(await amake_request("POST"), callback=exempt) is None


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("http://testserver", True),
        ("https://testserver", False),
        ("http://evil.com", False),
        ("null", False),
    ],
)
async def test_origin_checked_against_the_host(origin, accepted):
    request = await amake_request(
        "POST", headers={"Cookie": cookie(), "X-CSRFToken": SECRET, "Origin": origin}
    )
    assert (check(request) is None) is accepted


@override_settings(CSRF_TRUSTED_ORIGINS=["https://app.example.com", "https://*.trusted.org"])
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("https://app.example.com", True),
        ("http://app.example.com", False),
        ("https://sub.trusted.org", True),
        ("https://a.b.trusted.org", True),
        ("http://sub.trusted.org", False),
        ("https://trusted.org.evil.com", False),
    ],
)
async def test_trusted_origins(origin, accepted):
    request = await amake_request(
        "POST", headers={"Cookie": cookie(), "X-CSRFToken": SECRET, "Origin": origin}
    )
    assert (check(request) is None) is accepted


@pytest.mark.parametrize(
    ("referer", "accepted"),
    [
        (None, False),
        ("https://testserver/form/", True),
        ("http://testserver/form/", False),
        ("https://evil.com/form/", False),
        ("not a url", False),
    ],
)
async def test_referer_checked_on_https_without_origin(referer, accepted):
    headers = {"Cookie": cookie(), "X-CSRFToken": SECRET}
    if referer is not None:
        headers["Referer"] = referer
    request = await amake_request("POST", headers=headers, scheme="https")
    assert (check(request) is None) is accepted


@override_settings(CSRF_TRUSTED_ORIGINS=["https://*.example.com"])
async def test_referer_from_trusted_origin_host():
    request = await amake_request(
        "POST",
        headers={"Cookie": cookie(), "X-CSRFToken": SECRET, "Referer": "https://a.example.com/"},
        scheme="https",
    )
    assert check(request) is None


async def test_form_parse_error_is_not_turned_into_a_403():
    # A body the parser refused surfaces as the request's error (400), not "token missing".
    request = await amake_request(
        "POST",
        headers={"Cookie": cookie(), "Content-Type": "multipart/form-data; boundary=xyz"},
        body=b"--nope\r\ngarbage",
    )
    with pytest.raises(MultiPartParserError):
        check(request)


# -- the cookie ---------------------------------------------------------------------------


async def test_safe_request_without_token_parses_no_cookie(mode):
    request = make_request(headers={"Cookie": cookie()})
    response = await call(CsrfViewMiddleware, request, view, mode)
    assert response.status_code == 200
    assert "COOKIES" not in request.__dict__
    assert "csrftoken" not in response.cookies


async def test_malformed_cookie_replaced_when_token_used(mode):
    def uses_token(request):
        return HttpResponse(get_token(request))

    request = make_request(headers={"Cookie": cookie("bad!")})
    response = await call(CsrfViewMiddleware, request, uses_token, mode)
    secret = response.cookies["csrftoken"].value
    assert len(secret) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(response.content.decode()) == secret


async def test_cookie_sent_only_when_token_used(mode):
    def uses_token(request):
        return HttpResponse(get_token(request))

    plain = await call(CsrfViewMiddleware, make_request(), view, mode)
    assert "csrftoken" not in plain.cookies
    response = await call(CsrfViewMiddleware, make_request(), uses_token, mode)
    morsel = response.cookies["csrftoken"]
    assert len(morsel.value) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(response.content.decode()) == morsel.value
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert "Cookie" in response["Vary"]


async def test_existing_cookie_is_reused(mode):
    def uses_token(request):
        return HttpResponse(get_token(request))

    request = make_request(headers={"Cookie": cookie()})
    response = await call(CsrfViewMiddleware, request, uses_token, mode)
    assert response.cookies["csrftoken"].value == SECRET
    assert _unmask_cipher_token(response.content.decode()) == SECRET


@override_settings(CSRF_COOKIE_NAME="xsrf", CSRF_COOKIE_SECURE=True, CSRF_COOKIE_HTTPONLY=True)
async def test_cookie_settings(mode):
    def uses_token(request):
        return HttpResponse(get_token(request))

    response = await call(CsrfViewMiddleware, make_request(), uses_token, mode)
    morsel = response.cookies["xsrf"]
    assert morsel["secure"]
    assert morsel["httponly"]


# -- end to end ---------------------------------------------------------------------------


@pytest.fixture
def app():
    with override_settings(MIDDLEWARE=MIDDLEWARE, ROOT_URLCONF=URLCONF):
        yield get_asgi_application()


async def test_end_to_end_form_round_trip(app, path_kind):
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        token = (await client.get("/token/")).text
        assert client.cookies.get("csrftoken")
        ok = await client.post("/form/", data={"csrfmiddlewaretoken": token, "name": "Ada"})
        assert ok.status_code == 200
        assert ok.text == "posted Ada"
        header = await client.post("/form/", data={"name": "x"}, headers={"X-CSRFToken": token})
        assert header.status_code == 200
        missing = await client.post("/form/", data={"name": "x"})
        assert missing.status_code == 403
        assert b"CSRF verification failed" in missing.content
        assert b"CSRF token missing" not in missing.content  # no reason leaked without DEBUG
        cross = await client.post(
            "/form/", data={"csrfmiddlewaretoken": token}, headers={"Origin": "http://evil.com"}
        )
        assert cross.status_code == 403
        exempt = await client.post("/exempt/")
        assert exempt.status_code == 200


async def test_end_to_end_no_cookie(app, path_kind):
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        response = await client.post("/form/", data={"csrfmiddlewaretoken": "a" * 64})
    assert response.status_code == 403
    assert b"requires a CSRF cookie" in response.content


async def test_end_to_end_debug_page_gives_the_reason(path_kind):
    with override_settings(MIDDLEWARE=MIDDLEWARE, ROOT_URLCONF=URLCONF, DEBUG=True):
        app = get_asgi_application()
        async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
            await client.get("/token/")
            response = await client.post("/form/", data={"name": "<b>"})
    assert response.status_code == 403
    assert b"CSRF token missing." in response.content


async def test_end_to_end_malformed_multipart_is_400_not_403(app, path_kind):
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        token = (await client.get("/token/")).text
        response = await client.post(
            "/form/",
            content=b"garbage without boundary",
            headers={"Content-Type": "multipart/form-data", "X-CSRFToken": token},
        )
    assert response.status_code == 400


async def test_end_to_end_rotate(app, path_kind):
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        await client.get("/token/")
        before = client.cookies.get("csrftoken")
        await client.get("/rotate/")
        assert client.cookies.get("csrftoken") != before
