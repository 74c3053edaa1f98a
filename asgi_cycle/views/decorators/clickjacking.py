"""``X-Frame-Options`` per view, overriding ``XFrameOptionsMiddleware``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.views.decorators._wrap import after_view

V = TypeVar("V", bound=Callable[..., Any])


def _set(value: str) -> Callable[[Any, Any], None]:
    def process(request: Any, response: Any) -> None:
        if response.get("X-Frame-Options") is None:
            response["X-Frame-Options"] = value

    return process


def xframe_options_deny(view_func: V) -> V:
    """``X-Frame-Options: DENY`` unless the view set one."""
    return after_view(_set("DENY"), "xframe_options_deny")(view_func)


def xframe_options_sameorigin(view_func: V) -> V:
    """``X-Frame-Options: SAMEORIGIN`` unless the view set one."""
    return after_view(_set("SAMEORIGIN"), "xframe_options_sameorigin")(view_func)


def _exempt(request: Any, response: Any) -> None:
    response.xframe_options_exempt = True


def xframe_options_exempt(view_func: V) -> V:
    """Let the page be framed: the middleware leaves these responses alone."""
    return after_view(_exempt, "xframe_options_exempt")(view_func)


__all__ = ["xframe_options_deny", "xframe_options_exempt", "xframe_options_sameorigin"]
