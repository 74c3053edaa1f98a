"""Generic class-based views."""

from __future__ import annotations

from asgi_cycle.views.generic.base import (
    ContextMixin,
    RedirectView,
    TemplateResponseMixin,
    TemplateView,
    View,
)

__all__ = ["ContextMixin", "RedirectView", "TemplateResponseMixin", "TemplateView", "View"]
