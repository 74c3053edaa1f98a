"""Static routes answered from the resolver's table: the same match as Django's walk."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from asgi_cycle.test.utils import override_settings
from asgi_cycle.urls import Resolver404, get_resolver, include, path, re_path, resolve


def view(request: Any, **kwargs: Any) -> Any:
    return kwargs


def shadow(request: Any) -> str:
    return "shadow"


def by_slug(request: Any, slug: str) -> str:
    return slug


def other(request: Any) -> str:
    return "other"


blog = (
    [
        path("latest/", view, {"page": 1}, name="latest"),
        path("<slug:slug>/", by_slug, name="post"),
    ],
    "blog",
)

urlpatterns = [
    path("plain", view, name="plain"),
    path("plain", other, name="plain-twin"),
    re_path(r"^shadowed/.*$", shadow),
    path("shadowed/page", view, name="never"),
    path("items/<slug:slug>/", by_slug, name="item"),
    path("items/special/", view, name="special"),
    path("blog/", include(blog, namespace="news"), {"site": "main"}),
    path("api/", include([path("v1/", include([path("ping", view, name="ping")]))])),
]

URLCONF = __name__

STATIC = ["/plain", "/blog/latest/", "/api/v1/ping"]
NOT_STATIC = ["/shadowed/page", "/items/special/", "/blog/hello/"]


@pytest.fixture(autouse=True)
def root_urlconf():
    with override_settings(ROOT_URLCONF=URLCONF):
        yield


def described(found: Any) -> tuple[Any, ...]:
    return (
        found.func,
        found.args,
        found.kwargs,
        found.url_name,
        found.route,
        found.app_names,
        found.namespaces,
        found.view_name,
        found.captured_kwargs,
        found.extra_kwargs,
        [[str(entry.pattern) for entry in step] for step in found.tried],
    )


@pytest.mark.parametrize("url", STATIC + NOT_STATIC)
def test_every_resolve_agrees_with_the_reference_walk(url):
    expected = described(get_resolver()._resolve_tried(url))
    for _ in range(3):  # the first call fills the table, the next ones read it
        assert described(resolve(url)) == expected


@pytest.mark.parametrize("url", STATIC)
def test_static_paths_are_kept_after_the_first_resolve(url):
    resolve(url)
    assert url in get_resolver()._static_matches


@pytest.mark.parametrize("url", NOT_STATIC)
def test_paths_an_earlier_pattern_may_answer_are_not_kept(url):
    resolve(url)
    assert url not in get_resolver()._static_matches


def test_the_first_of_two_identical_static_routes_wins():
    for _ in range(2):
        assert resolve("/plain").func is view


def test_a_shadowing_regex_still_wins():
    for _ in range(2):
        assert resolve("/shadowed/page").func is shadow


def test_each_match_is_a_fresh_object():
    first = resolve("/blog/latest/")
    first.kwargs["page"] = 2
    first.namespaces.append("changed")
    first.app_names.clear()
    first.extra_kwargs["site"] = "changed"
    second = resolve("/blog/latest/")
    assert second is not first
    assert second.kwargs == {"site": "main", "page": 1}
    assert second.namespaces == ["news"]
    assert second.app_names == ["blog"]
    assert second.extra_kwargs == {"site": "main", "page": 1}


def test_a_near_miss_of_a_static_path_is_still_a_404():
    resolve("/plain")
    for url in ("/plain/", "/Plain", "/api/v1/ping/", "plain"):
        with pytest.raises(Resolver404):
            resolve(url)


def test_a_urlconf_that_includes_itself_resolves(monkeypatch):
    module = types.ModuleType("tests.urls._self_including")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("here", view, name="here"),
        path("again/", include(module.__name__)),
    ]
    with override_settings(ROOT_URLCONF=module.__name__):
        for _ in range(2):
            assert resolve("/here").url_name == "here"
            assert resolve("/again/again/here").url_name == "here"
        with pytest.raises(Resolver404):
            resolve("/again/nowhere")
