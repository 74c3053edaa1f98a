"""asgi_cycle: Django's request-response cycle, async-first on ASGI."""

from __future__ import annotations

__version__ = "0.1.0"
VERSION = (0, 1, 0)

__all__ = ["VERSION", "__version__"]
