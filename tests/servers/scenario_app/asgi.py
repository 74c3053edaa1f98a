"""``uvicorn tests.servers.scenario_app.asgi:application``."""

import os

os.environ["ASGI_CYCLE_SETTINGS"] = "tests.servers.scenario_app.settings"

from asgi_cycle.core.asgi import get_asgi_application

application = get_asgi_application()
