"""Fixtures for the middleware tests."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Build the middleware around a sync, then an async ``get_response``."""
    return str(request.param)
