"""``SessionBase``: the dict-like ``request.session`` with Django's API.

Theory of operation:

- The session key (for the signed-cookie engine, the cookie value itself) can
  be given lazily, as a ``key_loader`` callable: the middleware passes one that
  reads the request's cookie, so a request whose session is never touched
  never parses its cookies.
- The data is loaded on first access (``accessed`` becomes True) and cached;
  writes set ``modified``. The middleware saves a modified session and sets the
  cookie; it adds ``Vary: Cookie`` to any response whose session was accessed.
- Engines implement ``load``, ``save``, ``create``, ``exists``, ``delete`` and
  ``clear_expired``. The async twins (``aget``, ``aset``, ``asave`` ...) default
  to running the sync ones in a worker thread, since an engine's storage may
  block; an engine with no I/O overrides ``aload`` & co. to stay on the loop.
"""

from __future__ import annotations

import string
from collections.abc import Callable, ItemsView, KeysView, ValuesView
from datetime import UTC, datetime, timedelta
from typing import Any

from asgi_cycle.conf import settings
from asgi_cycle.core import signing
from asgi_cycle.utils.asyncio import sync_to_async
from asgi_cycle.utils.crypto import get_random_string

# Keys are lower case: some storages (files) are case-insensitive.
VALID_KEY_CHARS = string.ascii_lowercase + string.digits
_EXPIRY_KEY = "_session_expiry"
_NOT_GIVEN: Any = object()


class CreateError(Exception):
    """``save(must_create=True)`` found the key already taken."""


class UpdateError(Exception):
    """``save()`` found the session deleted meanwhile (a concurrent logout, say)."""


def _now() -> datetime:
    return datetime.now(UTC) if settings.USE_TZ else datetime.now()


