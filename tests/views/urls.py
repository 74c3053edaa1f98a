"""URLs for the view and shortcut tests (reversed by RedirectView, redirect(), url())."""

from __future__ import annotations

from asgi_cycle.http import HttpResponse
from asgi_cycle.urls import path


def article(request, year, slug):
    return HttpResponse(f"{year}/{slug}")


def product(request, id):
    return HttpResponse(f"product {id}")


def archive(request, year, month):
    return HttpResponse(f"{year}-{month}")


urlpatterns = [
    path("articles/<int:year>/<slug:slug>/", article, name="article"),
    path("products/<int:id>/", product, name="product"),
    path("archive/<int:year>/<int:month>/", archive, name="archive"),
]
