"""check_url_config(): Django's urls.* checks over a whole urlconf."""

from __future__ import annotations

import types
from typing import Any

from asgi_cycle.test.utils import override_settings
from asgi_cycle.urls import include, path, re_path
from asgi_cycle.urls.checks import check_url_config


def view(request):
    return "ok"


def good_404(request, exception):
    return "404"


def bad_500(request, exception, extra):
    return "500"


def urlconf(patterns: list[Any], **handlers: Any) -> types.ModuleType:
    module = types.ModuleType("checked_urlconf")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    for name, handler in handlers.items():
        setattr(module, name, handler)
    return module


def ids(messages: list[str]) -> list[str]:
    return [message.split(":", 1)[0] for message in messages]


def test_a_clean_urlconf_has_no_messages():
    conf = urlconf(
        [
            path("", view, name="home"),
            path("items/<int:id>/", view, name="item"),
            re_path(r"^old/(?P<year>[0-9]{4})/$", view),
            path("shop/", include(([path("a/", view, name="a")], "shop"))),
        ],
        handler404=good_404,
    )
    assert check_url_config(conf) == []


def test_the_test_urlconfs_are_clean():
    assert check_url_config("tests.urls.test_include") == []
    assert check_url_config("tests.urls.test_reverse") == []


def test_leading_slash_warns_unless_append_slash_is_off():
    conf = urlconf([path("/items/", view), path("/shop/", include([path("x/", view)]))])
    messages = check_url_config(conf)
    assert ids(messages) == ["urls.W002"]
    assert "Your URL pattern '/items/' has a route beginning with a '/'" in messages[0]
    with override_settings(APPEND_SLASH=False):
        assert check_url_config(urlconf([path("/items/", view)])) == []


def test_regex_syntax_in_path_warns():
    messages = check_url_config(urlconf([path("^items/(?P<id>[0-9]+)/$", view)]))
    assert ids(messages) == ["2_0.W001"]


def test_include_route_ending_with_dollar_warns():
    messages = check_url_config(urlconf([re_path(r"^shop/$", include([path("x/", view)]))]))
    assert ids(messages) == ["urls.W001"]


def test_colon_in_name_warns():
    messages = check_url_config(urlconf([path("a/", view, name="shop:a")]))
    assert messages == [
        "urls.W003: Your URL pattern 'a/' [name='shop:a'] has a name including a ':'. "
        "Remove the colon, to avoid ambiguous namespace references."
    ]


def test_unmatched_angle_brackets_warn():
    messages = check_url_config(urlconf([path("a/<int:id/", view), path("b/id>/", view)]))
    assert messages == [
        "urls.W010: Your URL pattern 'a/<int:id/' has an unmatched '<' bracket.",
        "urls.W010: Your URL pattern 'b/id>/' has an unmatched '>' bracket.",
    ]


def test_duplicate_namespaces_warn():
    inner = ([path("x/", view, name="x")], "app")
    conf = urlconf(
        [path("a/", include(inner, namespace="ns")), path("b/", include(inner, namespace="ns"))]
    )
    assert check_url_config(conf) == [
        "urls.W005: URL namespace 'ns' isn't unique. You may not be able to reverse all URLs "
        "in this namespace"
    ]


def test_invalid_entries_are_errors():
    messages = check_url_config(urlconf(["prefix", ("a/", view), path("ok/", view)]))
    assert ids(messages) == ["urls.E004", "urls.E004"]
    assert "try removing the string 'prefix'" in messages[0]
    assert "try using path() instead of a tuple" in messages[1]


def test_error_handler_signatures_and_imports():
    conf = urlconf([path("a/", view)], handler500=bad_500, handler403="tests.urls.nope.view")
    messages = check_url_config(conf)
    assert ids(messages) == ["urls.E008", "urls.E007"]
    assert messages[0].startswith(
        "urls.E008: The custom handler403 view 'tests.urls.nope.view' could not be imported."
    )
    assert messages[1] == (
        "urls.E007: The custom handler500 view 'tests.urls.test_checks.bad_500' does not take "
        "the correct number of arguments (request)."
    )
