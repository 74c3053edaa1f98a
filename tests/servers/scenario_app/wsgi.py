"""``gunicorn tests.servers.scenario_app.wsgi:application`` (and uWSGI)."""

import os

os.environ["ASGI_CYCLE_SETTINGS"] = "tests.servers.scenario_app.settings"

from wsgi_shim import get_wsgi_application

application = get_wsgi_application()
