"""Cache headers per view: ``cache_control`` and ``never_cache``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.utils.cache import add_never_cache_headers, patch_cache_control
from asgi_cycle.views.decorators._wrap import after_view

V = TypeVar("V", bound=Callable[..., Any])


def cache_control(**kwargs: Any) -> Callable[[V], V]:
    """Add these ``Cache-Control`` directives (``max_age=60``, ``private=True``, ...)."""
    return after_view(
        lambda request, response: patch_cache_control(response, **kwargs), "cache_control"
    )


def never_cache(view_func: V) -> V:
    """Tell browsers and proxies never to cache this view's responses."""
    return after_view(lambda request, response: add_never_cache_headers(response), "never_cache")(
        view_func
    )


__all__ = ["cache_control", "never_cache"]
