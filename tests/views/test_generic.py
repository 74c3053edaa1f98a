"""TemplateView and RedirectView."""

from __future__ import annotations

from pathlib import Path

import pytest

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.template.response import TemplateResponse
from asgi_cycle.test.utils import override_settings
from asgi_cycle.views import RedirectView, TemplateView

from .requests import make_request

TEMPLATES = [
    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": [str(Path(__file__).parent / "templates")],
    }
]


@pytest.fixture(autouse=True)
def settings_for_views():
    with override_settings(TEMPLATES=TEMPLATES, ROOT_URLCONF="tests.views.urls"):
        yield


class Page(TemplateView):
    template_name = "page.html"
    extra_context = {"title": "Hello"}


def test_template_view_returns_a_lazy_template_response():
    response = Page.as_view()(make_request(), slug="intro")
    assert isinstance(response, TemplateResponse)
    assert response.is_rendered is False
    assert response.template_name == ["page.html"]
    assert response.context_data["slug"] == "intro"
    assert response.render().content == b"Hello|intro|Page"


def test_template_name_and_extra_context_from_as_view():
    view = TemplateView.as_view(template_name="other.html", extra_context={"title": "T"})
    assert view(make_request()).render().content == b"other T"


def test_extra_context_overrides_url_kwargs():
    response = Page.as_view()(make_request(), slug="s", title="from-url")
    assert response.context_data["title"] == "Hello"


def test_template_view_head_and_content_type():
    view = Page.as_view(content_type="text/plain; charset=utf-8")
    response = view(make_request("HEAD"), slug="h")
    assert response.render().headers["Content-Type"] == "text/plain; charset=utf-8"
    assert view(make_request("POST")).status_code == 405


def test_template_view_without_template_name():
    with pytest.raises(ImproperlyConfigured, match="template_name"):
        TemplateView.as_view()(make_request())


def test_redirect_view_to_url_with_kwargs_formatting():
    view = RedirectView.as_view(url="/new/%(slug)s/")
    response = view(make_request(), slug="x")
    assert (response.status_code, response["Location"]) == (302, "/new/x/")


def test_redirect_view_permanent():
    response = RedirectView.as_view(url="/new/", permanent=True)(make_request())
    assert (response.status_code, response["Location"]) == (301, "/new/")


def test_redirect_view_to_pattern_name():
    view = RedirectView.as_view(pattern_name="article")
    response = view(make_request(), year=2024, slug="cycle")
    assert response["Location"] == "/articles/2024/cycle/"


def test_redirect_view_keeps_query_string_when_asked():
    request = make_request(query="a=1&b=2")
    assert RedirectView.as_view(url="/n/")(request)["Location"] == "/n/"
    response = RedirectView.as_view(url="/n/", query_string=True)(request)
    assert response["Location"] == "/n/?a=1&b=2"


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_redirect_view_answers_every_method(method):
    response = RedirectView.as_view(url="/n/")(make_request(method))
    assert response.status_code == 302


def test_redirect_view_without_target_is_gone():
    response = RedirectView.as_view()(make_request())
    assert response.status_code == 410


def test_gone_is_logged_with_the_path_escaped(caplog):
    caplog.set_level("WARNING", logger="asgi_cycle.request")
    RedirectView.as_view()(make_request(path="/old\n"))
    assert caplog.messages == ["Gone: /old\\n"]
