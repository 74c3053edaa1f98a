"""Session engines: ``signed_cookies`` (the default) and the base class for others."""

from __future__ import annotations

from asgi_cycle.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError

__all__ = ["CreateError", "SessionBase", "UpdateError"]
