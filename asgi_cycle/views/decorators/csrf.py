"""CSRF view decorators: opt a view out of, or into, the CSRF checks.

``csrf_exempt`` only marks the view (``CsrfViewMiddleware`` reads the mark);
the others run the middleware's checks around just that view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.middleware.csrf import CsrfViewMiddleware, get_token
from asgi_cycle.views.decorators._middleware import decorator_from_middleware
from asgi_cycle.views.decorators._wrap import mark_view

V = TypeVar("V", bound=Callable[..., Any])


def csrf_exempt(view_func: V) -> V:
    """Mark a view as exempt from the CSRF checks (keeps it sync or async)."""
    return mark_view(view_func, csrf_exempt=True)


class _EnsureCsrfToken(CsrfViewMiddleware):
    """Sets up the token for the template but never rejects."""

    def _reject(self, request: Any, reason: str) -> Any:
        return None


class _EnsureCsrfCookie(_EnsureCsrfToken):
    """Also forces the cookie onto the response (pages that post with JavaScript)."""

    def process_view(
        self,
        request: Any,
        callback: Any,
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> Any:
        result = super().process_view(request, callback, callback_args, callback_kwargs)
        get_token(request)
        return result


csrf_protect = decorator_from_middleware(CsrfViewMiddleware)
csrf_protect.__doc__ = "Check the CSRF token for this view even without the middleware."
requires_csrf_token = decorator_from_middleware(_EnsureCsrfToken)
requires_csrf_token.__doc__ = "Make a CSRF token available to the template, never rejecting."
ensure_csrf_cookie = decorator_from_middleware(_EnsureCsrfCookie)
ensure_csrf_cookie.__doc__ = "Always send the CSRF cookie with this view's response."

__all__ = ["csrf_exempt", "csrf_protect", "ensure_csrf_cookie", "requires_csrf_token"]
