"""``SecurityMiddleware``: HTTPS redirect, HSTS and the browser-hardening headers.

All settings are read once, when the middleware is built; per request the work is
a few header look-ups.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from asgi_cycle.conf import settings
from asgi_cycle.http.response_headers import PreparedHeader, ResponseHeaders, prepare_header
from asgi_cycle.utils.deprecation import GetResponse, MiddlewareMixin

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase


class SecurityMiddleware(MiddlewareMixin):
    """Django's SecurityMiddleware: SECURE_* settings turned into redirects and headers."""

    nonblocking_hooks = True

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.sts_seconds: int = settings.SECURE_HSTS_SECONDS
        self.sts_include_subdomains: bool = settings.SECURE_HSTS_INCLUDE_SUBDOMAINS
        self.sts_preload: bool = settings.SECURE_HSTS_PRELOAD
        self.content_type_nosniff: bool = settings.SECURE_CONTENT_TYPE_NOSNIFF
        self.redirect: bool = settings.SECURE_SSL_REDIRECT
        self.redirect_host: str | None = settings.SECURE_SSL_HOST
        self.redirect_exempt = [re.compile(r) for r in settings.SECURE_REDIRECT_EXEMPT]
        policy = settings.SECURE_REFERRER_POLICY
        self.referrer_policy: str | None = None
        if policy:
            # A comma-separated string or a list: several values let browsers fall back.
            values = policy.split(",") if isinstance(policy, str) else policy
            self.referrer_policy = ",".join(value.strip() for value in values)
        self.cross_origin_opener_policy: str | None = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        self.sts_header: str | None = None
        if self.sts_seconds:
            sts = f"max-age={self.sts_seconds}"
            if self.sts_include_subdomains:
                sts += "; includeSubDomains"
            if self.sts_preload:
                sts += "; preload"
            self.sts_header = sts
        # The headers every response gets, in order, validated and encoded once.
        constant = [
            ("X-Content-Type-Options", "nosniff" if self.content_type_nosniff else None),
            ("Referrer-Policy", self.referrer_policy),
            ("Cross-Origin-Opener-Policy", self.cross_origin_opener_policy),
        ]
        self._constant_headers: list[PreparedHeader] = [
            prepare_header(name, value) for name, value in constant if value
        ]
        if not self.redirect and type(self).process_request is SecurityMiddleware.process_request:
            # Without SECURE_SSL_REDIRECT the hook always answers None: skip the call.
            self._request_hook = None

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        """Redirect plain-HTTP requests to HTTPS when SECURE_SSL_REDIRECT is on."""
        if not self.redirect or request.is_secure():
            return None
        path = request.path.lstrip("/")
        if any(pattern.search(path) for pattern in self.redirect_exempt):
            return None
        from asgi_cycle.http import HttpResponsePermanentRedirect

        host = self.redirect_host or request.get_host()
        return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add HSTS (secure requests only), nosniff, Referrer-Policy and COOP unless set."""
        headers = response.headers
        if self.sts_header is not None and request.is_secure():
            if "Strict-Transport-Security" not in headers:
                headers["Strict-Transport-Security"] = self.sts_header
        if type(headers) is ResponseHeaders:
            headers.put_defaults(self._constant_headers)
            return response
        if self.content_type_nosniff and "X-Content-Type-Options" not in headers:
            headers["X-Content-Type-Options"] = "nosniff"
        if self.referrer_policy and "Referrer-Policy" not in headers:
            headers["Referrer-Policy"] = self.referrer_policy
        coop = self.cross_origin_opener_policy
        if coop and "Cross-Origin-Opener-Policy" not in headers:
            headers["Cross-Origin-Opener-Policy"] = coop
        return response


__all__ = ["SecurityMiddleware"]