class SessionBase:
    """Base class of every session engine's ``SessionStore``."""

    TEST_COOKIE_NAME = "testcookie"
    TEST_COOKIE_VALUE = "worked"
    #: True for engines whose load/save do no I/O, so hooks may run on the loop.
    nonblocking = False
    # Class-level defaults: a session is built for every request and most stay untouched
    # (SessionMiddleware may build one without calling __init__; see its process_request).
    accessed = False
    modified = False
    __key: str | None = None
    _key_loader: Callable[[], str | None] | None = None

    def __init__(
        self,
        session_key: str | None = None,
        *,
        key_loader: Callable[[], str | None] | None = None,
    ) -> None:
        self.__key = session_key
        self._key_loader = key_loader

    # The key may be loaded lazily; subclasses read and assign ``_session_key`` freely.
    @property
    def _session_key(self) -> str | None:
        loader = self._key_loader
        if loader is not None:
            self._key_loader = None
            self.__key = loader()
        return self.__key

    @_session_key.setter
    def _session_key(self, value: str | None) -> None:
        self._key_loader = None
        self.__key = value

    # -- dict API ---------------------------------------------------------------------

    def __contains__(self, key: str) -> bool:
        return key in self._session

    def __getitem__(self, key: str) -> Any:
        return self._session[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._session[key] = value
        self.modified = True

    def __delitem__(self, key: str) -> None:
        del self._session[key]
        self.modified = True

    @property
    def key_salt(self) -> str:
        """The salt of ``encode``/``decode`` signatures, one per engine class."""
        return "asgi_cycle.contrib.sessions." + type(self).__qualname__

    def get(self, key: str, default: Any = None) -> Any:
        """The value for ``key``, or ``default``."""
        return self._session.get(key, default)

    def pop(self, key: str, default: Any = _NOT_GIVEN) -> Any:
        """Remove ``key`` and return its value (KeyError without a default)."""
        self.modified = self.modified or key in self._session
        if default is _NOT_GIVEN:
            return self._session.pop(key)
        return self._session.pop(key, default)

    def setdefault(self, key: str, value: Any) -> Any:
        """The value for ``key``, set to ``value`` first when missing."""
        if key in self._session:
            return self._session[key]
        self[key] = value
        return value

    def update(self, dict_: dict[str, Any]) -> None:
        """Set several keys at once."""
        self._session.update(dict_)
        self.modified = True

    def has_key(self, key: str) -> bool:
        """Whether ``key`` is in the session."""
        return key in self._session

    def keys(self) -> KeysView[str]:
        """The session's keys."""
        return self._session.keys()

    def values(self) -> ValuesView[Any]:
        """The session's values."""
        return self._session.values()

    def items(self) -> ItemsView[str, Any]:
        """The session's items."""
        return self._session.items()

    def clear(self) -> None:
        """Empty the session (the key stays; see ``flush``)."""
        # Avoids loading the data that is about to be thrown away.
        self._session_cache: dict[str, Any] = {}
        self.accessed = True
        self.modified = True

    def is_empty(self) -> bool:
        """Whether the session has neither a key nor any loaded data."""
        return not self._session_key and not self.__dict__.get("_session_cache")

    def set_test_cookie(self) -> None:
        """Store a value to check on the next request that cookies work."""
        self[self.TEST_COOKIE_NAME] = self.TEST_COOKIE_VALUE

    def test_cookie_worked(self) -> bool:
        """Whether the value of ``set_test_cookie`` came back."""
        return bool(self.get(self.TEST_COOKIE_NAME) == self.TEST_COOKIE_VALUE)

    def delete_test_cookie(self) -> None:
        """Remove the value of ``set_test_cookie``."""
        del self[self.TEST_COOKIE_NAME]

    # -- encoding for engines that store data server-side ----------------------------

    def encode(self, session_dict: dict[str, Any]) -> str:
        """The data as a signed, compressed string."""
        return signing.dumps(session_dict, salt=self.key_salt, compress=True)

    def decode(self, session_data: str) -> dict[str, Any]:
        """The data of ``encode``; an empty dict when the signature or format is bad."""
        try:
            data = signing.loads(session_data, salt=self.key_salt)
        except (signing.BadSignature, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    # -- keys ---------------------------------------------------------------------------

    def _get_new_session_key(self) -> str:
        """A new random key not used by any stored session."""
        while True:
            key = get_random_string(32, VALID_KEY_CHARS)
            if not self.exists(key):
                return key

    def _get_or_create_session_key(self) -> str:
        if self._session_key is None:
            self._session_key = self._get_new_session_key()
        return self._session_key

    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and len(key) >= 8  # type: ignore[arg-type]

    @property
    def session_key(self) -> str | None:
        """The key that identifies this session to the client (the cookie's value)."""
        return self._session_key

    def _get_session(self, no_load: bool = False) -> dict[str, Any]:
        """The data, loaded on first use; marks the session as accessed."""
        self.accessed = True
        # A lookup, not try/except: a caught exception's traceback would tie this frame,
        # and so the request, into a reference cycle.
        cache: dict[str, Any] | None = self.__dict__.get("_session_cache")
        if cache is None:
            cache = {} if no_load or self.session_key is None else self.load()
            self._session_cache = cache
        return cache

    @property
    def _session(self) -> dict[str, Any]:
        return self._get_session()

    # -- expiry -------------------------------------------------------------------------

    def get_session_cookie_age(self) -> int:
        """``SESSION_COOKIE_AGE``."""
        return int(settings.SESSION_COOKIE_AGE)

    def get_expiry_age(self, **kwargs: Any) -> int:
        """Seconds until the session expires (``modification``/``expiry`` overridable)."""
        modification = kwargs.get("modification") or _now()
        expiry = kwargs["expiry"] if "expiry" in kwargs else self.get(_EXPIRY_KEY)
        if not expiry:  # None and 0 alike
            return self.get_session_cookie_age()
        if not isinstance(expiry, datetime | str):
            return int(expiry)
        if isinstance(expiry, str):
            expiry = datetime.fromisoformat(expiry)
        delta = expiry - modification
        return delta.days * 86400 + delta.seconds

    def get_expiry_date(self, **kwargs: Any) -> datetime:
        """When the session expires."""
        modification = kwargs.get("modification") or _now()
        expiry = kwargs["expiry"] if "expiry" in kwargs else self.get(_EXPIRY_KEY)
        if isinstance(expiry, datetime):
            return expiry
        if isinstance(expiry, str):
            return datetime.fromisoformat(expiry)
        return modification + timedelta(seconds=expiry or self.get_session_cookie_age())

    def set_expiry(self, value: int | datetime | timedelta | None) -> None:
        """Seconds, a datetime or timedelta; 0: at browser close; None: the global policy."""
        if value is None:
            if _EXPIRY_KEY in self._session:
                del self[_EXPIRY_KEY]
            return
        if isinstance(value, timedelta):
            value = _now() + value
        self[_EXPIRY_KEY] = value.isoformat() if isinstance(value, datetime) else value

    def get_expire_at_browser_close(self) -> bool:
        """Whether the cookie should end with the browser session."""
        expiry = self.get(_EXPIRY_KEY)
        if expiry is None:
            return bool(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)
        return bool(expiry == 0)

    # -- lifecycle ----------------------------------------------------------------------

    def flush(self) -> None:
        """Remove the data and the key (logout): the next save starts a new session."""
        self.clear()
        self.delete()
        self._session_key = None

    def cycle_key(self) -> None:
        """Keep the data under a new key (login), dropping the old one."""
        data = self._session
        key = self.session_key
        self.create()
        self._session_cache = data
        if key:
            self.delete(key)

    # Engine API.
    def exists(self, session_key: str) -> bool:
        """Whether ``session_key`` names a stored session."""
        raise NotImplementedError("subclasses of SessionBase must provide an exists() method")

    def create(self) -> None:
        """Start a new, empty, saved session with a new key."""
        raise NotImplementedError("subclasses of SessionBase must provide a create() method")

    def save(self, must_create: bool = False) -> None:
        """Store the data (CreateError when ``must_create`` and the key is taken)."""
        raise NotImplementedError("subclasses of SessionBase must provide a save() method")

    def delete(self, session_key: str | None = None) -> None:
        """Remove the stored session (this one when no key is given)."""
        raise NotImplementedError("subclasses of SessionBase must provide a delete() method")

    def load(self) -> dict[str, Any]:
        """The stored data for the key; an empty dict (and a new key) when invalid."""
        raise NotImplementedError("subclasses of SessionBase must provide a load() method")

    @classmethod
    def clear_expired(cls) -> None:
        """Remove expired sessions from the storage (for a periodic job)."""
        raise NotImplementedError("This backend does not support clear_expired().")

    # -- async twins (Django 5.1's names) -----------------------------------------------

    async def _aget_session(self, no_load: bool = False) -> dict[str, Any]:
        self.accessed = True
        cache: dict[str, Any] | None = self.__dict__.get("_session_cache")
        if cache is None:
            cache = {} if no_load or self.session_key is None else await self.aload()
            self._session_cache = cache
        return cache

    async def aget(self, key: str, default: Any = None) -> Any:
        """``get``, loading the data without blocking the loop."""
        return (await self._aget_session()).get(key, default)

    async def aset(self, key: str, value: Any) -> None:
        """``session[key] = value``, loading the data without blocking the loop."""
        (await self._aget_session())[key] = value
        self.modified = True

    async def apop(self, key: str, default: Any = _NOT_GIVEN) -> Any:
        """``pop``, loading the data without blocking the loop."""
        await self._aget_session()
        return self.pop(key, default)

    async def asetdefault(self, key: str, value: Any) -> Any:
        """``setdefault``, loading the data without blocking the loop."""
        await self._aget_session()
        return self.setdefault(key, value)

    async def aupdate(self, dict_: dict[str, Any]) -> None:
        """``update``, loading the data without blocking the loop."""
        (await self._aget_session()).update(dict_)
        self.modified = True

    async def ahas_key(self, key: str) -> bool:
        """``has_key``, loading the data without blocking the loop."""
        return key in await self._aget_session()

    async def akeys(self) -> KeysView[str]:
        """``keys``, loading the data without blocking the loop."""
        return (await self._aget_session()).keys()

    async def avalues(self) -> ValuesView[Any]:
        """``values``, loading the data without blocking the loop."""
        return (await self._aget_session()).values()

    async def aitems(self) -> ItemsView[str, Any]:
        """``items``, loading the data without blocking the loop."""
        return (await self._aget_session()).items()

    async def aset_test_cookie(self) -> None:
        """``set_test_cookie`` without blocking the loop."""
        await self.aset(self.TEST_COOKIE_NAME, self.TEST_COOKIE_VALUE)

    async def atest_cookie_worked(self) -> bool:
        """``test_cookie_worked`` without blocking the loop."""
        return bool(await self.aget(self.TEST_COOKIE_NAME) == self.TEST_COOKIE_VALUE)

    async def adelete_test_cookie(self) -> None:
        """``delete_test_cookie`` without blocking the loop."""
        await self._aget_session()
        del self[self.TEST_COOKIE_NAME]

    async def aget_expiry_age(self, **kwargs: Any) -> int:
        """``get_expiry_age`` without blocking the loop."""
        await self._aget_session()
        return self.get_expiry_age(**kwargs)

    async def aget_expiry_date(self, **kwargs: Any) -> datetime:
        """``get_expiry_date`` without blocking the loop."""
        await self._aget_session()
        return self.get_expiry_date(**kwargs)

    async def aset_expiry(self, value: int | datetime | timedelta | None) -> None:
        """``set_expiry`` without blocking the loop."""
        await self._aget_session()
        self.set_expiry(value)

    async def aget_expire_at_browser_close(self) -> bool:
        """``get_expire_at_browser_close`` without blocking the loop."""
        await self._aget_session()
        return self.get_expire_at_browser_close()

    async def aflush(self) -> None:
        """``flush`` without blocking the loop."""
        self.clear()
        await self.adelete()
        self._session_key = None

    async def acycle_key(self) -> None:
        """``cycle_key`` without blocking the loop."""
        data = await self._aget_session()
        key = self.session_key
        await self.acreate()
        self._session_cache = data
        if key:
            await self.adelete(key)

    async def aexists(self, session_key: str) -> bool:
        """``exists`` off the loop."""
        return await sync_to_async(self.exists)(session_key)

    async def acreate(self) -> None:
        """``create`` off the loop."""
        await sync_to_async(self.create)()

    async def asave(self, must_create: bool = False) -> None:
        """``save`` off the loop."""
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        """``delete`` off the loop."""
        await sync_to_async(self.delete)(session_key)

    async def aload(self) -> dict[str, Any]:
        """``load`` off the loop."""
        return await sync_to_async(self.load)()

    @classmethod
    async def aclear_expired(cls) -> None:
        """``clear_expired`` off the loop."""
        await sync_to_async(cls.clear_expired)()


__all__ = ["VALID_KEY_CHARS", "CreateError", "SessionBase", "UpdateError"]
