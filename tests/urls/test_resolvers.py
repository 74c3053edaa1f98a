"""Resolving paths: Django's matching rules, ResolverMatch, Resolver404 and error handlers."""

from __future__ import annotations

import contextvars
import functools
import pickle
import types
from typing import Any

import pytest

import asgi_cycle.urls
from asgi_cycle.test.utils import override_settings
from asgi_cycle.urls import (
    Resolver404,
    ResolverMatch,
    URLPattern,
    URLResolver,
    clear_url_caches,
    get_resolver,
    get_urlconf,
    include,
    is_valid_path,
    path,
    re_path,
    resolve,
    set_urlconf,
)


def index(request):
    return "index"


def detail(request, id):
    return "detail"


def shadowed(request, id):
    return "never reached"


def archive(request, year, month):
    return "archive"


def named(request, **kwargs):
    return kwargs


def class_based(request):
    return "cbv"


class ArticleView:
    """Stands in for a class-based view: as_view() returns a function with view_class."""


class_based.view_class = ArticleView  # type: ignore[attr-defined]


class CallableView:
    def __call__(self, request):
        return "instance"


def custom_404(request, exception):
    return "custom 404"


def custom_500(request):
    return "custom 500"


handler404 = "tests.urls.test_resolvers.custom_404"
handler500 = custom_500

urlpatterns = [
    path("", index, name="index"),
    path("items/<int:id>/", detail, name="item"),
    path("items/<int:id>/", shadowed, name="item-shadowed"),
    path("items/special/", named, name="special"),
    re_path(r"^archive/(\d{4})/(\d{2})/$", archive, name="archive"),
    re_path(r"^mixed/(?P<year>\d{4})/(\d{2})/$", named, name="mixed"),
    re_path(r"^optional/(?:(?P<page>\d+)/)?$", named, name="optional"),
    re_path(r"loose/", named, name="loose"),
    re_path(r"tail/$", named, name="tail"),
    path("extra/<int:id>/", named, {"id": 99, "flag": True}, name="extra"),
    path("section/", include([path("<slug:part>/", named, name="part")]), {"via": "section"}),
    path("cbv/", class_based),
    path("instance/", CallableView()),
    path("partial/", functools.partial(named, fixed=1), name="partial"),
]

URLCONF = __name__


@pytest.fixture(autouse=True)
def root_urlconf():
    with override_settings(ROOT_URLCONF=URLCONF):
        yield


def naive_first_match(patterns: list[Any], path_without_slash: str) -> Any:
    """Django's rule written the obvious way: the first pattern that resolves."""
    for entry in patterns:
        try:
            found = entry.resolve(path_without_slash)
        except Resolver404:
            continue
        if found:
            return found
    return None


def test_the_empty_route_is_the_root():
    found = resolve("/")
    assert found.func is index
    assert found.route == ""
    assert found.url_name == "index"


@pytest.mark.parametrize("url", ["/items/1/x", "/items/1", "/xitems/1/", "items/1/", "/items//"])
def test_path_routes_are_anchored_at_both_ends(url):
    with pytest.raises(Resolver404):
        resolve(url)


def test_first_matching_pattern_wins():
    found = resolve("/items/5/")
    assert found.func is detail
    assert found.url_name == "item"
    assert found.kwargs == {"id": 5}
    # "special" is not an int: the int pattern refuses it and the static one matches.
    assert resolve("/items/special/").url_name == "special"


def test_re_path_without_named_groups_passes_positional_args():
    found = resolve("/archive/2024/02/")
    assert found.args == ("2024", "02")
    assert found.kwargs == {}
    assert found.route == r"^archive/(\d{4})/(\d{2})/$"


def test_re_path_with_named_groups_passes_only_kwargs():
    found = resolve("/mixed/2024/02/")
    assert found.args == ()
    assert found.kwargs == {"year": "2024"}


def test_unmatched_optional_named_group_is_left_out():
    assert resolve("/optional/").kwargs == {}
    assert resolve("/optional/3/").kwargs == {"page": "3"}


def test_re_path_regex_is_used_as_given_search_semantics():
    # Without ^ the regex may match anywhere in the rest of the path, as in Django.
    assert resolve("/anything/before/loose/and/after").url_name == "loose"
    # A $ at the end of an endpoint regex means the whole rest must match (fullmatch).
    assert resolve("/tail/").url_name == "tail"
    for url in ("/before/tail/", "/tail/\n"):
        with pytest.raises(Resolver404):
            resolve(url)


