"""Technical error pages shown when ``DEBUG`` is on (never otherwise).

Everything shown is escaped; settings whose names look secret are masked.
"""

from __future__ import annotations

import re
import traceback
from html import escape
from types import TracebackType
from typing import TYPE_CHECKING, Any

from asgi_cycle.conf import settings

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponse

HIDDEN_SETTINGS = re.compile(r"API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE", re.I)
CLEANSED = "********************"

_STYLE = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:0}header{background:#ffc;padding:1em 2em;"
    "border-bottom:1px solid #ddd}main{padding:1em 2em}pre{background:#f6f6f6;padding:1em;"
    "overflow:auto}table{border-collapse:collapse}td,th{text-align:left;padding:2px 8px;"
    "vertical-align:top;border-bottom:1px solid #eee}code{font-size:13px}"
)


def _page(title: str, summary: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>{summary}</header><main>{body}"
        "<p>You see this page because <code>DEBUG = True</code> is in your settings. "
        "Set it to <code>False</code> to show the standard page instead.</p></main></body></html>"
    )


def technical_404_response(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404 page listing the URL patterns that were tried, in order."""
    from asgi_cycle.http import HttpResponseNotFound

    tried: list[Any] = []
    if exception.args and isinstance(exception.args[0], dict):
        tried = exception.args[0].get("tried") or []
    rows = "".join(
        "<li><code>"
        + escape(" ".join(str(getattr(p, "pattern", p)) for p in entry))
        + "</code></li>"
        for entry in (e if isinstance(e, list | tuple) else [e] for e in tried)
    )
    reason = "" if tried else escape(str(exception))
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    body = (
        f"<p>Using the URLconf <code>{escape(str(urlconf))}</code>, these patterns were tried, "
        f"in this order:</p><ol>{rows}</ol>"
        if tried
        else f"<p>{reason}</p>"
    )
    summary = (
        f"<p><b>{escape(request.method or '')}</b> "
        f"<code>{escape(request.path_info)}</code> did not match any pattern.</p>"
    )
    return HttpResponseNotFound(_page("Page not found (404)", summary, body))


def cleanse_setting(name: str, value: Any) -> Any:
    """Mask the value of a setting whose name suggests a secret."""
    if HIDDEN_SETTINGS.search(name):
        return CLEANSED
    if isinstance(value, dict):
        return {k: cleanse_setting(str(k), v) for k, v in value.items()}
    return value


def technical_500_response(
    request: HttpRequest,
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    tb: TracebackType | None,
    status_code: int = 500,
) -> HttpResponse:
    """A page with the exception, its traceback and the (cleansed) request and settings."""
    from asgi_cycle.http import HttpResponse

    name = exc_type.__name__ if exc_type else "Error"
    frames = "".join(traceback.format_exception(exc_type, exc, tb)) if exc_type else ""
    meta_rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td><code>{escape(repr(cleanse_setting(str(k), v)))}"
        "</code></td></tr>"
        for k, v in sorted(request.META.items())
        if isinstance(v, str | int)
    )
    setting_rows = "".join(
        f"<tr><th>{escape(k)}</th><td><code>{escape(repr(cleanse_setting(k, v)))}</code></td></tr>"
        for k, v in sorted(vars(settings._wrapped_or_setup()).items())
        if k.isupper()
    )
    summary = (
        f"<p><b>{escape(name)}</b>: {escape(str(exc))}</p>"
        f"<p>{escape(request.method or '')} <code>{escape(request.path)}</code></p>"
    )
    body = (
        f"<h2>Traceback</h2><pre>{escape(frames)}</pre>"
        f"<h2>Request META</h2><table>{meta_rows}</table>"
        f"<h2>Settings</h2><table>{setting_rows}</table>"
    )
    return HttpResponse(
        _page(f"{name} at {request.path}", summary, body),
        status=status_code,
        content_type="text/html",
    )


__all__ = ["cleanse_setting", "technical_404_response", "technical_500_response"]
