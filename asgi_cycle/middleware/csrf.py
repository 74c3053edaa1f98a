"""``CsrfViewMiddleware``: Django 5's cross-site request forgery protection.

Theory of operation:

- The secret (32 characters) lives in the ``CSRF_COOKIE_NAME`` cookie, or in the
  session with ``CSRF_USE_SESSIONS``. It is copied into
  ``request.META["CSRF_COOKIE"]`` when first needed (by ``get_token`` or an unsafe
  request), not on every request as Django's ``process_request`` does: a GET that
  never asks for a token parses no cookie. A malformed cookie is then replaced
  by a new secret.
- Pages embed ``get_token(request)``: the secret masked with a fresh random
  mask (64 characters), so that the token differs on every page (BREACH). Calling
  it flags the cookie for (re)sending; ``rotate_token`` makes a new secret
  (after login, say).
- ``process_view`` lets safe methods (GET, HEAD, OPTIONS, TRACE) and
  ``csrf_exempt`` views through. For the others it checks, in order:

  1. ``Origin``, when sent: it must be this site's ``scheme://host`` or match
     ``CSRF_TRUSTED_ORIGINS`` (``https://*.example.com`` allows subdomains);
  2. without ``Origin`` on HTTPS: ``Referer`` must be HTTPS and on this host,
     the cookie domain, or a trusted origin's host;
  3. the token from the ``csrfmiddlewaretoken`` form field (POST) or the
     ``X-CSRFToken`` header (``CSRF_HEADER_NAME``), masked or not, must unmask
     to the secret.

  A failure calls ``CSRF_FAILURE_VIEW`` (403) with the reason.
- ``request.POST`` is parsed before the onion runs, so reading it here does no
  I/O. A body that failed to parse raises on that access; the exception is left
  to propagate so that the client gets the 400 it deserves, not a CSRF 403.
"""

from __future__ import annotations

import logging
import string
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import DisallowedHost, ImproperlyConfigured
from asgi_cycle.utils.cache import patch_vary_headers
from asgi_cycle.utils.crypto import constant_time_compare, get_random_string
from asgi_cycle.utils.deprecation import GetResponse, MiddlewareMixin
from asgi_cycle.utils.http import is_same_domain
from asgi_cycle.utils.module_loading import import_string

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

logger = logging.getLogger("asgi_cycle.security.csrf")

REASON_BAD_ORIGIN = "Origin checking failed - %s does not match any trusted origins."
REASON_NO_REFERER = "Referer checking failed - no Referer."
REASON_BAD_REFERER = "Referer checking failed - %s does not match any trusted origins."
REASON_NO_CSRF_COOKIE = "CSRF cookie not set."
REASON_CSRF_TOKEN_MISSING = "CSRF token missing."
REASON_MALFORMED_REFERER = "Referer checking failed - Referer is malformed."
REASON_INSECURE_REFERER = "Referer checking failed - Referer is insecure while host is secure."
REASON_INCORRECT_LENGTH = "has incorrect length"
REASON_INVALID_CHARACTERS = "has invalid characters"

CSRF_SECRET_LENGTH = 32
CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH
CSRF_ALLOWED_CHARS = string.ascii_letters + string.digits
CSRF_SESSION_KEY = "_csrftoken"
_ALLOWED = frozenset(CSRF_ALLOWED_CHARS)
_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _new_csrf_string() -> str:
    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def _mask_cipher_secret(secret: str) -> str:
    """A token: a random mask followed by the secret shifted by it, char by char."""
    mask = _new_csrf_string()
    chars, size = CSRF_ALLOWED_CHARS, len(CSRF_ALLOWED_CHARS)
    pairs = zip(secret, mask, strict=True)
    cipher = "".join(chars[(_INDEX[s] + _INDEX[m]) % size] for s, m in pairs)
    return mask + cipher


