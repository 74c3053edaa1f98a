"""``ResponseHeaders``: a case-insensitive header map that keeps its ASGI form ready.

Every header is validated once, when set: the name must be an HTTP token;
the value ``str`` or ``bytes`` (other values go through ``str``), without
CR/LF or other control characters but TAB (``BadHeaderError``, BAD_INPUT
21/23: a server would split the response or refuse it), latin-1 or else
MIME-encoded as Django does. The lower-cased latin-1 ``(name, value)`` pair
is stored next to it, so serialising the headers for ASGI is one C-level pass
(``raw()``) over a single dict.

Headers set on every response with the same value (``X-Frame-Options: DENY``,
``Content-Type: text/plain``) are validated once with ``prepare_header`` and
then stored with ``put`` / ``put_default``: no check and no encoding per response.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from email.header import Header
from operator import itemgetter
from typing import Any


class BadHeaderError(ValueError):
    """A header name or value would split or break the response (e.g. CR or LF in it)."""


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Control characters servers refuse in a value (uvicorn and h11 alike); TAB is allowed.
_FORBIDDEN_IN_VALUES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: Header names already validated -> lower case. Names come from code, so there are few;
#: the cap keeps a name built from client input from growing it without bound.
_CHECKED_NAMES: dict[str, str] = {}
_CHECKED_NAMES_MAX = 1024

#: What the store keeps per header: (name as given, value, lower-cased latin-1 ASGI pair).
HeaderEntry = tuple[str, str, tuple[bytes, bytes]]
#: A header validated ahead of time: (lower-cased name, entry).
PreparedHeader = tuple[str, HeaderEntry]


def _to_header_text(value: Any, charset: str, mime_encode: bool) -> str:
    """``value`` as header text encodable in ``charset``; CR/LF refused."""
    if isinstance(value, bytes):
        try:
            text = value.decode(charset)
        except UnicodeError as exc:
            if b"\n" in value or b"\r" in value:
                raise BadHeaderError(
                    f"Header values can't contain newlines (got {value!r})"
                ) from exc
            raise
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    if "\n" in text or "\r" in text:
        raise BadHeaderError(f"Header values can't contain newlines (got {text!r})")
    if _FORBIDDEN_IN_VALUES.search(text):
        raise BadHeaderError(f"Header values can't contain control characters (got {text!r})")
    if text.isascii():
        return text
    try:
        text.encode(charset)
    except UnicodeEncodeError as exc:
        if not mime_encode:
            exc.reason += f", HTTP response headers must be in {charset} format"
            raise
        # RFC 2047 encoded-word, on one line (an unlimited line length means no folding).
        return Header(text, "utf-8", maxlinelen=sys.maxsize).encode()
    return text


class ResponseHeaders(MutableMapping[str, str]):
    """The headers of a response: case-insensitive, validated, ASGI-ready."""

    __slots__ = ("_store",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        # lower-cased name -> (name as given, value, ASGI pair): one dict, one store per set
        self._store: dict[str, HeaderEntry] = {}
        if data:
            for header, value in data.items():
                self[header] = value

    def __setitem__(self, key: str, value: Any) -> None:
        lower = _CHECKED_NAMES.get(key) if type(key) is str else None
        if lower is None:
            name = _to_header_text(key, "ascii", mime_encode=False)
            if not _TOKEN.fullmatch(name):
                raise BadHeaderError(f"Header names must be HTTP tokens (got {name!r})")
            lower = name.lower()
            if len(_CHECKED_NAMES) < _CHECKED_NAMES_MAX:
                _CHECKED_NAMES[name] = lower
        else:
            name = key
        # Fast path: printable ASCII needs no further checks.
        if type(value) is str and value.isascii() and value.isprintable():
            text = value
        else:
            text = _to_header_text(value, "latin-1", mime_encode=True)
        self._store[lower] = (name, text, (lower.encode("ascii"), text.encode("latin-1")))

    def put(self, prepared: PreparedHeader) -> None:
        """Set a header validated by ``prepare_header``."""
        lower, entry = prepared
        self._store[lower] = entry

    def put_default(self, prepared: PreparedHeader) -> None:
        """Set a header validated by ``prepare_header`` unless that header is set."""
        lower, entry = prepared
        if lower not in self._store:
            self._store[lower] = entry

    def put_defaults(self, prepared: Iterable[PreparedHeader]) -> None:
        """``put_default`` for each of ``prepared``, in order."""
        store = self._store
        for lower, entry in prepared:
            if lower not in store:
                store[lower] = entry

    def put_default_length(self, response: Any) -> None:
        """Set ``Content-Length`` to ``len(response.content)`` unless it is set.

        ``content`` is read only when the header is missing (as Django's
        CommonMiddleware does).
        """
        if "content-length" not in self._store:
            length = len(response.content)
            lower, entry = _LENGTHS.get(length) or content_length_header(length)
            self._store[lower] = entry

    def __getitem__(self, key: str) -> str:
        return self._store[key.lower()][1]

    def __delitem__(self, key: str) -> None:
        del self._store[key.lower()]

    def __contains__(self, key: object) -> bool:
        if type(key) is str:
            # A name set before is lower-cased by a dict look-up instead of lower().
            return (_CHECKED_NAMES.get(key) or key.lower()) in self._store
        return isinstance(key, str) and key.lower() in self._store

    def __iter__(self) -> Iterator[str]:
        return (name for name, _, _ in self._store.values())

    def __len__(self) -> int:
        return len(self._store)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k: v for k, (_, v, _) in self._store.items()} == {
            str(k).lower(): v for k, v in other.items()
        }

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr({name: value for name, value, _ in self._store.values()})

    def get(self, key: str, default: Any = None) -> Any:
        """The header's value, or ``default``."""
        entry = self._store.get(key.lower())
        return default if entry is None else entry[1]

    def pop(self, key: str, *default: Any) -> Any:
        """Remove a header and return its value (or ``default``)."""
        lower = key.lower()
        try:
            value = self._store.pop(lower)[1]
        except KeyError:
            if default:
                return default[0]
            raise
        return value

    def setdefault(self, key: str, value: Any = None) -> str:
        """Set the header unless it is set; return its value."""
        if key not in self:
            self[key] = value
        return self[key]

    def raw(self) -> list[tuple[bytes, bytes]]:
        """Every header as a lower-cased latin-1 ``(name, value)`` pair, in order."""
        return list(map(_pair_of, self._store.values()))

    def has(self, lower_name: str) -> bool:
        """Whether the header is set; ``lower_name`` must already be lower case."""
        return lower_name in self._store


