"""Context processors: callables ``(request) -> dict`` merged into every request context.

Name them in ``TEMPLATES[...]["OPTIONS"]["context_processors"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asgi_cycle.conf import settings
from asgi_cycle.template.backends.utils import csrf_token_lazy

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest


def request(request: HttpRequest) -> dict[str, Any]:
    """``request``: the current request."""
    return {"request": request}


def csrf(request: HttpRequest) -> dict[str, Any]:
    """``csrf_token``: the masked token, computed only if the template uses it."""
    return {"csrf_token": csrf_token_lazy(request)}


def static(request: HttpRequest) -> dict[str, Any]:
    """``STATIC_URL``."""
    return {"STATIC_URL": settings.STATIC_URL}


def media(request: HttpRequest) -> dict[str, Any]:
    """``MEDIA_URL``."""
    return {"MEDIA_URL": settings.MEDIA_URL}


def debug(request: HttpRequest) -> dict[str, Any]:
    """``debug`` (True) when DEBUG is on and the client is in ``INTERNAL_IPS``, else nothing."""
    internal_ips = getattr(settings, "INTERNAL_IPS", [])
    if settings.DEBUG and request.META.get("REMOTE_ADDR") in internal_ips:
        return {"debug": True}
    return {}


__all__ = ["csrf", "debug", "media", "request", "static"]
