"""ASGI entry point: ``uvicorn app.asgi:application``."""

import os

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "app.settings")

from asgi_cycle.core.asgi import get_asgi_application

application = get_asgi_application()