#: Makes a ResponseHeaders without __init__ (the response then sets its _store itself).
_new_headers = object.__new__
_pair_of = itemgetter(2)  # HeaderEntry -> its ASGI pair


def prepare_header(name: str, value: Any) -> PreparedHeader:
    """Validate and encode a header once, for ``ResponseHeaders.put`` on many responses."""
    headers = ResponseHeaders()
    headers[name] = value
    ((lower, entry),) = headers._store.items()
    return lower, entry


# Looked up on almost every response ("Content-Length" in response): known from the start.
_CHECKED_NAMES["Content-Length"] = "content-length"


#: Prepared Content-Length headers of small bodies: most responses repeat a few lengths.
_LENGTHS: dict[int, PreparedHeader] = {}
_LENGTHS_MAX = 4096


def content_length_header(length: int) -> PreparedHeader:
    """``Content-Length: length`` (digits need no validation)."""
    prepared = _LENGTHS.get(length)
    if prepared is None:
        text = str(length)
        prepared = "content-length", ("Content-Length", text, (b"content-length", text.encode()))
        if type(length) is int and 0 <= length < _LENGTHS_MAX:
            _LENGTHS[length] = prepared
    return prepared


__all__ = [
    "BadHeaderError",
    "HeaderEntry",
    "PreparedHeader",
    "ResponseHeaders",
    "content_length_header",
    "prepare_header",
]
