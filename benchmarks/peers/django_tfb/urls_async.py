"""URLs of the async flavour (served by Uvicorn)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("plaintext", views.a_plaintext),
    path("json", views.a_json),
    path("db", views.a_db),
    path("queries", views.a_queries),
    path("updates", views.a_updates),
    path("fortunes", views.a_fortunes),
]
