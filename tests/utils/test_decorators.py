"""method_decorator on class views, sync and async, through the full handler."""

from __future__ import annotations

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http import HttpResponse
from asgi_cycle.test import AsyncClient, override_settings
from asgi_cycle.urls import path
from asgi_cycle.utils.asyncio import is_async_callable
from asgi_cycle.utils.decorators import method_decorator
from asgi_cycle.views import View
from asgi_cycle.views.decorators.csrf import csrf_exempt
from asgi_cycle.views.decorators.http import require_POST

seen: list[str] = []


def shout(view):
    if is_async_callable(view):

        async def async_inner(request, *args, **kwargs):
            seen.append("async shout")
            return await view(request, *args, **kwargs)

        return async_inner

    def inner(request, *args, **kwargs):
        seen.append("shout")
        return view(request, *args, **kwargs)

    return inner


@method_decorator(csrf_exempt, name="dispatch")
class ExemptSync(View):
    def post(self, request):
        return HttpResponse("sync posted")


@method_decorator([csrf_exempt, shout], name="dispatch")
class ExemptAsync(View):
    async def post(self, request):
        return HttpResponse("async posted")


class PerMethod(View):
    @method_decorator(shout)
    def get(self, request):
        return HttpResponse(f"{type(self).__name__} got")


urlpatterns = [
    path("sync/", ExemptSync.as_view()),
    path("async/", ExemptAsync.as_view()),
    path("method/", PerMethod.as_view()),
]

CSRF = ["asgi_cycle.middleware.csrf.CsrfViewMiddleware"]


@pytest.fixture
async def client(path_kind):
    seen.clear()
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=CSRF):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as http:
            yield http


async def test_csrf_exempt_on_dispatch_reaches_the_view(client):
    assert (await client.post("/sync/")).text == "sync posted"
    response = await client.post("/async/")
    assert response.text == "async posted"
    # As in Django, View.dispatch is sync (it returns the handler's coroutine).
    assert seen == ["shout"]


def test_async_methods_stay_coroutine_functions():
    class AsyncMethod(View):
        @method_decorator(shout)
        async def get(self, request):
            return HttpResponse("async got")

    assert is_async_callable(AsyncMethod.get)
    assert is_async_callable(AsyncMethod.as_view())
    assert is_async_callable(ExemptAsync.as_view())
    assert ExemptAsync.as_view().csrf_exempt is True


async def test_decorator_sees_the_bound_method(client):
    response = await client.get("/method/")
    assert response.text == "PerMethod got"
    assert seen == ["shout"]


def test_class_without_name_is_refused():
    with pytest.raises(ValueError, match="name='dispatch'"):
        method_decorator(require_POST)(PerMethod)
    with pytest.raises(ValueError, match="must be the name of a method"):
        method_decorator(require_POST, name="nope")(PerMethod)
