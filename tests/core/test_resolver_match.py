"""``request.resolver_match`` through the handler: the same match ``resolve()`` gives.

A static route's match is copied from the resolver's shared one only when it is
read; these scenarios pin that nothing a view or a hook can see changes.
"""

from __future__ import annotations

from typing import Any

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http import HttpRequest, HttpResponse
from asgi_cycle.test import AsyncClient, override_settings
from asgi_cycle.urls import include, path, resolve
from asgi_cycle.utils.deprecation import MiddlewareMixin

seen: list[Any] = []


def described(match: Any) -> tuple[Any, ...]:
    return (
        match.func,
        match.args,
        match.kwargs,
        match.url_name,
        match.route,
        match.app_names,
        match.namespaces,
        match.view_name,
        match.captured_kwargs,
        match.extra_kwargs,
        [[str(entry.pattern) for entry in step] for step in match.tried],
    )


async def record(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    seen.append((described(request.resolver_match), kwargs, request.resolver_match))
    return HttpResponse(b"ok")


async def unread(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    seen.append(kwargs)
    return HttpResponse(b"ok")


async def replaced(request: HttpRequest) -> HttpResponse:
    request.resolver_match = "replaced"
    seen.append(request.resolver_match)
    return HttpResponse(b"ok")


urlpatterns = [
    path("static", record, name="static"),
    path("with-kwargs", record, {"flag": True}, name="with-kwargs"),
    path("items/<int:pk>/", record, name="item"),
    path("unread", unread, {"flag": True}),
    path("replaced", replaced),
    path("ns/", include(([path("inner", record, name="inner")], "app"), namespace="space")),
]


class ChangesKwargs(MiddlewareMixin):
    nonblocking_hooks = True

    def process_view(self, request: Any, view: Any, args: Any, kwargs: Any) -> None:
        kwargs["added"] = len(seen)


HERE = __name__


@pytest.fixture(autouse=True)
def clear_seen():
    seen.clear()


async def get_twice(url: str, middleware: list[str] | None = None) -> None:
    with override_settings(ROOT_URLCONF=HERE, MIDDLEWARE=middleware or []):
        app = get_asgi_application()
        async with AsyncClient(app) as client:
            for _ in range(2):  # the first resolve fills the static table, the second reads it
                assert (await client.get(url)).status_code == 200


@pytest.mark.parametrize("url", ["/static", "/with-kwargs", "/items/7/", "/ns/inner"])
async def test_the_match_is_what_resolve_gives(url):
    await get_twice(url)
    with override_settings(ROOT_URLCONF=HERE):
        expected = described(resolve(url))
    assert [entry[0] for entry in seen] == [expected, expected]
    assert seen[0][2] is not seen[1][2]


async def test_process_view_changes_reach_the_view_and_the_match_but_not_the_next_request():
    await get_twice("/with-kwargs", [f"{HERE}.ChangesKwargs"])
    (first, first_kwargs, _), (second, second_kwargs, _) = seen
    assert first_kwargs == {"flag": True, "added": 0}
    assert second_kwargs == {"flag": True, "added": 1}
    assert first[2] == first_kwargs
    assert second[2] == second_kwargs


async def test_a_view_that_never_reads_the_match_gets_its_own_kwargs():
    await get_twice("/unread", [f"{HERE}.ChangesKwargs"])
    assert seen == [{"flag": True, "added": 0}, {"flag": True, "added": 1}]


async def test_the_match_can_be_replaced():
    await get_twice("/replaced")
    assert seen == ["replaced", "replaced"]


def test_a_request_outside_the_handler_has_no_match():
    request = HttpRequest()
    assert request.resolver_match is None
    request.resolver_match = "set by hand"
    assert request.resolver_match == "set by hand"
