"""Signals fired by the handler around every request."""

from __future__ import annotations

from asgi_cycle.dispatch import Signal

#: Sent when the handler starts a request; kwargs: ``scope``.
request_started = Signal()
#: Sent when the response has been sent (or the client left).
request_finished = Signal()
#: Sent when a view or middleware raised an unexpected exception; kwargs: ``request``.
got_request_exception = Signal()
#: Sent when a setting is overridden in tests; kwargs: ``setting``, ``value``, ``enter``.
setting_changed = Signal()

__all__ = ["got_request_exception", "request_finished", "request_started", "setting_changed"]