def test_extra_kwargs_override_captured_ones():
    found = resolve("/extra/5/")
    assert found.kwargs == {"id": 99, "flag": True}
    assert found.captured_kwargs == {"id": 5}
    assert found.extra_kwargs == {"id": 99, "flag": True}


def test_include_kwargs_reach_the_view_and_route_is_joined():
    found = resolve("/section/intro/")
    assert found.kwargs == {"via": "section", "part": "intro"}
    assert found.extra_kwargs == {"via": "section"}
    assert found.captured_kwargs == {"part": "intro"}
    assert found.route == "section/<slug:part>/"


def test_resolver_match_unpacks_and_indexes_like_a_tuple():
    found = resolve("/items/7/")
    func, args, kwargs = found
    assert (func, args, kwargs) == (detail, (), {"id": 7})
    assert found[0] is detail and found[2] == {"id": 7}


def test_resolver_match_repr():
    assert repr(resolve("/items/7/")) == (
        "ResolverMatch(func=tests.urls.test_resolvers.detail, args=(), kwargs={'id': 7}, "
        "url_name='item', app_names=[], namespaces=[], route='items/<int:id>/', "
        "captured_kwargs={'id': 7})"
    )
    assert repr(resolve("/extra/1/")).endswith(
        "captured_kwargs={'id': 1}, extra_kwargs={'id': 99, 'flag': True})"
    )
    assert repr(resolve("/partial/")).startswith("ResolverMatch(func=functools.partial(")


def test_view_name_falls_back_to_the_dotted_path():
    assert resolve("/items/7/").view_name == "item"
    assert resolve("/cbv/").view_name == "tests.urls.test_resolvers.ArticleView"
    assert resolve("/instance/").view_name == "tests.urls.test_resolvers.CallableView"
    assert resolve("/archive/2024/02/").view_name == "archive"


def test_resolver_match_cannot_be_pickled():
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(resolve("/"))


def test_tried_on_a_match_lists_every_pattern_up_to_it():
    found = resolve("/items/special/")
    assert [entry[0].name for entry in found.tried or []] == [
        "index",
        "item",
        "item-shadowed",
        "special",
    ]


def test_resolver404_carries_path_and_every_pattern_tried():
    with pytest.raises(Resolver404) as caught:
        resolve("/section/not a slug/")
    evidence = caught.value.args[0]
    assert evidence["path"] == "section/not a slug/"
    tried = evidence["tried"]
    assert len(tried) == len(urlpatterns)
    assert [entry[0] for entry in tried] == urlpatterns
    # The include's prefix matched: its entry names the include, then the inner pattern.
    section = tried[10]
    assert isinstance(section[0], URLResolver)
    assert isinstance(section[1], URLPattern) and section[1].name == "part"


def test_resolver404_for_a_path_without_leading_slash_has_no_tried():
    with pytest.raises(Resolver404) as caught:
        resolve("items/1/")
    assert caught.value.args[0] == {"path": "items/1/"}


@pytest.mark.parametrize(
    "url",
    [
        "/\ufffd\ufffd/",  # /%ff%fe/ after decoding with replacement
        "/%ff%fe/",  # never decoded
        "/\x00/",
        "/items/\x00/",
        "/items/1\x00/",
        "/archive/2024/0\x00/",
        "/" + "\ud800" + "/",  # a lone surrogate
    ],
)
def test_hostile_paths_are_404_not_errors(url):
    with pytest.raises(Resolver404):
        resolve(url)
    assert is_valid_path(url) is False


def test_thirty_digit_int_matches_like_django():
    found = resolve("/items/" + "1" * 30 + "/")
    assert found.kwargs == {"id": int("1" * 30)}


def test_is_valid_path_returns_the_match_or_false():
    found = is_valid_path("/items/3/")
    assert isinstance(found, ResolverMatch) and found.func is detail
    assert is_valid_path("/nope/") is False
    assert is_valid_path("/index/", "tests.urls.test_converters") is False


def test_error_handlers_come_from_the_urlconf():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(404) is custom_404
    assert resolver.resolve_error_handler(500) is custom_500


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "bad_request"),
        (403, "permission_denied"),
        (404, "page_not_found"),
        (500, "server_error"),
    ],
)
def test_error_handlers_default_to_asgi_cycle_views(status, name):
    handler = get_resolver("tests.urls.test_converters").resolve_error_handler(status)
    assert handler.__module__ == "asgi_cycle.views.defaults"
    assert handler.__name__ == name


@pytest.mark.parametrize(("status", "name"), [(400, "bad_request"), (403, "permission_denied")])
def test_handlers_a_urlconf_leaves_out_fall_back_to_the_defaults(status, name):
    handler = get_resolver().resolve_error_handler(status)
    assert (handler.__module__, handler.__name__) == ("asgi_cycle.views.defaults", name)


