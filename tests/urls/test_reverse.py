"""reverse(): names, views, converters, quoting, prefixes, queries and its errors."""

from __future__ import annotations

import contextvars
import uuid

import pytest

from asgi_cycle.test.utils import override_settings
from asgi_cycle.urls import (
    NoReverseMatch,
    get_script_prefix,
    path,
    re_path,
    resolve,
    reverse,
    reverse_lazy,
    set_script_prefix,
    set_urlconf,
)
from asgi_cycle.urls.base import clear_script_prefix

from . import test_converters  # noqa: F401 - registers the "even" and "yyyy" converters

# Made before urlpatterns exists: only evaluated when used.
LAZY_ITEM = reverse_lazy("item", args=[3])


def item(request, id):
    return "item"


def unnamed(request):
    return "unnamed"


def anything(request, **kwargs):
    return kwargs


def positional(request, *args):
    return args


urlpatterns = [
    path("items/<int:id>/", item, name="item"),
    path("str/<str:value>/", anything, name="str"),
    path("slug/<slug:value>/", anything, name="slug"),
    path("uuid/<uuid:value>/", anything, name="uuid"),
    path("path/<path:value>", anything, name="path"),
    path("even/<even:value>/", anything, name="even"),
    path("year/<yyyy:value>/", anything, name="year"),
    path("two/<int:a>/<str:b>/", anything, name="two"),
    path("unnamed/", unnamed),
    path("flagged/", anything, {"flag": True}, name="flagged"),
    path("many/", anything, name="many"),
    path("many/<int:page>/", anything, name="many"),
    re_path(r"^archive/(\d{4})/(\d{2})/$", positional, name="archive"),
    re_path(r"^opt/(?:(?P<page>\d+)/)?$", anything, name="optional"),
    re_path(r"^escaped/\d+\.html$", anything, name="escaped"),
    path("<path:anywhere>", anything, name="root-path"),
]


@pytest.fixture(autouse=True)
def root_urlconf():
    with override_settings(ROOT_URLCONF=__name__):
        yield


@pytest.mark.parametrize(
    ("name", "value", "url"),
    [
        ("item", 42, "/items/42/"),
        ("str", "hello", "/str/hello/"),
        ("slug", "a-slug_1", "/slug/a-slug_1/"),
        ("uuid", uuid.UUID(int=255), "/uuid/00000000-0000-0000-0000-0000000000ff/"),
        ("path", "a/b/c.txt", "/path/a/b/c.txt"),
        ("even", 10, "/even/10/"),
        ("year", 999, "/year/0999/"),
    ],
)
def test_reverse_and_resolve_round_trip_for_every_converter(name, value, url):
    key = "id" if name == "item" else "value"
    assert reverse(name, kwargs={key: value}) == url
    assert reverse(name, args=[value]) == url
    found = resolve(url)
    assert found.url_name == name
    assert found.kwargs == {key: value}


def test_converter_refusal_is_no_reverse_match():
    with pytest.raises(NoReverseMatch):
        reverse("even", args=[3])
    with pytest.raises(NoReverseMatch):
        reverse("item", args=["abc"])
    with pytest.raises(NoReverseMatch):
        reverse("item", args=[-1])
    with pytest.raises(NoReverseMatch):
        reverse("str", args=["a/b"])
    with pytest.raises(NoReverseMatch):
        reverse("uuid", args=["not-a-uuid"])


def test_reverse_by_view_callable():
    assert reverse(item, args=[1]) == "/items/1/"
    assert reverse(unnamed) == "/unnamed/"


def test_several_arguments():
    assert reverse("two", args=[1, "x"]) == "/two/1/x/"
    assert reverse("two", kwargs={"b": "x", "a": 1}) == "/two/1/x/"
    with pytest.raises(NoReverseMatch):
        reverse("two", args=[1])
    with pytest.raises(ValueError, match=r"Don't mix \*args and \*\*kwargs"):
        reverse("two", args=[1], kwargs={"b": "x"})


def test_patterns_sharing_a_name_are_chosen_by_their_arguments():
    assert reverse("many") == "/many/"
    assert reverse("many", args=[2]) == "/many/2/"
    assert reverse("many", kwargs={"page": 2}) == "/many/2/"


def test_default_kwargs_must_match_when_given():
    assert reverse("flagged") == "/flagged/"
    assert reverse("flagged", kwargs={"flag": True}) == "/flagged/"
    with pytest.raises(NoReverseMatch):
        reverse("flagged", kwargs={"flag": False})


