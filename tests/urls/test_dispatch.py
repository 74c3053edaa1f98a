"""Routing inside the request cycle, through the ASGI app and through the WSGI shim."""

from __future__ import annotations

import types

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http import HttpResponse, JsonResponse
from asgi_cycle.test import AsyncClient, override_settings
from asgi_cycle.urls import include, path, reverse


def show_match(request, **kwargs):
    match = request.resolver_match
    return JsonResponse(
        {
            "view_name": match.view_name,
            "url_name": match.url_name,
            "namespace": match.namespace,
            "route": match.route,
            "kwargs": {key: [type(value).__name__, str(value)] for key, value in kwargs.items()},
            "reversed": reverse(match.view_name, kwargs=kwargs),
        }
    )


def other_home(request):
    return HttpResponse(reverse("other-home"))


OTHER = types.ModuleType("other_urlconf")
OTHER.urlpatterns = [path("elsewhere/", other_home, name="other-home")]  # type: ignore[attr-defined]


class UseOtherUrlconf:
    """Routes every request with OTHER instead of ROOT_URLCONF, as Django allows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.urlconf = OTHER
        return self.get_response(request)


urlpatterns = [
    path("items/<int:id>/", show_match, name="item"),
    path("files/<path:name>", show_match, name="file"),
    path("shop/", include(([path("<slug:slug>/", show_match, name="product")], "shop"))),
]


@pytest.fixture(autouse=True)
def root_urlconf():
    with override_settings(ROOT_URLCONF=__name__):
        yield


async def get(path_kind: str, url: str):
    app = get_asgi_application()
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        return await client.get(url)


async def test_the_view_sees_its_resolver_match(path_kind):
    response = await get(path_kind, "/shop/blue-widget/")
    assert response.status_code == 200
    assert response.json() == {
        "view_name": "shop:product",
        "url_name": "product",
        "namespace": "shop",
        "route": "shop/<slug:slug>/",
        "kwargs": {"slug": ["str", "blue-widget"]},
        "reversed": "/shop/blue-widget/",
    }


async def test_int_converter_passes_an_int_even_with_thirty_digits(path_kind):
    response = await get(path_kind, "/items/" + "9" * 30 + "/")
    assert response.status_code == 200
    assert response.json()["kwargs"] == {"id": ["int", "9" * 30]}


async def test_percent_encoded_paths_are_matched_decoded(path_kind):
    response = await get(path_kind, "/files/a%20b/c%3Fd%23e.txt")
    assert response.status_code == 200
    body = response.json()
    assert body["kwargs"] == {"name": ["str", "a b/c?d#e.txt"]}
    assert body["reversed"] == "/files/a%20b/c%3Fd%23e.txt"


async def test_percent_encoded_utf8_is_matched_decoded(path_kind):
    response = await get(path_kind, "/files/%C3%A9t%C3%A9.txt")
    assert response.status_code == 200
    assert response.json()["kwargs"] == {"name": ["str", "été.txt"]}
    assert response.json()["reversed"] == "/files/%C3%A9t%C3%A9.txt"


@pytest.mark.parametrize("url", ["/%00", "/items/%00/", "/items/1%00/", "/items/-1/"])
async def test_nul_and_unmatched_paths_are_404(path_kind, url):
    response = await get(path_kind, url)
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/%ff%fe/", "/items/%ff/"])
async def test_paths_that_are_not_utf8_are_400_on_both_paths(path_kind, url):
    # Servers decode such paths with U+FFFD (uvicorn) or refuse them (the shim): 400 either way.
    response = await get(path_kind, url)
    assert response.status_code == 400


async def test_request_urlconf_routes_and_reverses_with_another_urlconf(path_kind):
    with override_settings(MIDDLEWARE=["tests.urls.test_dispatch.UseOtherUrlconf"]):
        found = await get(path_kind, "/elsewhere/")
        missing = await get(path_kind, "/items/1/")
    assert (found.status_code, found.text) == (200, "/elsewhere/")
    assert missing.status_code == 404