def test_get_resolver_is_cached_per_urlconf_and_follows_root_urlconf():
    assert get_resolver() is get_resolver(URLCONF)
    assert get_resolver() is not get_resolver("tests.urls.test_converters")
    with override_settings(ROOT_URLCONF="tests.urls.test_converters"):
        assert get_resolver().urlconf_name == "tests.urls.test_converters"
        assert resolve("/int/3/").kwargs == {"value": 3}
    assert get_resolver().urlconf_name == URLCONF


def test_clear_url_caches_builds_new_resolvers():
    before = get_resolver()
    clear_url_caches()
    assert get_resolver() is not before


def test_set_urlconf_is_per_context():
    assert get_urlconf() is None

    def in_other_context():
        set_urlconf("tests.urls.test_converters")
        return get_urlconf(), resolve("/int/4/").kwargs

    assert contextvars.copy_context().run(in_other_context) == (
        "tests.urls.test_converters",
        {"value": 4},
    )
    assert get_urlconf() is None
    assert get_urlconf("fallback") == "fallback"


def test_missing_urlpatterns_is_improperly_configured():
    from asgi_cycle.core.exceptions import ImproperlyConfigured

    empty = types.ModuleType("no_patterns")
    with pytest.raises(ImproperlyConfigured, match="does not appear to have any patterns"):
        get_resolver(empty).resolve("/")


def _large_urlconf() -> tuple[types.ModuleType, dict[str, str]]:
    """500 routes of every kind, with overlaps whose winner is known."""
    patterns = []
    expected: dict[str, str] = {}
    for i in range(500):
        kind = i % 5
        name = f"r{i}"
        if kind == 0:
            patterns.append(path(f"r{i}/", named, name=name))
            expected[f"/r{i}/"] = name
        elif kind == 1:
            patterns.append(path(f"r{i}/<int:x>/", named, name=name))
            expected[f"/r{i}/{i}/"] = name
        elif kind == 2:
            patterns.append(path(f"r{i}/<str:x>/end/", named, name=name))
            expected[f"/r{i}/abc/end/"] = name
        elif kind == 3:
            patterns.append(re_path(rf"^r{i}/(?P<x>[a-z]+)/$", named, name=name))
            expected[f"/r{i}/xyz/"] = name
        else:
            patterns.append(path(f"r{i}/<even:x>/", named, name=name))
            expected[f"/r{i}/2/"] = name
        if i == 250:
            # Overlaps: the earlier pattern must win although later ones match too.
            patterns.append(path("dup/<int:x>/", named, name="dup-int"))
            patterns.append(path("dup/7/", named, name="dup-static"))
            patterns.append(path("dup/<str:x>/", named, name="dup-str"))
            patterns.append(path("odd/<even:x>/", named, name="odd-even"))
            patterns.append(path("odd/<int:x>/", named, name="odd-int"))
    patterns.append(path("<path:rest>", named, name="catch-all"))
    expected.update(
        {
            "/dup/7/": "dup-int",
            "/dup/seven/": "dup-str",
            "/odd/4/": "odd-even",
            "/odd/5/": "odd-int",
            "/r1/abc/": "catch-all",  # r1 takes an int only
            "/r4/3/": "catch-all",  # even converter refuses 3
            "/r499/": "catch-all",
        }
    )
    module = types.ModuleType("large_urlconf")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    return module, expected


def test_large_urlconf_resolves_every_route_in_django_order():
    import tests.urls.test_converters  # noqa: F401 - registers the "even" converter

    module, expected = _large_urlconf()
    resolver = get_resolver(module)
    for url, name in expected.items():
        found = resolver.resolve(url)
        assert found.url_name == name, url
        oracle = naive_first_match(module.urlpatterns, url[1:])
        assert (found.func, found.args, found.kwargs) == (oracle.func, oracle.args, oracle.kwargs)
    with pytest.raises(Resolver404) as caught:
        resolver.resolve("no-slash")
    assert caught.value.args[0] == {"path": "no-slash"}


def test_resolving_agrees_with_the_obvious_loop():
    module, expected = _large_urlconf()
    patterns: list[Any] = module.urlpatterns
    module.urlpatterns = [p for p in patterns if p.name != "catch-all"]  # type: ignore[attr-defined]
    resolver = get_resolver(module)
    probes = list(expected) + [
        f"/r{i}/{suffix}"
        for i in range(0, 500, 7)
        for suffix in (
            "",
            "1/",
            "ab/",
            "ab/end/",
            "2/",
            "3/",
            "x/y/",
        )
    ]
    for url in probes:
        oracle = naive_first_match(module.urlpatterns, url[1:])
        if oracle is None:
            with pytest.raises(Resolver404) as caught:
                resolver.resolve(url)
            assert len(caught.value.args[0]["tried"]) == len(patterns) - 1
        else:
            found = resolver.resolve(url)
            assert (found.func, found.kwargs, found.url_name) == (
                oracle.func,
                oracle.kwargs,
                oracle.url_name,
            ), url


