"""URLs that the template tests reverse with url()."""

from __future__ import annotations

from asgi_cycle.urls import path


def item(request, id):
    raise AssertionError("never called")


urlpatterns = [
    path("items/<int:id>/", item, name="item"),
    path("items/<str:slug>/", item, name="item-slug"),
]
