"""HTTP responses with Django's API; each serialises its own ASGI headers.

Hierarchy::

    HttpResponseBase                 status, headers, cookies, close(), asgi_headers()
    ├── HttpResponse                 content in memory (bytes)
    │   ├── HttpResponseRedirect / HttpResponsePermanentRedirect   302 / 301
    │   ├── HttpResponseNotModified  304
    │   ├── HttpResponseBadRequest, NotFound, Forbidden, NotAllowed, Gone, ServerError
    │   └── JsonResponse
    └── StreamingHttpResponse        sync or async iterator, never buffered
        └── FileResponse             a file in blocks, with length/type/disposition

``Http404`` is the exception a view raises for a 404 page.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
from collections.abc import Iterable, Iterator
from http.cookies import CookieError, SimpleCookie
from typing import Any

from asgi_cycle.conf import settings
from asgi_cycle.core import signing
from asgi_cycle.http.response_headers import (
    BadHeaderError,
    PreparedHeader,
    ResponseHeaders,
    _new_headers,
    _pair_of,
    prepare_header,
)
from asgi_cycle.utils.http import REASON_PHRASES as responses
from asgi_cycle.utils.http import http_date

_CHARSET_FROM_CONTENT_TYPE = re.compile(r";\s*charset=(?P<charset>[^\s;]+)", re.IGNORECASE)

# Statuses that must not carry a Content-Length (RFC 9110 8.6).
_NO_LENGTH_STATUSES = frozenset({204, 304})


@functools.lru_cache(maxsize=16)
def _default_content_type(charset: str) -> str:
    return f"text/html; charset={charset}"


@functools.lru_cache(maxsize=64)
def _charset_from_content_type(content_type: str) -> str | None:
    matched = _CHARSET_FROM_CONTENT_TYPE.search(content_type)
    return matched["charset"].replace('"', "") if matched else None


#: Content-Type value -> its validated header: a handful of values serve every response.
_CONTENT_TYPES: dict[str, PreparedHeader] = {}
_CONTENT_TYPES_MAX = 64


def _content_type_header(content_type: str) -> PreparedHeader | None:
    """The prepared header for a str content type, kept while the table has room."""
    if type(content_type) is not str or len(_CONTENT_TYPES) >= _CONTENT_TYPES_MAX:
        return None
    prepared = _CONTENT_TYPES[content_type] = prepare_header("Content-Type", content_type)
    return prepared


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class Http404(Exception):
    """Raised by a view to answer 404 Not Found."""


class HttpResponseBase:
    """Status, headers and cookies shared by every response; no content."""

    status_code = 200
    streaming = False
    is_async = False
    _cookies: SimpleCookie | None = None
    # Class-level defaults: most responses never change them, so __init__ skips them.
    _charset: str | None = None
    _reason_phrase: str | None = None
    _handler_class: Any = None
    closed = False

    def __init__(
        self,
        content_type: str | None = None,
        status: int | None = None,
        reason: str | None = None,
        charset: str | None = None,
        headers: Any = None,
    ) -> None:
        self.headers = response_headers = ResponseHeaders(headers)
        if charset is not None:
            self._charset = charset
        if headers is None or "Content-Type" not in response_headers:
            if content_type is None:
                content_type = _default_content_type(charset or settings.DEFAULT_CHARSET)
            prepared = _CONTENT_TYPES.get(content_type) if type(content_type) is str else None
            if prepared is None:
                prepared = _content_type_header(content_type)
            if prepared is not None:
                response_headers.put(prepared)
            else:
                response_headers["Content-Type"] = content_type
        elif content_type:
            raise ValueError(
                "'headers' must not contain 'Content-Type' when the "
                "'content_type' parameter is provided."
            )
        self._resource_closers: list[Any] = []
        if status is not None:
            try:
                self.status_code = int(status)
            except (ValueError, TypeError):
                raise TypeError("HTTP status code must be an integer.") from None
            if not 100 <= self.status_code <= 599:
                raise ValueError("HTTP status code must be an integer from 100 to 599.")
        if reason is not None:
            self._reason_phrase = reason

    @property
    def cookies(self) -> SimpleCookie:
        """The cookies to set (created on first use: most responses set none)."""
        cookies = self._cookies
        if cookies is None:
            cookies = self._cookies = SimpleCookie()
        return cookies

    @cookies.setter
    def cookies(self, value: SimpleCookie) -> None:
        self._cookies = value

    @property
    def reason_phrase(self) -> str:
        """The status line's phrase (``OK``, ``Not Found`` ...)."""
        if self._reason_phrase is not None:
            return self._reason_phrase
        return responses.get(self.status_code, "Unknown Status Code")

    @reason_phrase.setter
    def reason_phrase(self, value: str) -> None:
        self._reason_phrase = value

    @property
    def charset(self) -> str:
        """The charset for encoding str content (from Content-Type, else the default)."""
        if self._charset is not None:
            return self._charset
        content_type = self.headers.get("Content-Type")
        charset = _charset_from_content_type(content_type) if content_type else None
        return charset or str(settings.DEFAULT_CHARSET)

    @charset.setter
    def charset(self, value: str) -> None:
        self._charset = value

    def __repr__(self) -> str:
        content_type = self.headers.get("Content-Type", "")
        return f'<{type(self).__name__} status_code={self.status_code}, "{content_type}">'

    # -- header access (Django's dict-like interface) ---------------------------------

    def __setitem__(self, header: str, value: Any) -> None:
        self.headers[header] = value

    def __delitem__(self, header: str) -> None:
        self.headers.pop(header, None)

    def __getitem__(self, header: str) -> str:
        return self.headers[header]

    def __contains__(self, header: str) -> bool:
        return header in self.headers

    def has_header(self, header: str) -> bool:
        """Whether the header is set (case-insensitive)."""
        return header in self.headers

    def items(self) -> Iterable[tuple[str, str]]:
        """``(name, value)`` pairs of the headers."""
        return self.headers.items()

    def get(self, header: str, alternate: Any = None) -> Any:
        """The header's value or ``alternate``."""
        return self.headers.get(header, alternate)

    def setdefault(self, key: str, value: Any) -> None:
        """Set the header unless it is already set."""
        self.headers.setdefault(key, value)

    def asgi_headers(self) -> list[tuple[bytes, bytes]]:
        """Every header as ASGI wants it: lower-cased latin-1 pairs, one per cookie.

        ``content-length`` is added for a non-streaming response that has none
        (except 1xx/204/304, which must not carry one).
        """
        # ResponseHeaders.raw() and .has() inline, on its store: once per response.
        store = self.headers._store
        headers = list(map(_pair_of, store.values()))
        cookies = self._cookies
        if cookies:
            for morsel in cookies.values():
                headers.append((b"set-cookie", morsel.OutputString().encode("latin-1")))
        if not self.streaming and "content-length" not in store:
            status = self.status_code
            if status >= 200 and status not in _NO_LENGTH_STATUSES:
                length = self._content_length()
                if length is not None:
                    headers.append((b"content-length", b"%d" % length))
        return headers

    def _content_length(self) -> int | None:
        """The body's length when known without consuming it."""
        return None

    def serialize_headers(self) -> bytes:
        """The headers as HTTP/1.1 lines (for debugging and tests)."""
        return b"\r\n".join(b"%s: %s" % pair for pair in self.asgi_headers())

    __bytes__ = serialize_headers

    def __getstate__(self) -> dict[str, Any]:
        # Closers are bound to this process's resources: a pickled copy (cache) has none.
        state = self.__dict__.copy()
        state["_resource_closers"] = []
        state["_handler_class"] = None
        return state

    # -- cookies ------------------------------------------------------------------------

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | float | datetime.timedelta | None = None,
        expires: str | datetime.datetime | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
    ) -> None:
        """Set a cookie; ``expires`` may be a datetime, ``max_age`` a timedelta."""
        value = str(value)
        for text in (key, value, path or "", domain or ""):
            if "\n" in text or "\r" in text or ";" in text:
                raise BadHeaderError(f"Cookie parts can't contain newlines or ';' (got {text!r})")
            if not text.isascii() and not _latin1(text):
                # Caught here, in the view, rather than when the headers are sent.
                raise BadHeaderError(
                    f"Cookie parts must be latin-1; percent-encode the value first (got {text!r})"
                )
        try:
            self.cookies[key] = value
        except CookieError as exc:
            raise BadHeaderError(str(exc)) from None
        morsel = self.cookies[key]
        if expires is not None:
            if isinstance(expires, datetime.datetime):
                if expires.tzinfo is None or expires.utcoffset() is None:
                    expires = expires.replace(tzinfo=datetime.UTC)
                delta = expires - datetime.datetime.now(tz=datetime.UTC)
                # Round up: the cookie must not expire before the time asked for.
                delta += datetime.timedelta(seconds=1)
                expires = None
                if max_age is not None:
                    raise ValueError("'expires' and 'max_age' can't be used together.")
                max_age = max(0, delta.days * 86400 + delta.seconds)
            else:
                morsel["expires"] = expires
        else:
            morsel["expires"] = ""
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            morsel["max-age"] = int(max_age)
            if not expires:
                morsel["expires"] = http_date(time.time() + max_age)
        if path is not None:
            morsel["path"] = path
        if domain is not None:
            morsel["domain"] = domain
        if secure:
            morsel["secure"] = True
        if httponly:
            morsel["httponly"] = True
        if samesite:
            if samesite.lower() not in ("lax", "none", "strict"):
                raise ValueError('samesite must be "lax", "none", or "strict".')
            morsel["samesite"] = samesite

    def set_signed_cookie(self, key: str, value: str, salt: str = "", **kwargs: Any) -> None:
        """Set a cookie whose value is signed with ``SECRET_KEY`` (see ``get_signed_cookie``)."""
        signed = signing.get_cookie_signer(salt=key + salt).sign(value)
        self.set_cookie(key, signed, **kwargs)

    def delete_cookie(
        self, key: str, path: str = "/", domain: str | None = None, samesite: str | None = None
    ) -> None:
        """Tell the client to drop a cookie (expired, empty)."""
        # Browsers refuse __Secure-/__Host- and SameSite=None cookies without Secure.
        secure = key.startswith(("__Secure-", "__Host-")) or bool(
            samesite and samesite.lower() == "none"
        )
        self.set_cookie(
            key,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            expires="Thu, 01 Jan 1970 00:00:00 GMT",
            samesite=samesite,
        )

    # -- content helpers and file-like interface ---------------------------------------

    def make_bytes(self, value: Any) -> bytes:
        """``value`` as bytes: bytes as is, str encoded with the charset."""
        if type(value) is bytes:
            return value
        if isinstance(value, bytes | memoryview | bytearray):
            return bytes(value)
        if isinstance(value, str):
            return value.encode(self.charset)
        return str(value).encode(self.charset)

    def close(self) -> None:
        """Release what the response holds (files, iterators, the request's uploads)."""
        closers = self._resource_closers
        if closers:
            self._resource_closers = []
            for closer in closers:
                try:
                    closer()
                except Exception:
                    pass
        self.closed = True

    def write(self, content: Any) -> None:
        """Not writable: raises ``OSError``."""
        raise OSError(f"This {type(self).__name__} instance is not writable")

    def flush(self) -> None:
        """Nothing to flush."""

    def tell(self) -> int:
        """Not supported: raises ``OSError``."""
        raise OSError(f"This {type(self).__name__} instance cannot tell its position")

    def readable(self) -> bool:
        """Responses are not readable."""
        return False

    def seekable(self) -> bool:
        """Responses are not seekable."""
        return False

    def writable(self) -> bool:
        """Only ``HttpResponse`` is writable."""
        return False

    def writelines(self, lines: Iterable[Any]) -> None:
        """Not writable: raises ``OSError``."""
        raise OSError(f"This {type(self).__name__} instance is not writable")


