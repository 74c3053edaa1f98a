"""What a template sees when rendered with a request: request, CSRF, context processors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asgi_cycle.template import engines
from asgi_cycle.template.loader import render_to_string
from asgi_cycle.test.utils import override_settings
from tests.views.requests import make_request

HERE = Path(__file__).parent
PROCESSORS = [
    f"asgi_cycle.template.context_processors.{name}"
    for name in ("request", "csrf", "static", "media", "debug")
] + ["tests.template.sample_app.helpers.shop_context"]


def jinja(**options):
    return [
        {
            "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
            "DIRS": [str(HERE / "dir_b")],
            "OPTIONS": options,
        }
    ]


@pytest.fixture(autouse=True)
def templates():
    with override_settings(TEMPLATES=jinja()):
        yield


def test_csrf_input_is_a_hidden_field_not_escaped():
    request = make_request(path="/form/")
    text = render_to_string("form.html", request=request)
    match = re.fullmatch(
        r'<form><input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"></form>',
        text.strip(),
    )
    assert match is not None
    # Rendering the token asks the middleware to send the cookie.
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_csrf_is_lazy_when_the_template_does_not_use_it():
    request = make_request()
    assert render_to_string("plain.html", {"who": "x"}, request=request).strip() == "plain x"
    assert "CSRF_COOKIE" not in request.META


def test_no_request_means_no_request_variables():
    template = engines["jinja2"].from_string(
        "{{ request is defined }} {{ csrf_input is defined }} {{ csrf_token is defined }}"
    )
    assert template.render({"x": 1}) == "False False False"


def test_context_processors_run_in_order_and_may_override():
    with override_settings(
        TEMPLATES=jinja(context_processors=PROCESSORS),
        STATIC_URL="/s/",
        MEDIA_URL="/m/",
        DEBUG=True,
        INTERNAL_IPS=["127.0.0.1"],
    ):
        request = make_request(path="/here/")
        text = render_to_string("ctx.html", request=request).strip()
        path, csrf_input, token, static, media, debug = text.split("|")
        assert path == "/here/"
        assert 'name="csrfmiddlewaretoken"' in csrf_input
        assert re.fullmatch(r"[A-Za-z0-9]{64}", token)
        assert (static, media, debug) == ("/s/", "/m/", "True")


def test_debug_processor_needs_internal_ip():
    with override_settings(
        TEMPLATES=jinja(context_processors=PROCESSORS), DEBUG=True, INTERNAL_IPS=[]
    ):
        text = render_to_string("ctx.html", request=make_request()).strip()
        assert text.endswith("|{{ debug }}")  # undefined, shown as such under DEBUG


def test_custom_processor_output_reaches_the_template():
    with override_settings(TEMPLATES=jinja(context_processors=PROCESSORS)):
        template = engines["jinja2"].from_string("{{ shop }} at {{ path_seen }}")
        assert template.render({}, make_request(path="/p/")) == "Cycle Shop at /p/"
        # A processor's value wins over the view's context, as in Django.
        assert template.render({"shop": "view"}, make_request()) == "Cycle Shop at /"


def test_the_callers_context_dict_is_not_modified():
    context = {"who": "me"}
    render_to_string("plain.html", context, request=make_request())
    assert context == {"who": "me"}
