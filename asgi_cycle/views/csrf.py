"""``csrf_failure``: the default ``CSRF_FAILURE_VIEW`` (403).

With DEBUG off the page says only that verification failed, plus the two hints
Django gives every visitor (a missing Referer on HTTPS, a missing cookie), since
both are about the visitor's own browser settings. With DEBUG on it also names
the exact reason and the usual fixes. The reason is always HTML-escaped.

As in Django, a project template named ``403_csrf.html`` replaces the built-in
page; it gets ``reason``, ``no_referer``, ``no_cookie`` and ``DEBUG``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from asgi_cycle.conf import settings
from asgi_cycle.template.exceptions import TemplateDoesNotExist

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseForbidden

CSRF_FAILURE_TEMPLATE_NAME = "403_csrf.html"

_PAGE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="robots" content="NONE,NOARCHIVE">\n<title>403 Forbidden</title>\n'
    "</head>\n<body>\n<h1>Forbidden <span>(403)</span></h1>\n"
    "<p>CSRF verification failed. Request aborted.</p>\n{hints}{debug}</body>\n</html>\n"
)
_NO_REFERER_HINT = (
    "<p>You are seeing this message because this HTTPS site requires a Referer header "
    "to be sent by your browser, but none was sent. If you have configured your browser "
    "to disable Referer headers, please re-enable them, at least for this site.</p>\n"
)
_NO_COOKIE_HINT = (
    "<p>You are seeing this message because this site requires a CSRF cookie when "
    "submitting forms. If you have configured your browser to disable cookies, please "
    "re-enable them, at least for this site.</p>\n"
)
_DEBUG_HELP = (
    "<h2>Help</h2>\n<p>Reason given for failure:</p>\n<pre>{reason}</pre>\n"
    "<p>In general, this can occur when there is a genuine Cross Site Request Forgery, "
    "or when the CSRF mechanism has not been used correctly. For POST forms, ensure "
    "that:</p>\n<ul>\n<li>Your browser is accepting cookies.</li>\n"
    "<li>The view passes the token to the template (<code>get_token(request)</code>) "
    "and the form includes it as the <code>csrfmiddlewaretoken</code> field, or the "
    "request sends it in the <code>X-CSRFToken</code> header.</li>\n"
    "<li>The form's origin is this site or is listed in "
    "<code>CSRF_TRUSTED_ORIGINS</code>.</li>\n"
    "<li>The page was loaded after the last login: logging in rotates the token.</li>\n"
    "</ul>\n<p>You are seeing the help section of this page because you have "
    "<code>DEBUG = True</code> in your settings file. Change that to <code>False</code>, "
    "and only the initial error message will be displayed.</p>\n"
)


def csrf_failure(
    request: HttpRequest, reason: str = "", template_name: str = CSRF_FAILURE_TEMPLATE_NAME
) -> HttpResponseForbidden:
    """The 403 page for a request that failed CSRF verification."""
    from asgi_cycle.http import HttpResponseForbidden
    from asgi_cycle.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
    from asgi_cycle.template.loader import get_template

    no_referer = reason == REASON_NO_REFERER
    no_cookie = reason == REASON_NO_CSRF_COOKIE
    try:
        template = get_template(template_name)
    except TemplateDoesNotExist:
        # Only the default name falls back to the built-in page; a chosen one must exist.
        if template_name != CSRF_FAILURE_TEMPLATE_NAME:
            raise
    else:
        context = {
            "reason": reason,
            "no_referer": no_referer,
            "no_cookie": no_cookie,
            "DEBUG": settings.DEBUG,
        }
        return HttpResponseForbidden(template.render(context, request))
    hints = (_NO_REFERER_HINT if no_referer else "") + (_NO_COOKIE_HINT if no_cookie else "")
    debug = _DEBUG_HELP.format(reason=escape(reason)) if settings.DEBUG else ""
    body = _PAGE.format(hints=hints, debug=debug)
    return HttpResponseForbidden(body, content_type="text/html; charset=utf-8")


__all__ = ["CSRF_FAILURE_TEMPLATE_NAME", "csrf_failure"]
