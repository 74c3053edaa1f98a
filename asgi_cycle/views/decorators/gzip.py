"""``gzip_page``: compress one view's responses as ``GZipMiddleware`` would."""

from __future__ import annotations

from asgi_cycle.middleware.gzip import GZipMiddleware
from asgi_cycle.views.decorators._middleware import decorator_from_middleware

gzip_page = decorator_from_middleware(GZipMiddleware)
gzip_page.__doc__ = "Gzip this view's response when the client accepts it."

__all__ = ["gzip_page"]
