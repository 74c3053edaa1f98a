"""Each MiddlewareMixin layer turns its own exceptions into responses (Django's contract).

The onion runs a mixin's hooks and its layer's exception wrapper as one
coroutine; these scenarios pin what that must keep: the layer outside sees a
response, never the exception, and a subclass overriding ``__call__`` or
``__acall__`` still runs its own code.
"""

from __future__ import annotations

from typing import Any

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.core.exceptions import PermissionDenied
from asgi_cycle.http import HttpResponse
from asgi_cycle.middleware.csrf import CsrfViewMiddleware
from asgi_cycle.test import AsyncClient, override_settings
from asgi_cycle.urls import path
from asgi_cycle.utils.deprecation import MiddlewareMixin

seen: list[Any] = []


async def hello(request: Any) -> HttpResponse:
    return HttpResponse(b"hello")


async def broken(request: Any) -> HttpResponse:
    raise PermissionDenied("no")


urlpatterns = [path("hello", hello), path("broken", broken)]


class Outer(MiddlewareMixin):
    nonblocking_hooks = True

    def process_response(self, request: Any, response: Any) -> Any:
        seen.append(("outer saw", response.status_code))
        response["X-Outer"] = "yes"
        return response


class RefusesRequest(MiddlewareMixin):
    nonblocking_hooks = True

    def process_request(self, request: Any) -> None:
        raise PermissionDenied("refused on the way in")


class BreaksResponse(MiddlewareMixin):
    nonblocking_hooks = True

    def process_response(self, request: Any, response: Any) -> Any:
        raise ValueError("broken on the way out")


class AsyncHooks(MiddlewareMixin):
    async def process_request(self, request: Any) -> None:
        seen.append("async in")

    async def process_response(self, request: Any, response: Any) -> Any:
        seen.append("async out")
        return response


class ThreadedHooks(MiddlewareMixin):
    def process_request(self, request: Any) -> None:
        seen.append("threaded in")

    def process_response(self, request: Any, response: Any) -> Any:
        seen.append("threaded out")
        return response


class OwnCall(MiddlewareMixin):
    nonblocking_hooks = True

    def __call__(self, request: Any) -> Any:
        seen.append("own __call__")
        return super().__call__(request)


class OwnAcall(MiddlewareMixin):
    nonblocking_hooks = True

    async def __acall__(self, request: Any) -> Any:
        seen.append("own __acall__")
        return await super().__acall__(request)


class Falsy(MiddlewareMixin):
    nonblocking_hooks = True

    def process_request(self, request: Any) -> Any:
        seen.append("falsy in")
        return ""  # falsy: get_response still runs, as in Django's `response or ...`


HERE = __name__


@pytest.fixture(autouse=True)
def clear_seen():
    seen.clear()


async def get(middleware: list[str], url: str = "/hello") -> Any:
    with override_settings(ROOT_URLCONF=HERE, MIDDLEWARE=[f"{HERE}.{m}" for m in middleware]):
        app = get_asgi_application()
        async with AsyncClient(app) as client:
            return await client.get(url)


async def test_an_exception_in_process_request_is_a_response_for_the_outer_layer():
    response = await get(["Outer", "RefusesRequest"])
    assert response.status_code == 403
    assert response.headers["x-outer"] == "yes"
    assert seen == [("outer saw", 403)]


async def test_an_exception_in_process_response_is_a_response_for_the_outer_layer():
    response = await get(["Outer", "BreaksResponse"])
    assert response.status_code == 500
    assert response.headers["x-outer"] == "yes"
    assert seen == [("outer saw", 500)]


async def test_an_exception_in_the_view_reaches_the_outer_layer_as_a_response():
    response = await get(["Outer"], "/broken")
    assert response.status_code == 403
    assert seen == [("outer saw", 403)]


async def test_async_and_threaded_hooks_run_in_order():
    response = await get(["Outer", "AsyncHooks", "ThreadedHooks"])
    assert response.text == "hello"
    assert seen == ["async in", "threaded in", "threaded out", "async out", ("outer saw", 200)]


@pytest.mark.parametrize("name", ["OwnCall", "OwnAcall"])
async def test_a_subclass_overriding_the_call_runs_its_own_code(name):
    response = await get(["Outer", name])
    assert response.text == "hello"
    assert seen == [f"own {'__call__' if name == 'OwnCall' else '__acall__'}", ("outer saw", 200)]


async def test_a_falsy_process_request_result_lets_the_view_answer():
    response = await get(["Falsy"])
    assert response.text == "hello"
    assert seen == ["falsy in"]


# -- a run of inline-hook layers is one loop: the same events as nested layers ----------


class Scripted(MiddlewareMixin):
    """Logs its hooks; the query string says which layer fails or answers, and where."""

    nonblocking_hooks = True
    index = -1

    def process_request(self, request: Any) -> Any:
        seen.append(("req", self.index))
        action = request.GET.get(f"l{self.index}")
        if action == "raise-req":
            raise PermissionDenied("refused")
        if action == "answer":
            return HttpResponse(b"answered", status=202)
        return None

    def process_response(self, request: Any, response: Any) -> Any:
        seen.append(("resp", self.index, response.status_code))
        if request.GET.get(f"l{self.index}") == "raise-resp":
            raise ValueError("broken")
        return response


class ResponseOnly(MiddlewareMixin):
    nonblocking_hooks = True

    def process_response(self, request: Any, response: Any) -> Any:
        seen.append(("response only", response.status_code))
        return response


def _scripted(index: int, reference: bool) -> type:
    attrs: dict[str, Any] = {"index": index}
    if reference:
        # Overriding __acall__ keeps the layer out of the fused loop: nested, as written.
        async def __acall__(self: Any, request: Any) -> Any:
            return await MiddlewareMixin.__acall__(self, request)

        attrs["__acall__"] = __acall__
    return type(f"{'Ref' if reference else 'Flat'}{index}", (Scripted,), attrs)


for _index in range(4):
    for _reference in (False, True):
        _cls = _scripted(_index, _reference)
        globals()[_cls.__name__] = _cls


SCRIPTS = [
    "",
    "l0=answer",
    "l2=answer",
    "l3=raise-req",
    "l1=raise-req",
    "l3=raise-resp",
    "l0=raise-resp",
    "l2=raise-resp&l1=raise-resp",
    "l1=answer&l3=raise-req",
    "l2=answer&l1=raise-resp",
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("url", ["/hello", "/broken"])
async def test_a_flat_run_behaves_like_nested_layers(script, url):
    outcomes = []
    for kind in ("Ref", "Flat"):
        seen.clear()
        stack = ["ResponseOnly"] + [f"{kind}{index}" for index in range(4)]
        response = await get(stack, f"{url}?{script}")
        outcomes.append((response.status_code, response.content, list(seen)))
    assert outcomes[0] == outcomes[1]


async def test_a_thread_layer_splits_the_run():
    stack = ["Flat0", "ThreadedHooks", "Flat1", "AsyncHooks", "Flat2"]
    response = await get(stack, "/hello?l2=raise-req")
    assert response.status_code == 403
    assert seen == [
        ("req", 0),
        "threaded in",
        ("req", 1),
        "async in",
        ("req", 2),
        "async out",
        ("resp", 1, 403),
        "threaded out",
        ("resp", 0, 403),
    ]


class CountingCsrf(CsrfViewMiddleware):
    def _accept(self, request: Any) -> None:
        seen.append("accepted")
        super()._accept(request)


async def test_a_csrf_subclass_overriding_accept_is_still_called():
    response = await get(["CountingCsrf"])
    assert response.text == "hello"
    assert seen == ["accepted"]
