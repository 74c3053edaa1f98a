"""Views that hand lazy querysets to templates (test_querysets_in_templates.py)."""

from __future__ import annotations

from asgi_cycle.shortcuts import aget_object_or_404, get_object_or_404, render
from asgi_cycle.template.response import TemplateResponse
from asgi_cycle.urls import path
from asgi_cycle.views import TemplateView

from .models import Item


def lazy_sync(request):
    return TemplateResponse(request, "items.html", {"items": Item.objects.all()})


async def lazy_async(request):
    # Not iterated here: the handler renders after the view returned.
    return TemplateResponse(request, "items.html", {"items": Item.objects.filter(price__gt=1)})


def detail(request, id):
    return render(request, "items.html", {"items": [get_object_or_404(Item, id=id)]})


async def adetail(request, id):
    return render(request, "items.html", {"items": [await aget_object_or_404(Item, id=id)]})


class Listing(TemplateView):
    template_name = "items.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=Item.objects.all(), **kwargs)


urlpatterns = [
    path("lazy-sync/", lazy_sync),
    path("lazy-async/", lazy_async),
    path("items/<int:id>/", detail),
    path("aitems/<int:id>/", adetail),
    path("listing/", Listing.as_view()),
]
