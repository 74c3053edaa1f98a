"""TechEmpower's URLs."""

from __future__ import annotations

from asgi_cycle.urls import path

from . import views

urlpatterns = [
    path("plaintext", views.plaintext),
    path("json", views.json),
    path("db", views.db),
    path("queries", views.queries),
    path("fortunes", views.fortunes),
    path("updates", views.updates),
]
