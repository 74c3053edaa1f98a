"""include(): every way to name the included urlconf, namespaces and their errors."""

from __future__ import annotations

import types

import pytest

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.test.utils import override_settings
from asgi_cycle.urls import (
    NoReverseMatch,
    Resolver404,
    URLResolver,
    get_resolver,
    include,
    path,
    re_path,
    resolve,
    reverse,
)

from . import included_blog, included_plain


def shop_item(request, pk, **kwargs):
    return "item"


def shop_index(request, **kwargs):
    return "index"


def region_view(request, region, pk):
    return "region"


shop_patterns = [
    path("", shop_index, name="index"),
    path("<int:pk>/", shop_item, name="item"),
]

inner_most = ([path("leaf/<int:pk>/", shop_item, name="leaf")], "leafapp")
middle = ([path("mid/", include(inner_most, namespace="inner"))], "midapp")

urlpatterns = [
    # A dotted module path with app_name = "blog": namespace defaults to the app name.
    path("blog/", include("tests.urls.included_blog")),
    # The same app deployed again under an instance namespace.
    path("news/", include("tests.urls.included_blog", namespace="news")),
    path("press/", include(included_blog, namespace="press")),
    # A module object without app_name: no namespace, names are global.
    path("plain/", include(included_plain)),
    # A (patterns, app_name) tuple, with and without an instance namespace.
    path("shop/", include((shop_patterns, "shop"))),
    path("outlet/", include((shop_patterns, "shop"), namespace="outlet")),
    # A bare list of patterns: no namespace.
    path("list/", include([path("x/<int:pk>/", shop_item, name="list-item")])),
    # Nested namespaces three levels deep.
    path("outer/", include(middle, namespace="outer")),
    # A captured parameter in the include's prefix reaches the view and reverse().
    path(
        "<slug:region>/stores/", include(([path("<int:pk>/", region_view, name="store")], "store"))
    ),
    re_path(
        r"^legacy/(?P<year>[0-9]{4})/",
        include(([path("<int:pk>/", shop_item, name="old")], "legacy")),
    ),
]


@pytest.fixture(autouse=True)
def root_urlconf():
    with override_settings(ROOT_URLCONF=__name__):
        yield


def test_dotted_path_with_app_name_sets_the_namespace():
    found = resolve("/blog/hello/")
    assert found.func is included_blog.post
    assert found.kwargs == {"slug": "hello"}
    assert (found.app_name, found.namespace) == ("blog", "blog")
    assert found.view_name == "blog:post"
    assert found.route == "blog/<slug:slug>/"
    assert reverse("blog:post", kwargs={"slug": "hello"}) == "/blog/hello/"


def test_instance_namespaces_of_one_app():
    news = resolve("/news/x/")
    assert (news.app_names, news.namespaces) == (["blog"], ["news"])
    assert news.view_name == "news:post"
    assert reverse("news:post", args=["x"]) == "/news/x/"
    assert reverse("press:index") == "/press/"


def test_app_namespace_reverses_to_the_default_instance():
    # The instance named like the app is the default.
    assert reverse("blog:index") == "/blog/"


def test_current_app_picks_the_instance():
    assert reverse("blog:index", current_app="news") == "/news/"
    assert reverse("blog:index", current_app="press") == "/press/"
    assert reverse("blog:index", current_app="no-such-instance") == "/blog/"


def test_without_a_default_instance_the_last_deployed_wins():
    # Here the app "shop" has a default instance (also named "shop") and "outlet".
    assert reverse("shop:item", args=[1]) == "/shop/1/"
    assert reverse("shop:item", args=[1], current_app="outlet") == "/outlet/1/"
    conf = types.ModuleType("no_default")
    conf.urlpatterns = [  # type: ignore[attr-defined]
        path("a/", include((shop_patterns, "store"), namespace="first")),
        path("b/", include((shop_patterns, "store"), namespace="second")),
    ]
    assert reverse("store:index", urlconf=conf) == "/b/"
    assert reverse("store:index", urlconf=conf, current_app="first") == "/a/"


def test_module_without_app_name_has_global_names():
    found = resolve("/plain/page/3/")
    assert found.func is included_plain.page
    assert found.namespace == ""
    assert found.url_name == "page"
    assert reverse("page", kwargs={"number": 3}) == "/plain/page/3/"


def test_namespace_inside_a_plain_include_is_reachable_from_the_root():
    found = resolve("/plain/nested/deep/2/")
    assert found.namespaces == ["nested"]
    assert found.app_names == ["nested-app"]
    assert reverse("nested:deep", args=[2]) == "/plain/nested/deep/2/"
    assert reverse("nested-app:deep", args=[2]) == "/plain/nested/deep/2/"


def test_tuple_include_and_list_include():
    assert resolve("/shop/").view_name == "shop:index"
    assert resolve("/outlet/4/").view_name == "outlet:item"
    listed = resolve("/list/x/9/")
    assert listed.namespace == ""
    assert listed.view_name == "list-item"
    assert reverse("list-item", args=[9]) == "/list/x/9/"


