"""``no_append_slash``: opt one view out of ``APPEND_SLASH`` redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.views.decorators._wrap import mark_view

V = TypeVar("V", bound=Callable[..., Any])


def no_append_slash(view_func: V) -> V:
    """``CommonMiddleware`` will not redirect to this view's URL with a slash added."""
    return mark_view(view_func, should_append_slash=False)


__all__ = ["no_append_slash"]
