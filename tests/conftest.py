"""Suite-wide fixtures. The test settings module is tests.settings."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("ASGI_CYCLE_SETTINGS", "tests.settings")


@pytest.fixture(params=["asgi", "wsgi"])
def path_kind(request: pytest.FixtureRequest) -> str:
    """Run the test once through the ASGI app and once through the WSGI shim."""
    return str(request.param)
