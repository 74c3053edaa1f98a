"""``Vary`` per view: the response depends on these request headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.utils.cache import patch_vary_headers
from asgi_cycle.views.decorators._wrap import after_view

V = TypeVar("V", bound=Callable[..., Any])


def vary_on_headers(*headers: str) -> Callable[[V], V]:
    """Add ``headers`` to the response's ``Vary`` header."""
    return after_view(
        lambda request, response: patch_vary_headers(response, headers), "vary_on_headers"
    )


def vary_on_cookie(view_func: V) -> V:
    """Add ``Cookie`` to the response's ``Vary`` header."""
    return after_view(
        lambda request, response: patch_vary_headers(response, ("Cookie",)), "vary_on_cookie"
    )(view_func)


__all__ = ["vary_on_cookie", "vary_on_headers"]
