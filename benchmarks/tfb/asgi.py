"""ASGI entry point: `uvicorn benchmarks.tfb.asgi:application`."""

from __future__ import annotations

import os

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "benchmarks.tfb.settings")

from asgi_cycle.core.asgi import get_asgi_application

application = get_asgi_application()
