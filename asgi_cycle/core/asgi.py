"""``get_asgi_application()``: the public entry point, as in Django."""

from __future__ import annotations

from asgi_cycle.core.handlers.asgi import ASGIHandler


def get_asgi_application() -> ASGIHandler:
    """Build the ASGI application from the settings (middleware chain built now)."""
    return ASGIHandler()


__all__ = ["get_asgi_application"]
