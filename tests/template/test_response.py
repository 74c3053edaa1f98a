"""SimpleTemplateResponse / TemplateResponse: lazy, rendered once, callbacks, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from asgi_cycle.core.exceptions import SynchronousOnlyOperation
from asgi_cycle.template import ContentNotRenderedError, TemplateDoesNotExist, engines
from asgi_cycle.template.response import SimpleTemplateResponse, TemplateResponse
from asgi_cycle.test.utils import override_settings
from tests.views.requests import make_request

HERE = Path(__file__).parent


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


def test_content_before_render_raises():
    response = SimpleTemplateResponse("plain.html", {"who": "a"})
    assert response.is_rendered is False
    with pytest.raises(ContentNotRenderedError):
        _ = response.content
    with pytest.raises(ContentNotRenderedError):
        iter(response)


def test_context_changes_before_render_are_seen():
    response = TemplateResponse(make_request(), "plain.html", {"who": "view"})
    response.context_data["who"] = "middleware"
    response.template_name = ["missing.html", "plain.html"]
    assert response.render() is response
    assert response.is_rendered is True
    assert response.content == b"plain middleware"
    assert list(response) == [b"plain middleware"]


def test_render_happens_once():
    response = SimpleTemplateResponse("plain.html", {"who": "one"})
    response.render()
    response.context_data["who"] = "two"
    response.render()
    assert response.content == b"plain one"
    assert response.rendered_content == "plain two"  # recomputed, never stored


def test_setting_content_counts_as_rendering():
    response = SimpleTemplateResponse("missing-anyway.html")
    response.content = b"by hand"
    assert response.is_rendered and response.render().content == b"by hand"


def test_status_content_type_headers_and_charset():
    response = TemplateResponse(
        make_request(),
        "plain.html",
        {"who": "x"},
        content_type="text/plain; charset=utf-8",
        status=201,
        headers={"X-Extra": "1"},
    )
    response.render()
    assert response.status_code == 201
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Extra"] == "1"
    assert response.asgi_headers().count((b"content-length", b"7")) == 1


def test_default_content_type_is_html():
    response = SimpleTemplateResponse("plain.html").render()
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_post_render_callbacks_run_after_render_and_may_replace():
    calls = []
    response = SimpleTemplateResponse("plain.html", {"who": "cb"})

    def first(resp):
        calls.append(("first", resp.content))

    def second(resp):
        calls.append(("second", resp.content))
        resp["X-Rendered"] = "yes"
        return SimpleTemplateResponse("plain.html", {"who": "replaced"}).render()

    response.add_post_render_callback(first)
    response.add_post_render_callback(second)
    assert calls == []
    final = response.render()
    assert calls == [("first", b"plain cb"), ("second", b"plain cb")]
    assert final.content == b"plain replaced" and response["X-Rendered"] == "yes"
    response.add_post_render_callback(lambda resp: calls.append(("late", resp.content)))
    assert calls[-1] == ("late", b"plain cb")


def test_template_response_uses_the_request():
    response = TemplateResponse(make_request(), "form.html").render()
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_template_object_and_using():
    template = engines["jinja2"].from_string("obj {{ who }}")
    assert SimpleTemplateResponse(template, {"who": "t"}).render().content == b"obj t"
    response = SimpleTemplateResponse("plain.html", {"who": "u"}, using="jinja2")
    assert response.render().content == b"plain u"


def test_missing_template_is_raised_at_render_time():
    response = SimpleTemplateResponse("missing.html")
    with pytest.raises(TemplateDoesNotExist):
        response.render()


async def test_arender_uses_async_rendering_on_the_loop():
    async def names():
        yield "a"
        yield "b"

    with override_settings(TEMPLATES=jinja(enable_async=True)):
        template = engines["jinja2"].from_string("{% for n in names %}{{ n }}{% endfor %}")
        response = SimpleTemplateResponse(template, {"names": names()})
        with pytest.raises(SynchronousOnlyOperation):
            response.render()
        response = SimpleTemplateResponse(template, {"names": names()})
        assert (await response.arender()).content == b"ab"
        assert (await response.arender()) is response


async def test_arender_with_a_sync_engine():
    response = TemplateResponse(make_request(), "plain.html", {"who": "s"})
    assert (await response.arender()).content == b"plain s"
