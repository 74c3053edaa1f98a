"""Session exceptions (Django's names)."""

from __future__ import annotations

from asgi_cycle.core.exceptions import BadRequest, SuspiciousOperation


class InvalidSessionKey(SuspiciousOperation):
    """A session key with invalid characters."""


class SuspiciousSession(SuspiciousOperation):
    """The session may be tampered with."""


class SessionInterrupted(BadRequest):
    """The session was deleted by a concurrent request before this one could save it."""


__all__ = ["InvalidSessionKey", "SessionInterrupted", "SuspiciousSession"]
