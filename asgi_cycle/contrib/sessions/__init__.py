"""Sessions: ``request.session``, kept in a signed cookie by default.

Add ``asgi_cycle.contrib.sessions.middleware.SessionMiddleware`` to ``MIDDLEWARE``;
``SESSION_ENGINE`` names the module whose ``SessionStore`` backs the sessions.
"""

from __future__ import annotations

from asgi_cycle.contrib.sessions.backends.base import SessionBase
from asgi_cycle.contrib.sessions.middleware import SessionMiddleware

__all__ = ["SessionBase", "SessionMiddleware"]
