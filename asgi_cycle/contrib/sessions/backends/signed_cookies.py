"""Signed-cookie sessions: the data lives in the cookie, signed with SECRET_KEY.

No server state, so any worker can serve any request. The cookie value is the
JSON data, zlib-compressed when that helps, with a timestamp and an HMAC
(``asgi_cycle.core.signing``, on itsdangerous, salted per purpose; keys from
SECRET_KEY and, for reading only, SECRET_KEY_FALLBACKS). A cookie older than
SESSION_COOKIE_AGE, tampered with or signed with another key loads as an empty
session. The data is readable by the client: never store secrets in it.
"""

from __future__ import annotations

from typing import Any

from asgi_cycle.contrib.sessions.backends.base import SessionBase
from asgi_cycle.core import signing

SALT = "asgi_cycle.contrib.sessions.backends.signed_cookies"


class SessionStore(SessionBase):
    """A session whose key is its own signed data."""

    nonblocking = True

    def load(self) -> dict[str, Any]:
        """The data in the cookie, or an empty (modified) session when it is invalid."""
        key = self.session_key
        if key:
            try:
                data = signing.loads(key, salt=SALT, max_age=self.get_session_cookie_age())
            except (signing.BadSignature, ValueError):
                pass
            else:
                if isinstance(data, dict):
                    return data
        # A bad or expired cookie: start over, and replace the cookie on the way out.
        self.create()
        return {}

    def create(self) -> None:
        """Mark as modified: the key (the cookie) is made when saving."""
        self.modified = True

    def save(self, must_create: bool = False) -> None:
        """Sign the current data into the key."""
        self._session_key = self._get_session_key()
        self.modified = True

    def exists(self, session_key: str | None = None) -> bool:
        """Always False: nothing is stored, so no key can collide."""
        return False

    def delete(self, session_key: str | None = None) -> None:
        """Empty this session; the middleware then deletes the cookie."""
        self._session_key = ""
        self._session_cache = {}
        self.modified = True

    def cycle_key(self) -> None:
        """Re-sign the data: a new timestamp gives a new key."""
        self.save()

    def _get_session_key(self) -> str:
        return signing.dumps(self._session, salt=SALT, compress=True)

    @classmethod
    def clear_expired(cls) -> None:
        """Nothing to clear: expired cookies fail their signature's age check."""

    # No I/O anywhere: the async twins stay on the event loop.
    async def aload(self) -> dict[str, Any]:
        """``load``, inline."""
        return self.load()

    async def acreate(self) -> None:
        """``create``, inline."""
        self.create()

    async def asave(self, must_create: bool = False) -> None:
        """``save``, inline."""
        self.save(must_create)

    async def aexists(self, session_key: str | None = None) -> bool:
        """``exists``, inline."""
        return False

    async def adelete(self, session_key: str | None = None) -> None:
        """``delete``, inline."""
        self.delete(session_key)

    async def acycle_key(self) -> None:
        """``cycle_key``, inline."""
        self.cycle_key()

    @classmethod
    async def aclear_expired(cls) -> None:
        """``clear_expired``, inline."""


__all__ = ["SALT", "SessionStore"]