def test_nested_namespaces():
    found = resolve("/outer/mid/leaf/5/")
    assert found.namespaces == ["outer", "inner"]
    assert found.app_names == ["midapp", "leafapp"]
    assert (found.namespace, found.app_name) == ("outer:inner", "midapp:leafapp")
    assert found.view_name == "outer:inner:leaf"
    assert found.route == "outer/mid/leaf/<int:pk>/"
    assert reverse("outer:inner:leaf", kwargs={"pk": 5}) == "/outer/mid/leaf/5/"
    assert reverse("midapp:leafapp:leaf", kwargs={"pk": 5}) == "/outer/mid/leaf/5/"


def test_captured_prefix_parameters_reach_the_view_and_reverse():
    found = resolve("/north/stores/12/")
    assert found.func is region_view
    assert found.kwargs == {"region": "north", "pk": 12}
    assert reverse("store:store", kwargs={"region": "north", "pk": 12}) == "/north/stores/12/"
    old = resolve("/legacy/2001/3/")
    assert old.kwargs == {"year": "2001", "pk": 3}
    assert old.route == "^legacy/(?P<year>[0-9]{4})/<int:pk>/"
    assert reverse("legacy:old", kwargs={"year": "2001", "pk": 3}) == "/legacy/2001/3/"


def test_unknown_namespaces_name_the_problem():
    with pytest.raises(NoReverseMatch, match="^'nope' is not a registered namespace$"):
        reverse("nope:index")
    with pytest.raises(
        NoReverseMatch, match="^'nope' is not a registered namespace inside 'outer'$"
    ):
        reverse("outer:nope:leaf")


def test_name_in_a_namespace_is_not_global():
    with pytest.raises(NoReverseMatch):
        reverse("post", kwargs={"slug": "x"})


def test_include_tried_evidence_nests():
    with pytest.raises(Resolver404) as caught:
        resolve("/shop/not-a-number/")
    tried = caught.value.args[0]["tried"]
    shop_entries = [entry for entry in tried if getattr(entry[0], "namespace", None) == "shop"]
    assert [len(entry) for entry in shop_entries] == [2, 2]
    assert [entry[1].name for entry in shop_entries] == ["index", "item"]


def test_include_returns_module_app_name_and_namespace():
    assert include("tests.urls.included_blog") == (included_blog, "blog", "blog")
    assert include(included_blog, namespace="x") == (included_blog, "blog", "x")
    assert include(included_plain) == (included_plain, None, None)
    assert include((shop_patterns, "shop"), namespace="y") == (shop_patterns, "shop", "y")


def test_namespace_without_app_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="without providing an app_name"):
        include(included_plain, namespace="plain")
    with pytest.raises(ImproperlyConfigured, match="without providing an app_name"):
        include([path("a/", shop_index)], namespace="plain")


def test_tuple_of_wrong_length_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Passing a 3-tuple to include"):
        include((shop_patterns, "shop", "extra"))
    with pytest.raises(ImproperlyConfigured, match="Cannot override the namespace"):
        include((shop_patterns, "shop", "extra"), namespace="ns")


def test_include_of_a_missing_module_raises_import_error():
    with pytest.raises(ModuleNotFoundError):
        include("tests.urls.no_such_module")


def test_path_with_include_builds_a_resolver():
    entry = path("x/", include((shop_patterns, "shop"), namespace="x"), {"a": 1})
    assert isinstance(entry, URLResolver)
    assert (entry.app_name, entry.namespace, entry.default_kwargs) == ("shop", "x", {"a": 1})
    assert repr(entry) == "<URLResolver <URLPattern list> (shop:x) 'x/'>"


def test_path_rejects_bad_views_and_kwargs():
    class View:
        @classmethod
        def as_view(cls):
            return shop_index

    with pytest.raises(TypeError, match=r"pass View.as_view\(\), not View\(\)"):
        path("v/", View())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="view must be a callable or a list/tuple"):
        path("v/", "not.a.view")
    with pytest.raises(TypeError, match="kwargs argument must be a dict, but got list"):
        path("v/", shop_index, ["a"])  # type: ignore[arg-type]


def test_included_resolver_is_shared_by_get_resolver():
    root = get_resolver()
    assert resolve("/blog/").func is included_blog.blog_index
    assert root is get_resolver()


def test_tried_of_a_nested_match_names_the_includes():
    found = resolve("/outlet/4/")
    tried = found.tried or []
    # blog, news, press, plain, shop did not match the prefix; outlet's index, then item.
    assert [len(entry) for entry in tried] == [1, 1, 1, 1, 1, 2, 2]
    assert [entry[0].namespace for entry in tried[-2:]] == ["outlet", "outlet"]
    assert [entry[1].name for entry in tried[-2:]] == ["index", "item"]
