"""WSGI entry point: `gunicorn benchmarks.tfb.wsgi:application`."""

from __future__ import annotations

import os

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "benchmarks.tfb.settings")

from wsgi_shim import get_wsgi_application

application = get_wsgi_application()
