"""Views, step 6 of the cycle: class-based views and their decorators."""

from __future__ import annotations

from asgi_cycle.views.generic.base import RedirectView, TemplateView, View

__all__ = ["RedirectView", "TemplateView", "View"]
