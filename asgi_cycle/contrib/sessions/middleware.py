"""``SessionMiddleware``: ``request.session`` in, the session cookie out.

A session that is never touched costs one attribute and no cookie parsing: the
store is built when ``request.session`` is first read, and its key is read from
the cookie only when the session's data is. On the way out:

- a session emptied while its cookie exists (``flush``, logout) deletes the cookie;
- an accessed session adds ``Vary: Cookie`` (the page depended on it);
- a modified, non-empty session (or any, with ``SESSION_SAVE_EVERY_REQUEST``) is
  saved and the cookie set, except on 5xx responses (an error page should not
  persist half-done changes).
"""

from __future__ import annotations

import importlib
import time
import weakref
from typing import TYPE_CHECKING, Any

from asgi_cycle.conf import settings
from asgi_cycle.contrib.sessions.backends.base import SessionBase, UpdateError
from asgi_cycle.contrib.sessions.exceptions import SessionInterrupted
from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.http.request import _NO_SESSION, HttpRequest
from asgi_cycle.utils.cache import patch_vary_headers
from asgi_cycle.utils.deprecation import GetResponse, MiddlewareMixin
from asgi_cycle.utils.http import http_date

if TYPE_CHECKING:
    from asgi_cycle.http import HttpResponseBase

_new_object = object.__new__

#: Request class -> whether it keeps HttpRequest's lazily built ``session``.
_LAZY_SESSION_OK: dict[type, bool] = {}


def _lazy_session_ok(request_class: type) -> bool:
    ok = _LAZY_SESSION_OK.get(request_class)
    if ok is None:
        ok = _LAZY_SESSION_OK[request_class] = (
            getattr(request_class, "session", None) is vars(HttpRequest)["session"]
        )
    return ok


class SessionMiddleware(MiddlewareMixin):
    """Attach ``request.session`` (``SESSION_ENGINE``'s ``SessionStore``) and save it."""

    nonblocking_hooks = True

    def __init__(self, get_response: GetResponse) -> None:
        try:
            engine = importlib.import_module(settings.SESSION_ENGINE)
            self.SessionStore: type[SessionBase] = engine.SessionStore
        except (ImportError, AttributeError) as exc:
            raise ImproperlyConfigured(
                f"SESSION_ENGINE {settings.SESSION_ENGINE!r} must name a module defining "
                f"SessionStore: {exc}"
            ) from exc
        # Engines with storage I/O (files, databases) must not run on the event loop.
        self.nonblocking_hooks = bool(getattr(self.SessionStore, "nonblocking", False))
        # One store per request: when the engine keeps SessionBase's constructor (which only
        # stores the key loader), the store is made without the call.
        store = self.SessionStore
        self._plain_store = (
            store.__init__ is SessionBase.__init__ and store.__new__ is object.__new__
        )
        super().__init__(get_response)
        #: Bound once: process_request hands it to every request.
        self._factory = self._build_session
        self.cookie_name: str = settings.SESSION_COOKIE_NAME
        self.save_every_request: bool = settings.SESSION_SAVE_EVERY_REQUEST
        self.cookie_kwargs: dict[str, Any] = {
            "domain": settings.SESSION_COOKIE_DOMAIN,
            "path": settings.SESSION_COOKIE_PATH,
            "secure": settings.SESSION_COOKIE_SECURE or None,
            "httponly": settings.SESSION_COOKIE_HTTPONLY or None,
            "samesite": settings.SESSION_COOKIE_SAMESITE,
        }
        self.delete_kwargs: dict[str, Any] = {
            "path": settings.SESSION_COOKIE_PATH,
            "domain": settings.SESSION_COOKIE_DOMAIN,
            "samesite": settings.SESSION_COOKIE_SAMESITE,
        }

    def process_request(self, request: HttpRequest) -> None:
        """Give the request a session whose key is read from the cookie when needed."""
        if _LAZY_SESSION_OK.get(type(request)) or _lazy_session_ok(type(request)):
            # The store is built on the first read of request.session, if any.
            if request._session is not _NO_SESSION:
                request._session = _NO_SESSION
            request._session_factory = self._factory
            return
        request.session = self._build_session(request)

    def _build_session(self, request: HttpRequest) -> SessionBase:
        """A store for ``request`` whose key is read from the cookie on first use."""
        name = self.cookie_name
        # A weak reference: request -> session -> loader -> request would be a cycle,
        # leaving every request to the cyclic garbage collector instead of refcounting.
        request_ref = weakref.ref(request)

        def read_key() -> str | None:
            req = request_ref()
            value = None if req is None else req.COOKIES.get(name)
            return None if value is None else str(value)

        if self._plain_store:
            session: SessionBase = _new_object(self.SessionStore)
            session._key_loader = read_key
            return session
        return self.SessionStore(key_loader=read_key)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Save the session and set, refresh or delete its cookie."""
        session: SessionBase | None
        if _LAZY_SESSION_OK.get(type(request)):
            session = request._session
            if session is _NO_SESSION:
                if request._session_factory is None or not self.save_every_request:
                    # No session, or one never read: untouched, nothing to send.
                    return response
                session = request.session
        else:
            session = getattr(request, "session", None)
        if session is None:
            return response
        accessed = session.accessed
        modified = session.modified
        if not (accessed or modified or self.save_every_request):
            # Untouched: nothing was read, nothing changed, nothing to send.
            return response
        empty = session.is_empty()
        if empty and self.cookie_name in request.COOKIES:
            response.delete_cookie(self.cookie_name, **self.delete_kwargs)
            patch_vary_headers(response, ("Cookie",))
            return response
        if accessed:
            patch_vary_headers(response, ("Cookie",))
        if (modified or self.save_every_request) and not empty:
            if response.status_code >= 500:
                return response
            if session.get_expire_at_browser_close():
                max_age = None
                expires = None
            else:
                max_age = session.get_expiry_age()
                expires = http_date(time.time() + max_age)
            try:
                session.save()
            except UpdateError:
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed. The "
                    "user may have logged out in a concurrent request, for example."
                ) from None
            response.set_cookie(
                self.cookie_name,
                session.session_key or "",
                max_age=max_age,
                expires=expires,
                **self.cookie_kwargs,
            )
        return response


__all__ = ["SessionMiddleware"]
