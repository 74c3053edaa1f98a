"""Text/bytes conversion and IRI -> URI quoting, with Django's names and rules."""

from __future__ import annotations

import datetime
import decimal
from typing import Any
from urllib.parse import quote

_PROTECTED_TYPES: tuple[type, ...] = (
    type(None),
    int,
    float,
    decimal.Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
)


class DjangoUnicodeDecodeError(UnicodeDecodeError):
    """A ``UnicodeDecodeError`` that names the object which failed to decode."""

    def __str__(self) -> str:
        return f"{super().__str__()}. You passed in {self.object!r} ({type(self.object)})"


def is_protected_type(obj: object) -> bool:
    """Whether ``force_str(obj, strings_only=True)`` keeps ``obj`` as it is."""
    return isinstance(obj, _PROTECTED_TYPES)


def force_str(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """``s`` as a ``str`` (bytes decoded with ``encoding``); protected types kept if asked."""
    if type(s) is str:
        return s
    if strings_only and is_protected_type(s):
        return s
    try:
        if isinstance(s, bytes):
            return str(s, encoding, errors)
        return str(s)
    except UnicodeDecodeError as exc:
        raise DjangoUnicodeDecodeError(*exc.args) from None


def smart_str(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Like ``force_str`` (lazy objects are not special here)."""
    return force_str(s, encoding, strings_only, errors)


def force_bytes(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """``s`` as ``bytes`` (str encoded with ``encoding``); protected types kept if asked."""
    if isinstance(s, bytes):
        if encoding == "utf-8":
            return s
        return s.decode("utf-8", errors).encode(encoding, errors)
    if strings_only and is_protected_type(s):
        return s
    if isinstance(s, memoryview):
        return bytes(s)
    return str(s).encode(encoding, errors)


def smart_bytes(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Like ``force_bytes``."""
    return force_bytes(s, encoding, strings_only, errors)


def iri_to_uri(iri: Any) -> Any:
    """Percent-encode an IRI into a URI, leaving reserved and already-escaped characters.

    ``None`` is returned unchanged. Control characters such as CR/LF are
    percent-encoded, so the result can never split a header.
    """
    if iri is None:
        return iri
    if not isinstance(iri, str):
        iri = str(iri)
    # surrogateescape: a path decoded with it (invalid UTF-8 bytes) gets its bytes back.
    return quote(iri, safe="/#%[]=:;$&()+,!?*@'~", errors="surrogateescape")


def escape_uri_path(path: str) -> str:
    """Escape the unsafe characters of the path part of a URI."""
    return quote(path, safe="/:@&+$,-_.!~*'()", errors="surrogateescape")


def uri_to_iri(uri: Any) -> Any:
    """Unquote the percent-escapes of a URI that encode valid UTF-8 (not reserved ones)."""
    if uri is None:
        return uri
    return repercent_broken_unicode(_unquote_unreserved(force_bytes(uri))).decode()


# Bytes that uri_to_iri may decode: unreserved ASCII (RFC 3986) and every non-ASCII byte.
_DECODABLE = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
) | frozenset(range(0x80, 0x100))


def _unquote_unreserved(uri: bytes) -> bytes:
    """Decode the %XX escapes of unreserved and non-ASCII bytes."""
    parts = uri.split(b"%")
    out = [parts[0]]
    for part in parts[1:]:
        hexpair = part[:2]
        try:
            value = int(hexpair, 16) if len(hexpair) == 2 else -1
        except ValueError:
            value = -1
        if value not in _DECODABLE:
            out.append(b"%" + part)
        else:
            out.append(bytes([value]) + part[2:])
    return b"".join(out)


def repercent_broken_unicode(path: bytes) -> bytes:
    """Percent-encode the bytes of ``path`` that are not valid UTF-8."""
    changed_parts = []
    while True:
        try:
            path.decode()
        except UnicodeDecodeError as exc:
            repercent = quote(path[exc.start : exc.end], safe=b"/#%[]=:;$&()+,!?*@'~")
            changed_parts.append(path[: exc.start] + repercent.encode())
            path = path[exc.end :]
        else:
            changed_parts.append(path)
            return b"".join(changed_parts)


def punycode(domain: str) -> str:
    """The IDNA (punycode) form of ``domain``."""
    return domain.encode("idna").decode("ascii")


__all__ = [
    "DjangoUnicodeDecodeError",
    "escape_uri_path",
    "force_bytes",
    "force_str",
    "iri_to_uri",
    "is_protected_type",
    "punycode",
    "repercent_broken_unicode",
    "smart_bytes",
    "smart_str",
    "uri_to_iri",
]