def _unmask_cipher_token(token: str) -> str:
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    chars = CSRF_ALLOWED_CHARS
    return "".join(chars[_INDEX[c] - _INDEX[m]] for c, m in zip(cipher, mask, strict=True))


def _add_new_csrf_cookie(request: HttpRequest) -> str:
    secret = _new_csrf_string()
    request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return secret


def _read_secret(request: HttpRequest, use_sessions: bool, cookie_name: str) -> str | None:
    """The secret from the cookie or session; InvalidTokenFormat when malformed."""
    if use_sessions:
        try:
            secret = request.session.get(CSRF_SESSION_KEY)
        except AttributeError:
            raise ImproperlyConfigured(
                "CSRF_USE_SESSIONS is enabled, but request.session is not set. "
                "SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE."
            ) from None
    else:
        secret = request.COOKIES.get(cookie_name)
        if secret is not None:
            _check_token_format(secret)
    if secret is None:
        return None
    # Old Django versions stored the masked token in the cookie.
    if len(secret) == CSRF_TOKEN_LENGTH:
        secret = _unmask_cipher_token(secret)
    return str(secret)


def _load_secret(request: HttpRequest, use_sessions: bool, cookie_name: str) -> None:
    """Put the incoming secret into ``META["CSRF_COOKIE"]`` (Django's process_request)."""
    meta = request.META
    if "CSRF_COOKIE" in meta:
        return
    try:
        secret = _read_secret(request, use_sessions, cookie_name)
    except InvalidTokenFormat:
        _add_new_csrf_cookie(request)
    else:
        if secret is not None:
            meta["CSRF_COOKIE"] = secret


def get_token(request: HttpRequest) -> str:
    """A masked CSRF token for a form or header, and flag the cookie to be sent."""
    meta = request.META
    if "CSRF_COOKIE" not in meta:
        use_sessions = bool(settings.CSRF_USE_SESSIONS)
        # Without SessionMiddleware there is no session secret to reuse: make one.
        if not use_sessions or hasattr(request, "session"):
            _load_secret(request, use_sessions, settings.CSRF_COOKIE_NAME)
    if "CSRF_COOKIE" in meta:
        secret = meta["CSRF_COOKIE"]
        meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        secret = _add_new_csrf_cookie(request)
    return _mask_cipher_secret(secret)


def rotate_token(request: HttpRequest) -> None:
    """Replace the CSRF secret (call on login so old tokens stop working)."""
    _add_new_csrf_cookie(request)


class InvalidTokenFormat(Exception):
    """A token or cookie of the wrong length or alphabet."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RejectRequest(Exception):
    """The request fails a CSRF check; ``reason`` goes to the failure view."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _check_token_format(token: str) -> None:
    if len(token) not in (CSRF_TOKEN_LENGTH, CSRF_SECRET_LENGTH):
        raise InvalidTokenFormat(REASON_INCORRECT_LENGTH)
    if not _ALLOWED.issuperset(token):
        raise InvalidTokenFormat(REASON_INVALID_CHARACTERS)


def _does_token_match(request_token: str, secret: str) -> bool:
    if len(request_token) == CSRF_TOKEN_LENGTH:
        request_token = _unmask_cipher_token(request_token)
    return constant_time_compare(request_token, secret)


def _header_label(meta_name: str) -> str:
    """``HTTP_X_CSRFTOKEN`` -> ``X-Csrftoken``, for messages."""
    name = meta_name.removeprefix("HTTP_")
    return "-".join(part.capitalize() for part in name.split("_"))


def _failure_view() -> Any:
    return import_string(settings.CSRF_FAILURE_VIEW)


