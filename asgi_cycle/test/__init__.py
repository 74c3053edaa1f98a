"""Testing tools: httpx clients on the ASGI app or the WSGI shim, and override_settings."""

from __future__ import annotations

from asgi_cycle.test.client import AsyncClient, Client
from asgi_cycle.test.utils import override_settings

__all__ = ["AsyncClient", "Client", "override_settings"]