def test_re_path_reverse():
    assert reverse("archive", args=[2024, "02"]) == "/archive/2024/02/"
    assert resolve("/archive/2024/02/").args == ("2024", "02")
    with pytest.raises(NoReverseMatch):
        reverse("archive", args=[24, "02"])  # the filled URL must match the regex
    assert reverse("optional") == "/opt/"
    assert reverse("optional", kwargs={"page": 4}) == "/opt/4/"
    assert reverse("escaped") == "/escaped/0.html"


def test_quoting_follows_django():
    assert reverse("path", args=["a b/é?#%"]) == "/path/a%20b/%C3%A9%3F%23%25"
    assert reverse("str", args=["!$&'()*+,;=:@~"]) == "/str/!$&'()*+,;=:@~/"
    assert reverse("str", args=["a[b]"]) == "/str/a%5Bb%5D/"
    assert reverse("str", args=["日本"]) == "/str/%E6%97%A5%E6%9C%AC/"


def test_a_reversed_url_never_starts_with_two_slashes():
    assert reverse("root-path", args=["/evil.example/x"]) == "/%2Fevil.example/x"


def test_query_and_fragment():
    assert reverse("item", args=[1], query={"q": "a b", "tag": ["x", "y"]}) == (
        "/items/1/?q=a+b&tag=x&tag=y"
    )
    assert reverse("item", args=[1], query=[("a", "1"), ("a", "2")]) == "/items/1/?a=1&a=2"
    assert reverse("item", args=[1], query={}) == "/items/1/"
    assert reverse("item", args=[1], fragment="top") == "/items/1/#top"
    assert reverse("item", args=[1], query={"a": 1}, fragment="") == "/items/1/?a=1#"

    class QueryDictLike:
        def urlencode(self):
            return "x=1&x=2"

    assert reverse("item", args=[1], query=QueryDictLike()) == "/items/1/?x=1&x=2"


def test_script_prefix_is_prepended_and_per_context():
    assert get_script_prefix() == "/"

    def mounted():
        set_script_prefix("/mount")
        assert get_script_prefix() == "/mount/"
        url = reverse("item", args=[1])
        clear_script_prefix()
        return url, reverse("item", args=[1])

    assert contextvars.copy_context().run(mounted) == ("/mount/items/1/", "/items/1/")
    assert get_script_prefix() == "/"


def test_set_urlconf_changes_what_reverse_reads():
    def other():
        set_urlconf("tests.urls.test_converters")
        return reverse("int", args=[1])

    assert contextvars.copy_context().run(other) == "/int/1/"
    with pytest.raises(NoReverseMatch):
        reverse("int", args=[1])
    assert reverse("int", urlconf="tests.urls.test_converters", args=[2]) == "/int/2/"


def test_no_reverse_match_messages_list_the_patterns_tried():
    with pytest.raises(NoReverseMatch) as caught:
        reverse("item", args=["abc"])
    assert str(caught.value) == (
        "Reverse for 'item' with arguments '('abc',)' not found. 1 pattern(s) tried: "
        "['items/(?P<id>[0-9]+)/\\\\Z']"
    )
    with pytest.raises(NoReverseMatch) as caught:
        reverse("many", kwargs={"page": "x"})
    assert str(caught.value) == (
        "Reverse for 'many' with keyword arguments '{'page': 'x'}' not found. 2 pattern(s) "
        "tried: ['many/(?P<page>[0-9]+)/\\\\Z', 'many/\\\\Z']"
    )
    with pytest.raises(NoReverseMatch) as caught:
        reverse("item")
    assert str(caught.value).startswith("Reverse for 'item' with no arguments not found.")


def test_no_reverse_match_for_unknown_names_and_views():
    with pytest.raises(NoReverseMatch) as caught:
        reverse("nope")
    assert str(caught.value) == (
        "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name."
    )

    def stray(request):
        return None

    with pytest.raises(NoReverseMatch) as caught:
        reverse(stray)
    assert "Reverse for 'tests.urls.test_reverse.stray' not found." in str(caught.value)


def test_reverse_lazy_acts_as_text():
    assert str(LAZY_ITEM) == "/items/3/"
    assert LAZY_ITEM == "/items/3/"
    assert f"{LAZY_ITEM}" == "/items/3/"
    assert LAZY_ITEM + "?x=1" == "/items/3/?x=1"
    assert "http://h" + LAZY_ITEM == "http://h/items/3/"
    assert LAZY_ITEM.startswith("/items/")
    assert len(LAZY_ITEM) == 9
    assert resolve(LAZY_ITEM).kwargs == {"id": 3}


def test_reverse_lazy_fails_only_when_used():
    broken = reverse_lazy("no-such-name")
    with pytest.raises(NoReverseMatch):
        str(broken)
