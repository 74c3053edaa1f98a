"""Lazy CSRF values for template contexts.

Both are lazy so that a page that never shows a form never creates a CSRF
secret (and never makes the middleware send the cookie).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest


def get_csrf_token(request: HttpRequest) -> str:
    """The masked CSRF token for ``request`` (creating the secret when needed)."""
    # Imported here: the CSRF middleware is optional and imports the HTTP layer.
    from asgi_cycle.middleware.csrf import get_token

    return get_token(request)


def csrf_input(request: HttpRequest) -> Markup:
    """The hidden ``csrfmiddlewaretoken`` field for a form."""
    return Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">').format(
        get_csrf_token(request)
    )


class _LazyText:
    """A string computed on first use; ``__html__`` says whether it is already safe."""

    __slots__ = ("_func", "_request", "_safe", "_value")

    def __init__(self, func: Any, request: HttpRequest, safe: bool) -> None:
        self._func = func
        self._request = request
        self._safe = safe
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = str(self._func(self._request))
        return self._value

    def __html__(self) -> str:
        return str(self) if self._safe else str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, _LazyText) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __bool__(self) -> bool:
        return bool(str(self))

    def __repr__(self) -> str:
        return f"<lazy {self._func.__name__}>"


def csrf_input_lazy(request: HttpRequest) -> _LazyText:
    """``csrf_input(request)``, computed only when the template shows it."""
    return _LazyText(csrf_input, request, safe=True)


def csrf_token_lazy(request: HttpRequest) -> _LazyText:
    """``get_token(request)``, computed only when the template shows it."""
    return _LazyText(get_csrf_token, request, safe=False)


__all__ = ["csrf_input", "csrf_input_lazy", "csrf_token_lazy", "get_csrf_token"]
