"""Path converters: what each matches, what it passes to the view, and custom ones."""

from __future__ import annotations

import uuid

import pytest

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.urls import (
    Resolver404,
    get_converter,
    get_resolver,
    path,
    register_converter,
    reverse,
)
from asgi_cycle.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)


class EvenConverter:
    """Digits whose value is even; odd values fall through to the next pattern."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number % 2:
            raise ValueError("odd")
        return number

    def to_url(self, value: int) -> str:
        if value % 2:
            raise ValueError("odd")
        return str(value)


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(EvenConverter, "even")
register_converter(YearConverter, "yyyy")


def even_view(request, n):
    return "even"


def any_number_view(request, n):
    return "any"


def view(request, **kwargs):
    return kwargs


urlpatterns = [
    path("int/<int:value>/", view, name="int"),
    path("str/<str:value>/", view, name="str"),
    path("default/<value>/", view, name="default"),
    path("slug/<slug:value>/", view, name="slug"),
    path("uuid/<uuid:value>/", view, name="uuid"),
    path("path/<path:value>", view, name="path"),
    path("number/<even:n>/", even_view, name="number"),
    path("number/<int:n>/", any_number_view, name="number"),
    path("year/<yyyy:year>/", view, name="year"),
]

URLCONF = __name__


def match(url: str):
    return get_resolver(URLCONF).resolve(url)


def no_match(url: str) -> bool:
    with pytest.raises(Resolver404):
        match(url)
    return True


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/int/0/", 0), ("/int/42/", 42), ("/int/007/", 7), ("/int/" + "9" * 30 + "/", 10**30 - 1)],
)
def test_int_matches_digits_and_passes_an_int(url, expected):
    found = match(url)
    assert found.kwargs == {"value": expected}
    assert type(found.kwargs["value"]) is int


@pytest.mark.parametrize("value", ["-1", "1.5", "abc", "", "+1", " 1", "1 ", "١٢"])
def test_int_rejects_signs_points_letters_and_empty(value):
    assert no_match(f"/int/{value}/")


@pytest.mark.parametrize("value", ["a", "hello world", "é", "a.b", "%20", "-1"])
def test_str_matches_any_text_without_slash(value):
    assert match(f"/str/{value}/").kwargs == {"value": value}
    assert match(f"/default/{value}/").kwargs == {"value": value}


@pytest.mark.parametrize("url", ["/str//", "/str/a/b/", "/default/a/b/", "/default//"])
def test_str_stops_at_slash_and_needs_one_character(url):
    assert no_match(url)


@pytest.mark.parametrize("value", ["a", "hello-world", "under_score", "ABC-123"])
def test_slug_matches_ascii_letters_digits_hyphen_underscore(value):
    assert match(f"/slug/{value}/").kwargs == {"value": value}


@pytest.mark.parametrize("value", ["héllo", "a.b", "a b", "", "a+b"])
def test_slug_rejects_other_characters(value):
    assert no_match(f"/slug/{value}/")


def test_uuid_matches_lower_case_and_passes_a_uuid():
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    found = match(f"/uuid/{value}/")
    assert found.kwargs == {"value": value}
    assert isinstance(found.kwargs["value"], uuid.UUID)


@pytest.mark.parametrize(
    "value",
    [
        "12345678-1234-5678-1234-56781234567A",  # upper case is refused, as in Django
        "ABCDEF12-1234-5678-1234-567812345678",
        "12345678123456781234567812345678",  # no hyphens
        "12345678-1234-5678-1234-5678123456789",  # too long
        "1234567-1234-5678-1234-567812345678",  # too short
    ],
)
def test_uuid_rejects_upper_case_and_other_shapes(value):
    assert no_match(f"/uuid/{value}/")


@pytest.mark.parametrize("value", ["a", "a/b", "a/b/c/", "with space/é"])
def test_path_spans_slashes(value):
    assert match(f"/path/{value}").kwargs == {"value": value}


def test_path_needs_one_character():
    assert no_match("/path/")


def test_converter_methods():
    assert IntConverter().to_python("12") == 12
    assert IntConverter().to_url(12) == "12"
    assert StringConverter().to_url("x") == "x"
    assert SlugConverter().regex == "[-a-zA-Z0-9_]+"
    assert PathConverter().regex == ".+"
    value = uuid.uuid4()
    assert UUIDConverter().to_url(value) == str(value)
    assert UUIDConverter().to_python(str(value)) == value


def test_get_converter_returns_registered_instances():
    assert isinstance(get_converter("int"), IntConverter)
    assert isinstance(get_converter("even"), EvenConverter)
    with pytest.raises(KeyError):
        get_converter("no-such-converter")


def test_custom_converter_value_error_falls_through_to_next_pattern():
    even = match("/number/4/")
    assert even.func is even_view
    assert even.kwargs == {"n": 4}
    odd = match("/number/5/")
    assert odd.func is any_number_view
    assert odd.kwargs == {"n": 5}


def test_custom_converter_to_url_and_value_error_in_reverse():
    assert reverse("year", urlconf=URLCONF, kwargs={"year": 987}) == "/year/0987/"
    assert match("/year/0987/").kwargs == {"year": 987}
    assert no_match("/year/98/")
    # to_url refusing an odd number skips that pattern; the int pattern takes it.
    assert reverse("number", urlconf=URLCONF, kwargs={"n": 8}) == "/number/8/"
    assert reverse("number", urlconf=URLCONF, kwargs={"n": 9}) == "/number/9/"


def test_registering_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="'int' is already registered"):
        register_converter(YearConverter, "int")
    with pytest.raises(ValueError, match="'even' is already registered"):
        register_converter(YearConverter, "even")


def test_unknown_converter_is_improperly_configured():
    with pytest.raises(ImproperlyConfigured, match="uses invalid converter 'nope'"):
        path("x/<nope:value>/", view)


@pytest.mark.parametrize("route", ["x/<int:1st>/", "x/<int:a-b>/", "x/<a.b>/"])
def test_parameter_must_be_an_identifier(route):
    with pytest.raises(ImproperlyConfigured, match="isn't a valid Python identifier"):
        path(route, view)


@pytest.mark.parametrize("route", ["x/<int: value>/", "x/<int:value >/", "x/< value>/"])
def test_whitespace_in_angle_brackets_is_refused(route):
    with pytest.raises(ImproperlyConfigured, match="cannot contain whitespace"):
        path(route, view)


@pytest.mark.parametrize(
    "url", ["/int/1\x00/", "/slug/\x00/", "/slug/\ufffd\ufffd/", "/int/\ufffd/"]
)
def test_nul_and_replacement_characters_do_not_match_int_or_slug(url):
    assert no_match(url)


def test_str_takes_nul_and_replacement_characters_as_text():
    # As in Django: the str converter accepts them; the view decides what they mean.
    assert match("/str/a\x00b/").kwargs == {"value": "a\x00b"}
    assert match("/str/\ufffd\ufffd/").kwargs == {"value": "\ufffd\ufffd"}
