"""The ASGI shapes, named once for the whole package."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Raw header list as ASGI carries it: lower-cased names, latin-1 bytes.
RawHeaders = list[tuple[bytes, bytes]]

__all__ = ["ASGIApp", "Message", "RawHeaders", "Receive", "Scope", "Send"]
