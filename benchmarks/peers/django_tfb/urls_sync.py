"""URLs of the sync flavour (served by Gunicorn's sync workers)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("plaintext", views.s_plaintext),
    path("json", views.s_json),
    path("db", views.s_db),
    path("queries", views.s_queries),
    path("updates", views.s_updates),
    path("fortunes", views.s_fortunes),
]
