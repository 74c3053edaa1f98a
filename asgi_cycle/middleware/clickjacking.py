"""``XFrameOptionsMiddleware``: the X-Frame-Options header (DENY unless configured)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asgi_cycle.conf import settings
from asgi_cycle.http.response_headers import PreparedHeader, ResponseHeaders, prepare_header
from asgi_cycle.utils.deprecation import GetResponse, MiddlewareMixin

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase


class XFrameOptionsMiddleware(MiddlewareMixin):
    """Set X-Frame-Options from ``X_FRAME_OPTIONS`` on every response that lacks one.

    A response with the attribute ``xframe_options_exempt = True`` (set by Django's
    ``xframe_options_exempt`` view decorator) is left alone.
    """

    nonblocking_hooks = True

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.default_value = str(getattr(settings, "X_FRAME_OPTIONS", "DENY")).upper()
        # Validated once, unless a subclass chooses the value per request.
        self._prepared: PreparedHeader | None = None
        if type(self).get_xframe_options_value is XFrameOptionsMiddleware.get_xframe_options_value:
            self._prepared = prepare_header("X-Frame-Options", self.default_value)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add the header unless present or the response is exempt."""
        headers = response.headers
        prepared = self._prepared
        if prepared is not None and type(headers) is ResponseHeaders:
            # The constant value, unless a value is set or the response is exempt.
            if not getattr(response, "xframe_options_exempt", False):
                headers.put_default(prepared)
            return response
        if "X-Frame-Options" in headers:
            return response
        if getattr(response, "xframe_options_exempt", False):
            return response
        headers["X-Frame-Options"] = self.get_xframe_options_value(request, response)
        return response

    def get_xframe_options_value(self, request: HttpRequest, response: HttpResponseBase) -> str:
        """The header's value; override to choose per request (Django's hook)."""
        return self.default_value


__all__ = ["XFrameOptionsMiddleware"]
