"""The csrf_failure view: the built-in page, DEBUG detail, and a project's 403_csrf.html."""

from __future__ import annotations

from pathlib import Path

import pytest

from asgi_cycle.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from asgi_cycle.template.exceptions import TemplateDoesNotExist
from asgi_cycle.test import override_settings
from asgi_cycle.views.csrf import csrf_failure

from .utils import make_request


def test_builtin_page_hides_the_reason():
    response = csrf_failure(make_request("POST"), reason="CSRF token missing.")
    assert response.status_code == 403
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"CSRF verification failed. Request aborted." in response.content
    assert b"CSRF token missing" not in response.content


@pytest.mark.parametrize(
    ("reason", "hint"),
    [(REASON_NO_REFERER, b"Referer header"), (REASON_NO_CSRF_COOKIE, b"CSRF cookie")],
)
def test_builtin_page_hints_about_the_browser(reason, hint):
    assert hint in csrf_failure(make_request("POST"), reason=reason).content


@override_settings(DEBUG=True)
def test_debug_page_names_the_reason_escaped():
    response = csrf_failure(make_request("POST"), reason="Origin <script> failed")
    assert b"Origin &lt;script&gt; failed" in response.content
    assert b"<script>" not in response.content


def test_project_template_replaces_the_page(tmp_path: Path):
    (tmp_path / "403_csrf.html").write_text("custom: {{ reason }} {{ no_cookie }}")
    templates = [
        {"BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2", "DIRS": [str(tmp_path)]}
    ]
    with override_settings(TEMPLATES=templates):
        response = csrf_failure(make_request("POST"), reason=REASON_NO_CSRF_COOKIE)
        assert response.status_code == 403
        assert response.content == f"custom: {REASON_NO_CSRF_COOKIE} True".encode()
        with pytest.raises(TemplateDoesNotExist):
            csrf_failure(make_request("POST"), template_name="missing.html")
