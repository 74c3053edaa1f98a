"""WSGI entry point of the Django peer."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.peers.django_tfb.settings")
os.environ.setdefault("DJANGO_TFB_MODE", "sync")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