class CsrfViewMiddleware(MiddlewareMixin):
    """Require a valid CSRF token (and a same-site Origin/Referer) on unsafe requests."""

    nonblocking_hooks = True

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.use_sessions: bool = settings.CSRF_USE_SESSIONS
        self.cookie_name: str = settings.CSRF_COOKIE_NAME
        self.header_name: str = settings.CSRF_HEADER_NAME
        trusted = list(settings.CSRF_TRUSTED_ORIGINS)
        for origin in trusted:
            if "://" not in origin:
                raise ImproperlyConfigured(
                    f"CSRF_TRUSTED_ORIGINS entries must start with a scheme: {origin!r} "
                    f"should be like 'https://{origin}'."
                )
        self.csrf_trusted_origins_hosts = [urlsplit(o).netloc.lstrip("*") for o in trusted]
        self.allowed_origins_exact = {o for o in trusted if "*" not in o}
        subdomains: defaultdict[str, list[str]] = defaultdict(list)
        for parsed in (urlsplit(o) for o in trusted if "*" in o):
            subdomains[parsed.scheme].append(parsed.netloc.lstrip("*"))
        self.allowed_origin_subdomains = dict(subdomains)
        self.cookie_kwargs: dict[str, Any] = {
            "max_age": settings.CSRF_COOKIE_AGE,
            "domain": settings.CSRF_COOKIE_DOMAIN,
            "path": settings.CSRF_COOKIE_PATH,
            "secure": settings.CSRF_COOKIE_SECURE,
            "httponly": settings.CSRF_COOKIE_HTTPONLY,
            "samesite": settings.CSRF_COOKIE_SAMESITE,
        }
        # _accept() inline on every safe request, unless a subclass overrides it.
        self._plain_accept = type(self)._accept is CsrfViewMiddleware._accept
        self.referer_cookie_domain: str | None = (
            settings.SESSION_COOKIE_DOMAIN if self.use_sessions else settings.CSRF_COOKIE_DOMAIN
        )

    # -- the secret -----------------------------------------------------------------

    def _get_secret(self, request: HttpRequest) -> str | None:
        """The secret from the cookie or session; InvalidTokenFormat when malformed."""
        return _read_secret(request, self.use_sessions, self.cookie_name)

    def _set_csrf_cookie(self, request: HttpRequest, response: HttpResponseBase) -> None:
        secret = request.META["CSRF_COOKIE"]
        if self.use_sessions:
            session = request.session
            if session.get(CSRF_SESSION_KEY) != secret:
                session[CSRF_SESSION_KEY] = secret
        else:
            response.set_cookie(self.cookie_name, secret, **self.cookie_kwargs)
            # The page's content depends on the cookie.
            patch_vary_headers(response, ("Cookie",))

    # -- checks -----------------------------------------------------------------------

    def _origin_verified(self, request: HttpRequest) -> bool:
        request_origin = request.META["HTTP_ORIGIN"]
        try:
            good_host = request.get_host()
        except DisallowedHost:
            pass
        else:
            scheme = "https" if request.is_secure() else "http"
            if request_origin == f"{scheme}://{good_host}":
                return True
        if request_origin in self.allowed_origins_exact:
            return True
        try:
            parsed = urlsplit(request_origin)
        except ValueError:
            return False
        return any(
            is_same_domain(parsed.netloc, host)
            for host in self.allowed_origin_subdomains.get(parsed.scheme, ())
        )

    def _check_referer(self, request: HttpRequest) -> None:
        raw = request.META.get("HTTP_REFERER")
        if raw is None:
            raise RejectRequest(REASON_NO_REFERER)
        try:
            referer = urlsplit(raw)
        except ValueError:
            raise RejectRequest(REASON_MALFORMED_REFERER) from None
        if not referer.scheme or not referer.netloc:
            raise RejectRequest(REASON_MALFORMED_REFERER)
        if referer.scheme != "https":
            raise RejectRequest(REASON_INSECURE_REFERER)
        if any(is_same_domain(referer.netloc, host) for host in self.csrf_trusted_origins_hosts):
            return
        good_referer = self.referer_cookie_domain
        if good_referer is None:
            # No cookie domain: only this exact host:port, if ALLOWED_HOSTS permits it.
            try:
                good_referer = request.get_host()
            except DisallowedHost:
                raise RejectRequest(REASON_BAD_REFERER % referer.geturl()) from None
        else:
            port = request.get_port()
            if port not in ("443", "80"):
                good_referer = f"{good_referer}:{port}"
        if not is_same_domain(referer.netloc, good_referer):
            raise RejectRequest(REASON_BAD_REFERER % referer.geturl())

    def _bad_token_message(self, reason: str, token_source: str) -> str:
        if token_source != "POST":
            token_source = f"the {_header_label(token_source)!r} HTTP header"
        return f"CSRF token from {token_source} {reason}."

    def _check_token(self, request: HttpRequest) -> None:
        try:
            secret = self._get_secret(request)
        except InvalidTokenFormat as exc:
            raise RejectRequest(f"CSRF cookie {exc.reason}.") from None
        if secret is None:
            raise RejectRequest(REASON_NO_CSRF_COOKIE)
        request_token = ""
        if request.method == "POST":
            # A parse error raised here is the client's 400, not a CSRF failure.
            request_token = request.POST.get("csrfmiddlewaretoken", "") or ""
        if request_token == "":
            try:
                request_token = request.META[self.header_name]
            except KeyError:
                raise RejectRequest(REASON_CSRF_TOKEN_MISSING) from None
            token_source = self.header_name
        else:
            token_source = "POST"
        try:
            _check_token_format(request_token)
        except InvalidTokenFormat as exc:
            raise RejectRequest(self._bad_token_message(exc.reason, token_source)) from None
        if not _does_token_match(request_token, secret):
            raise RejectRequest(self._bad_token_message("incorrect", token_source))

    def _accept(self, request: HttpRequest) -> None:
        # Lets a second CsrfViewMiddleware (or the decorator) skip the work.
        request.csrf_processing_done = True  # type: ignore[attr-defined]

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponseBase:
        response: HttpResponseBase = _failure_view()(request, reason=reason)
        logger.warning(
            "Forbidden (%s): %s",
            reason,
            request.path.encode("unicode_escape").decode("ascii"),
            extra={"status_code": response.status_code, "request": request},
        )
        return response

    # -- hooks --------------------------------------------------------------------------

    def process_view(
        self,
        request: HttpRequest,
        callback: Any,
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        """Accept safe methods and exempt views; check Origin/Referer and the token."""
        if getattr(request, "csrf_processing_done", False):
            return None
        if getattr(callback, "csrf_exempt", False):
            return None
        if request.method in _SAFE_METHODS:
            if self._plain_accept:
                request.csrf_processing_done = True  # type: ignore[attr-defined]  # _accept()
            else:
                self._accept(request)
            return None
        if getattr(request, "_dont_enforce_csrf_checks", False):
            self._accept(request)
            return None
        _load_secret(request, self.use_sessions, self.cookie_name)
        meta = request.META
        if "HTTP_ORIGIN" in meta:
            if not self._origin_verified(request):
                return self._reject(request, REASON_BAD_ORIGIN % meta["HTTP_ORIGIN"])
        elif request.is_secure():
            try:
                self._check_referer(request)
            except RejectRequest as exc:
                return self._reject(request, exc.reason)
        try:
            self._check_token(request)
        except RejectRequest as exc:
            return self._reject(request, exc.reason)
        self._accept(request)
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Send the cookie when ``get_token``/``rotate_token`` asked for it."""
        # META is built lazily: if nothing built it, nothing can have flagged the cookie.
        meta = getattr(request, "_meta", None)
        if meta is not None and meta.get("CSRF_COOKIE_NEEDS_UPDATE"):
            self._set_csrf_cookie(request, response)
            meta["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response


__all__ = [
    "CSRF_SESSION_KEY",
    "CsrfViewMiddleware",
    "get_token",
    "rotate_token",
]