def test_public_names():
    pinned = {
        "path", "re_path", "include", "reverse", "resolve", "register_converter",
        "NoReverseMatch", "Resolver404", "ResolverMatch", "get_resolver", "URLPattern",
        "URLResolver", "reverse_lazy", "get_urlconf", "set_urlconf", "clear_url_caches",
        "is_valid_path", "get_script_prefix", "set_script_prefix", "get_converter",
    }  # fmt: skip
    assert pinned <= set(asgi_cycle.urls.__all__)
    for name in asgi_cycle.urls.__all__:
        assert getattr(asgi_cycle.urls, name) is not None


def test_every_kind_of_pattern_keeps_its_place_in_the_order():
    def make(name: str) -> Any:
        def view(request, *args, **kwargs):
            return name

        view.__name__ = name
        return view

    patterns = [
        path("a/<str:x>/", make("a-str")),
        path("a/b/", make("a-static")),
        re_path(r"b/", make("unanchored")),
        re_path(r"^c/(x|y)/$", make("alternation")),
        path("", include([path("c/x/", make("included-static"))])),
        path("c/x/", make("c-static")),
        re_path(r"^c\.d/(?P<n>\d+)?$", make("escaped-dot")),
        path("c.d/", make("c.d-static")),
        path("deep/er/<int:n>/", make("deep-int")),
        path("deep/", include([path("er/<slug:s>/", make("deep-slug"))])),
        path("deep/er/7/", make("deep-static")),
    ]
    module = types.ModuleType("order_urlconf")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    resolver = get_resolver(module)
    expected = {
        "/a/b/": "a-str",
        "/x/b/": "unanchored",
        "/c/x/": "alternation",
        "/c/z/": None,
        "/c.d/": "escaped-dot",
        "/c.d/5": "escaped-dot",
        "/cxd/": None,
        "/deep/er/7/": "deep-int",
        "/deep/er/seven/": "deep-slug",
        "/deep/er/": None,
    }
    for url, name in expected.items():
        oracle = naive_first_match(patterns, url[1:])
        if name is None:
            assert oracle is None
            with pytest.raises(Resolver404):
                resolver.resolve(url)
            continue
        found = resolver.resolve(url)
        assert found.func.__name__ == name == oracle.func.__name__, url
        assert (found.args, found.kwargs) == (oracle.args, oracle.kwargs)


def oracle_tried(patterns: list[Any], rest: str) -> list[list[Any]]:
    """Django's record of a miss, written the obvious way with each pattern's resolve()."""
    tried: list[list[Any]] = []
    for entry in patterns:
        try:
            found = entry.resolve(rest)
        except Resolver404 as exc:
            sub = exc.args[0].get("tried")
            if sub is None:
                tried.append([entry])
            else:
                tried.extend([entry, *t] for t in sub)
            continue
        assert found is None
        tried.append([entry])
    return tried


@pytest.mark.parametrize(
    "url",
    ["/nope/", "/section/", "/section/a b/", "/items/x/", "/archive/1/", "/", "/extra/"],
)
def test_resolver404_tried_is_djangos_record(url):
    patterns = [p for p in urlpatterns if str(p.pattern) != ""]  # "/" must miss too
    module = types.ModuleType("miss_urlconf")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    with pytest.raises(Resolver404) as caught:
        get_resolver(module).resolve(url)
    assert caught.value.args[0]["path"] == url[1:]
    assert caught.value.args[0]["tried"] == oracle_tried(patterns, url[1:])


def test_resolver404_tried_through_nested_includes():
    deepest = [path("leaf/<int:n>/", named), path("other/", named)]
    middle = [path("mid/", include(deepest)), path("mid/x/", named)]
    patterns = [path("top/", include(middle)), path("top/", include([])), path("z/", named)]
    module = types.ModuleType("nested_miss")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    with pytest.raises(Resolver404) as caught:
        get_resolver(module).resolve("/top/mid/leaf/x/")
    tried = caught.value.args[0]["tried"]
    assert tried == oracle_tried(patterns, "top/mid/leaf/x/")
    assert [len(entry) for entry in tried] == [3, 3, 2, 1]
