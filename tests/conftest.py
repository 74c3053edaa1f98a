"""Suite-wide fixtures. The test settings module is tests.settings."""

from __future__ import annotations

import os

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "tests.settings")
