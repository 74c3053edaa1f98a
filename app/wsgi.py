"""WSGI entry point: ``gunicorn app.wsgi:application``."""

import os

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "app.settings")

from wsgi_shim import get_wsgi_application

application = get_wsgi_application()
