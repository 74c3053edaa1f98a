"""SessionMiddleware end to end: cookies across requests, no server state, Vary, deletion."""

from __future__ import annotations

import pytest

from asgi_cycle.contrib.sessions.backends.signed_cookies import SessionStore
from asgi_cycle.contrib.sessions.middleware import SessionMiddleware
from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.http import HttpResponse
from asgi_cycle.test import override_settings
from tests.middleware.utils import call, make_request, serve

URLCONF = "tests.middleware.urls"
MIDDLEWARE = ["asgi_cycle.contrib.sessions.middleware.SessionMiddleware"]


@pytest.fixture(params=["sync", "async"])
def mode(request):
    return request.param


async def test_untouched_session_costs_no_cookie_parse_and_sets_nothing(mode):
    request = make_request(headers={"Cookie": "sessionid=whatever"})

    def view(req):
        return HttpResponse("ok")

    response = await call(SessionMiddleware, request, view, mode)
    assert "sessionid" not in response.cookies
    assert "Vary" not in response.headers
    assert request.session._key_loader is not None  # type: ignore[attr-defined]  # the cookie was never read


async def test_set_in_one_request_read_in_another(mode):
    def writer(req):
        req.session["color"] = "blue"
        return HttpResponse("ok")

    response = await call(SessionMiddleware, make_request(), writer, mode)
    morsel = response.cookies["sessionid"]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"
    assert int(morsel["max-age"]) == 60 * 60 * 24 * 7 * 2
    assert response["Vary"] == "Cookie"

    seen = {}

    def reader(req):
        seen["color"] = req.session.get("color")
        return HttpResponse("ok")

    # A brand-new middleware instance: nothing is kept between requests but the cookie.
    request = make_request(headers={"Cookie": f"sessionid={morsel.value}"})
    second = await call(SessionMiddleware, request, reader, mode)
    assert seen == {"color": "blue"}
    assert "sessionid" not in second.cookies
    assert second["Vary"] == "Cookie"


async def test_5xx_does_not_save(mode):
    def failing(req):
        req.session["x"] = 1
        return HttpResponse("boom", status=500)

    response = await call(SessionMiddleware, make_request(), failing, mode)
    assert "sessionid" not in response.cookies


@override_settings(SESSION_COOKIE_NAME="sid", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_AGE=60)
async def test_cookie_settings(mode):
    def writer(req):
        req.session["x"] = 1
        return HttpResponse("ok")

    response = await call(SessionMiddleware, make_request(), writer, mode)
    morsel = response.cookies["sid"]
    assert morsel["secure"]
    assert int(morsel["max-age"]) == 60


async def test_expire_at_browser_close(mode):
    def writer(req):
        req.session["x"] = 1
        req.session.set_expiry(0)
        return HttpResponse("ok")

    response = await call(SessionMiddleware, make_request(), writer, mode)
    morsel = response.cookies["sessionid"]
    assert morsel["max-age"] == ""
    assert morsel["expires"] == ""


async def test_session_round_trip_end_to_end(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        response = await client.get("/session/set/", params={"name": "Ada"})
        assert response.status_code == 200
        assert "Cookie" in response.headers["Vary"]
        cookie = client.cookies.get("sessionid")
        assert cookie
        response = await client.get("/session/get/")
        assert response.json() == {"name": "Ada"}

    # Another app instance (another worker): the cookie alone carries the session.
    async with serve(MIDDLEWARE, path_kind) as client:
        client.cookies.set("sessionid", cookie)
        again = await client.get("/session/get/")
        assert again.json() == {"name": "Ada"}


async def test_flush_deletes_the_cookie(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        await client.get("/session/set/", params={"a": "1"})
        response = await client.get("/session/flush/")
        set_cookie = response.headers["set-cookie"]
        assert set_cookie.startswith("sessionid=")
        assert "Max-Age=0" in set_cookie
        assert not client.cookies.get("sessionid")
        assert (await client.get("/session/get/")).json() == {}


async def test_untouched_end_to_end(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        response = await client.get("/untouched/")
    assert "set-cookie" not in response.headers
    assert "Vary" not in response.headers


async def test_tampered_cookie_end_to_end(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        client.cookies.set("sessionid", "eyJmYWtlIjoxfQ.forged.sig")
        response = await client.get("/session/get/")
    assert response.json() == {}


async def test_cycle_key_keeps_data(path_kind):
    async with serve(MIDDLEWARE, path_kind) as client:
        await client.get("/session/set/", params={"user": "7"})
        response = await client.get("/session/cycle/")
        assert "sessionid=" in response.headers["set-cookie"]
        assert (await client.get("/session/get/")).json() == {"user": "7"}


async def test_csrf_use_sessions(path_kind):
    stack = [*MIDDLEWARE, "asgi_cycle.middleware.csrf.CsrfViewMiddleware"]
    async with serve(stack, path_kind, CSRF_USE_SESSIONS=True) as client:
        token = (await client.get("/token/")).text
        assert not client.cookies.get("csrftoken")
        assert client.cookies.get("sessionid")
        ok = await client.post("/form/", data={"csrfmiddlewaretoken": token, "name": "s"})
        assert ok.status_code == 200
        assert (await client.post("/form/", data={"name": "s"})).status_code == 403


async def test_save_every_request_refreshes_an_existing_session(mode):
    def writer(req):
        req.session["x"] = 1
        return HttpResponse("ok")

    def idle(req):
        return HttpResponse("ok")

    first = await call(SessionMiddleware, make_request(), writer, mode)
    value = first.cookies["sessionid"].value
    with override_settings(SESSION_SAVE_EVERY_REQUEST=True):
        request = make_request(headers={"Cookie": f"sessionid={value}"})
        refreshed = await call(SessionMiddleware, request, idle, mode)
        fresh = await call(SessionMiddleware, make_request(), idle, mode)
    assert "sessionid" in refreshed.cookies
    assert SessionStore(refreshed.cookies["sessionid"].value)["x"] == 1
    # Nothing to save for a visitor without a session.
    assert "sessionid" not in fresh.cookies


async def test_request_without_session_middleware_state_is_left_alone(mode):
    def view(req):
        del req.session
        return HttpResponse("ok")

    response = await call(SessionMiddleware, make_request(), view, mode)
    assert response.status_code == 200


@override_settings(SESSION_ENGINE="asgi_cycle.no_such_engine")
def test_bad_engine_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="SESSION_ENGINE"):
        SessionMiddleware(lambda request: HttpResponse("ok"))