class HttpResponse(HttpResponseBase):
    """A response whose content is held in memory as bytes."""

    streaming = False

    #: Whether the class keeps HttpResponse's content setter (bytes may then skip it).
    _plain_content = True

    #: Whether HttpResponseBase.__init__ comes right after this class's __init__ in the
    #: MRO (no cooperative class between them), so __init__ may do its work inline.
    _plain_base = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._plain_content = (
            cls.content is HttpResponse.content and cls._set_content is HttpResponse._set_content
        )
        mro = cls.__mro__
        cls._plain_base = mro[mro.index(HttpResponse) + 1] is HttpResponseBase

    def __init__(
        self,
        content: Any = b"",
        content_type: str | None = None,
        status: int | None = None,
        reason: str | None = None,
        charset: str | None = None,
        headers: Any = None,
    ) -> None:
        if (
            headers is None
            and charset is None
            and status is None
            and reason is None
            and type(content) is bytes
            and self._plain_base
            and self._plain_content
        ):
            # The common case: HttpResponseBase.__init__ for a known content type, inline.
            if content_type is None:
                content_type = _default_content_type(settings.DEFAULT_CHARSET)
            prepared = _CONTENT_TYPES.get(content_type) if type(content_type) is str else None
            if prepared is not None:
                # A header map holding just that header, without ResponseHeaders.__init__.
                self.headers = response_headers = _new_headers(ResponseHeaders)
                response_headers._store = {prepared[0]: prepared[1]}
                self._resource_closers = []
                self._container = [content]
                return
        # The base class's parameters spelled out: no *args/**kwargs repacking per response.
        super().__init__(content_type, status, reason, charset, headers)
        if type(content) is bytes and self._plain_content:
            self._container = [content]  # the common case, without the property
        else:
            self.content = content

    def __repr__(self) -> str:
        content_type = self.headers.get("Content-Type", "")
        return f'<{type(self).__name__} status_code={self.status_code}, "{content_type}">'

    @property
    def content(self) -> bytes:
        """The body as bytes (str and iterables are encoded with the charset)."""
        container = self._container
        if len(container) == 1:
            return container[0]
        return b"".join(container)

    @content.setter
    def content(self, value: Any) -> None:
        self._set_content(value)

    def _set_content(self, value: Any) -> None:
        if type(value) is bytes:
            content = value
        elif hasattr(value, "__iter__") and not isinstance(value, bytes | memoryview | str):
            content = b"".join(self.make_bytes(chunk) for chunk in value)
            if hasattr(value, "close"):
                try:
                    value.close()
                except Exception:
                    pass
        else:
            content = self.make_bytes(value)
        self._container = [content]

    def _content_length(self) -> int | None:
        container = self._container
        return len(container[0]) if len(container) == 1 else sum(map(len, container))

    @property
    def text(self) -> str:
        """The body decoded with the response's charset."""
        return self.content.decode(self.charset or "utf-8")

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._container)

    def serialize(self) -> bytes:
        """Headers, a blank line and the content (the HTTP message without status line)."""
        return self.serialize_headers() + b"\r\n\r\n" + self.content

    __bytes__ = serialize

    def write(self, content: Any) -> None:
        """Append to the body."""
        self._container.append(self.make_bytes(content))

    def tell(self) -> int:
        """The body's length so far."""
        return len(self.content)

    def getvalue(self) -> bytes:
        """The body."""
        return self.content

    def writable(self) -> bool:
        """``HttpResponse`` can be written to."""
        return True

    def writelines(self, lines: Iterable[Any]) -> None:
        """Append each of ``lines`` to the body."""
        for line in lines:
            self.write(line)


from asgi_cycle.http._kinds import (  # noqa: E402 - they subclass HttpResponse above
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseRedirectBase,
    HttpResponseServerError,
    JsonResponse,
)
from asgi_cycle.http.streaming import FileResponse, StreamingHttpResponse  # noqa: E402 - subclasses too

__all__ = [
    "BadHeaderError",
    "FileResponse",
    "Http404",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonResponse",
    "ResponseHeaders",
    "StreamingHttpResponse",
]
