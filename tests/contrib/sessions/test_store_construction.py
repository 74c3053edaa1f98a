"""SessionMiddleware builds one store per request; an engine's own constructor still runs."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from asgi_cycle.contrib.sessions.backends.signed_cookies import SessionStore as SignedStore
from asgi_cycle.contrib.sessions.middleware import SessionMiddleware
from asgi_cycle.http import HttpResponse
from asgi_cycle.test import override_settings
from tests.middleware.utils import call, make_request

built: list[Any] = []


class CountingStore(SignedStore):
    def __init__(self, session_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(session_key, **kwargs)
        built.append(self)


async def test_an_engine_with_its_own_constructor_is_constructed(monkeypatch):
    engine = types.ModuleType("tests.contrib.sessions._counting_engine")
    engine.SessionStore = CountingStore  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, engine.__name__, engine)
    built.clear()
    seen = {}

    def view(request: Any) -> HttpResponse:
        request.session["n"] = 1
        seen["store"] = request.session
        return HttpResponse("ok")

    with override_settings(SESSION_ENGINE=engine.__name__):
        response = await call(SessionMiddleware, make_request(), view, "async")
    assert built == [seen["store"]]
    assert "sessionid" in response.cookies


async def test_a_store_built_without_its_constructor_reads_the_cookie_when_asked():
    def writer(request: Any) -> HttpResponse:
        request.session["color"] = "green"
        return HttpResponse("ok")

    cookie = (await call(SessionMiddleware, make_request(), writer, "async")).cookies["sessionid"]
    seen = {}

    def reader(request: Any) -> HttpResponse:
        assert not request.session.accessed and not request.session.modified
        seen["color"] = request.session.get("color")
        seen["key"] = request.session.session_key
        return HttpResponse("ok")

    request = make_request(headers={"Cookie": f"sessionid={cookie.value}"})
    await call(SessionMiddleware, request, reader, "async")
    assert seen == {"color": "green", "key": cookie.value}
    empty = SignedStore()
    assert empty.session_key is None and not empty.accessed


def test_the_store_is_built_on_first_read_and_kept():
    middleware = SessionMiddleware(lambda request: HttpResponse("ok"))
    request = make_request()
    assert not hasattr(request, "session")
    middleware.process_request(request)
    assert hasattr(request, "session")
    session = request.session
    assert isinstance(session, SignedStore)
    assert request.session is session


def test_the_session_attribute_can_be_set_and_deleted():
    middleware = SessionMiddleware(lambda request: HttpResponse("ok"))
    request = make_request()
    middleware.process_request(request)
    del request.session
    assert not hasattr(request, "session")
    with pytest.raises(AttributeError):
        del request.session
    request.session = None
    assert request.session is None
    response = middleware.process_response(request, HttpResponse("ok"))
    assert not response.cookies


@override_settings(SESSION_SAVE_EVERY_REQUEST=True)
def test_save_every_request_builds_an_unread_session():
    middleware = SessionMiddleware(lambda request: HttpResponse("ok"))
    request = make_request()
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse("ok"))
    # Empty and without a cookie: nothing to save, as with a store built eagerly.
    assert not response.cookies
    assert isinstance(request.session, SignedStore)
