"""``ConditionalGetMiddleware``: answer 304 Not Modified to GETs the client has cached.

For GET requests it gives non-streaming responses an ETag (MD5 of the body)
unless ``Cache-Control`` says ``no-store`` or one is set, then compares
``ETag`` / ``Last-Modified`` with the request's ``If-None-Match`` /
``If-Modified-Since`` (and ``If-Match`` / ``If-Unmodified-Since``: 412).
HEAD is left alone, as in Django: its empty body cannot yield the right ETag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asgi_cycle.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    set_response_etag,
)
from asgi_cycle.utils.deprecation import MiddlewareMixin
from asgi_cycle.utils.http import parse_http_date_safe

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase


class ConditionalGetMiddleware(MiddlewareMixin):
    """Turn a GET's full response into 304 (or 412) when its preconditions say so."""

    nonblocking_hooks = True

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add an ETag when useful, then apply the request's preconditions."""
        # Too late for a 412 on unsafe methods, and a HEAD's empty body has no true ETag.
        if request.method != "GET":
            return response
        headers = response.headers
        if "ETag" not in headers and self.needs_etag(response):
            set_response_etag(response)
        etag = headers.get("ETag")
        raw_last_modified = headers.get("Last-Modified")
        last_modified = parse_http_date_safe(raw_last_modified) if raw_last_modified else None
        if etag or last_modified is not None:
            conditional = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
            if conditional is not None:
                return conditional
        return response

    def needs_etag(self, response: HttpResponseBase) -> bool:
        """Whether an ETag should be added (not when Cache-Control has no-store)."""
        cache_control = response.headers.get("Cache-Control", "")
        return all(
            directive.lower() != "no-store" for directive in cc_delim_re.split(cache_control)
        )


__all__ = ["ConditionalGetMiddleware"]
