"""View: dispatch per method, 405/Allow, HEAD and OPTIONS, async class views."""

from __future__ import annotations

import inspect

import pytest

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.http import HttpResponse
from asgi_cycle.views import View
from asgi_cycle.views.decorators.csrf import csrf_exempt

from .requests import make_request


class Greeting(View):
    greeting = "hello"

    def get(self, request, name="world"):
        return HttpResponse(f"{self.greeting} {name}")

    def post(self, request, name="world"):
        return HttpResponse(f"posted {name}", status=201)


class AsyncGreeting(View):
    async def get(self, request, name="world"):
        return HttpResponse(f"async hello {name}")

    async def delete(self, request, name="world"):
        return HttpResponse(status=204)


class Mixed(View):
    def get(self, request):
        return HttpResponse("sync")

    async def post(self, request):
        return HttpResponse("async")


class WithHead(View):
    def get(self, request):
        return HttpResponse("body")

    def head(self, request):
        response = HttpResponse()
        response.headers["X-Head"] = "own"
        return response


def test_dispatch_by_method_with_url_kwargs():
    view = Greeting.as_view()
    assert view(make_request("GET"), name="ann").content == b"hello ann"
    response = view(make_request("POST"), name="bo")
    assert (response.status_code, response.content) == (201, b"posted bo")


def test_initkwargs_override_class_attributes_per_view():
    assert Greeting.as_view(greeting="hi")(make_request()).content == b"hi world"
    assert Greeting.as_view()(make_request()).content == b"hello world"


def test_as_view_rejects_unknown_and_method_keywords():
    with pytest.raises(TypeError, match="invalid keyword 'colour'"):
        Greeting.as_view(colour="red")
    with pytest.raises(TypeError, match="method name get"):
        Greeting.as_view(get=lambda r: None)


def test_405_lists_allowed_methods():
    response = Greeting.as_view()(make_request("PUT"))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_unknown_method_is_405():
    response = Greeting.as_view()(make_request("BREW"))
    assert response.status_code == 405


def test_head_is_served_by_get_when_not_defined():
    response = Greeting.as_view()(make_request("HEAD"))
    assert response.status_code == 200 and response.content == b"hello world"


def test_own_head_wins_over_get():
    assert WithHead.as_view()(make_request("HEAD")).headers["X-Head"] == "own"


def test_options_answers_allow_and_zero_length():
    response = Greeting.as_view()(make_request("OPTIONS"))
    assert response.status_code == 200
    assert response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response.headers["Content-Length"] == "0"
    assert response.content == b""


def test_each_request_gets_a_fresh_instance_with_setup_done():
    seen = []

    class Recorder(View):
        def get(self, request, *args, **kwargs):
            seen.append(self)
            assert (self.request, self.args, self.kwargs) == (request, (1,), {"k": 2})
            return HttpResponse()

    view = Recorder.as_view()
    view(make_request(), 1, k=2)
    view(make_request(), 1, k=2)
    assert seen[0] is not seen[1]


def test_overriding_setup_without_super_is_reported():
    class Broken(View):
        def setup(self, request, *args, **kwargs):
            pass

        def get(self, request):
            return HttpResponse()

    with pytest.raises(AttributeError, match="forget to call super"):
        Broken.as_view()(make_request())


def test_view_function_carries_the_class():
    view = Greeting.as_view(greeting="yo")
    assert view.view_class is Greeting
    assert view.view_initkwargs == {"greeting": "yo"}
    assert view.__name__ == "Greeting"


async def test_all_async_handlers_give_a_coroutine_function():
    view = AsyncGreeting.as_view()
    assert AsyncGreeting.view_is_async is True
    assert inspect.iscoroutinefunction(view)
    response = await view(make_request("GET"), name="cy")
    assert response.content == b"async hello cy"
    assert (await view(make_request("DELETE"))).status_code == 204


async def test_async_view_405_and_options_are_awaitable():
    view = AsyncGreeting.as_view()
    response = await view(make_request("POST"))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, DELETE, HEAD, OPTIONS"
    response = await view(make_request("OPTIONS"))
    assert response.headers["Allow"] == "GET, DELETE, HEAD, OPTIONS"
    assert (await view(make_request("HEAD"))).content == b"async hello world"


def test_sync_view_is_not_a_coroutine_function():
    assert Greeting.view_is_async is False
    assert not inspect.iscoroutinefunction(Greeting.as_view())


def test_mixed_sync_and_async_handlers_raise():
    with pytest.raises(ImproperlyConfigured, match="must either be all sync or all async"):
        Mixed.as_view()


def test_view_without_handlers_is_sync_and_405():
    response = View.as_view()(make_request())
    assert View.view_is_async is False
    assert response.status_code == 405
    assert response.headers["Allow"] == "OPTIONS"


def test_decorated_dispatch_marks_the_view():
    class Exempt(View):
        @csrf_exempt
        def dispatch(self, request, *args, **kwargs):
            return super().dispatch(request, *args, **kwargs)

        def get(self, request):
            return HttpResponse("ok")

    view = Exempt.as_view()
    assert view.csrf_exempt is True
    assert view(make_request()).content == b"ok"


def test_log_lines_escape_control_characters(caplog):
    # BAD_INPUT row 44: a path with %0a / %1b must not forge or colour log lines.
    caplog.set_level("WARNING", logger="asgi_cycle.request")
    Greeting.as_view()(make_request("PUT", path="/x\nFAKE\x1b[31m"))
    assert caplog.messages == ["Method Not Allowed (PUT): /x\\nFAKE\\x1b[31m"]
