"""HTTP helpers with Django's names: dates, ETags, query strings, safe redirects."""

from __future__ import annotations

import base64
import calendar
import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from email.utils import formatdate
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit
from urllib.parse import urlencode as original_urlencode

from asgi_cycle.utils._parsers import parse_options_header
from asgi_cycle.utils.datastructures import MultiValueDict

#: Status code -> reason phrase: ``http.client.responses``, without importing
#: ``http.client`` (and the ``email`` parser with it) into every worker.
REASON_PHRASES: dict[int, str] = {status.value: status.phrase for status in HTTPStatus}

ETAG_MATCH = re.compile(r'\A((?:W/)?"[^"]*")\Z')

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_D = r"(?P<day>[0-9]{2})"
_D2 = r"(?P<day>[ 0-9][0-9])"
_M = r"(?P<mon>\w{3})"
_Y = r"(?P<year>[0-9]{4})"
_Y2 = r"(?P<year>[0-9]{2})"
_T = r"(?P<hour>[0-9]{2}):(?P<min>[0-9]{2}):(?P<sec>[0-9]{2})"
RFC1123_DATE = re.compile(rf"^\w{{3}}, {_D} {_M} {_Y} {_T} GMT$")
RFC850_DATE = re.compile(rf"^\w{{6,9}}, {_D}-{_M}-{_Y2} {_T} GMT$")
ASCTIME_DATE = re.compile(rf"^\w{{3}} {_M} {_D2} {_T} {_Y}$")

#: Longer URLs are refused by url_has_allowed_host_and_scheme (as Django does).
MAX_URL_LENGTH = 2048
#: Longer header values are not parsed for parameters (bounded work on hostile input).
MAX_HEADER_LENGTH = 10_000


def urlencode(query: Any, doseq: bool = False) -> str:
    """Encode a mapping or pair sequence as a query string; ``None`` values are refused."""
    pairs: Iterable[tuple[Any, Any]]
    if isinstance(query, MultiValueDict):
        pairs = query.lists()
    elif isinstance(query, Mapping) or hasattr(query, "items"):
        pairs = query.items()
    else:
        pairs = query
    params: list[tuple[Any, Any]] = []
    for key, value in pairs:
        if value is None:
            raise TypeError(
                f"Cannot encode None for key '{key}' in a query string. Did you mean to "
                "pass an empty string or omit the value?"
            )
        if not doseq or isinstance(value, str | bytes):
            params.append((key, value))
            continue
        try:
            items = iter(value)
        except TypeError:
            params.append((key, value))
            continue
        listed: list[Any] = []
        for item in items:
            if item is None:
                raise TypeError(
                    f"Cannot encode None for key '{key}' in a query string. Did you mean to "
                    "pass an empty string or omit the value?"
                )
            listed.append(item if isinstance(item, bytes) else str(item))
        params.append((key, listed))
    return original_urlencode(params, doseq)


def http_date(epoch_seconds: float | None = None) -> str:
    """The RFC 9110 date (``Wdy, DD Mon YYYY HH:MM:SS GMT``) for ``epoch_seconds`` or now."""
    return formatdate(epoch_seconds, usegmt=True)


def parse_http_date(date: str) -> int:
    """Seconds since the epoch for an HTTP date in any of the three RFC 9110 formats.

    Raises:
        ValueError: the date is in none of the formats.
    """
    for regex in (RFC1123_DATE, RFC850_DATE, ASCTIME_DATE):
        match = regex.match(date)
        if match is not None:
            break
    else:
        raise ValueError(f"{date!r} is not in a valid HTTP date format")
    try:
        year = int(match["year"])
        if year < 100:
            # RFC 9110: a two-digit year more than 50 years in the future is in the past.
            current_year = datetime.datetime.now(tz=datetime.UTC).year
            century = current_year - current_year % 100
            year += century if year - (current_year % 100) <= 50 else century - 100
        month = MONTHS.index(match["mon"].lower()) + 1
        result = datetime.datetime(
            year,
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["min"]),
            int(match["sec"]),
            tzinfo=datetime.UTC,
        )
        return calendar.timegm(result.utctimetuple())
    except Exception as exc:
        raise ValueError(f"{date!r} is not a valid date") from exc


def parse_http_date_safe(date: str) -> int | None:
    """Like ``parse_http_date``, but ``None`` for an invalid date."""
    try:
        return parse_http_date(date)
    except Exception:
        return None


def base36_to_int(s: str) -> int:
    """The integer for a base-36 string of at most 13 characters."""
    if len(s) > 13:
        raise ValueError("Base36 input too large")
    return int(s, 36)


def int_to_base36(i: int) -> str:
    """The base-36 string for a non-negative integer."""
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    if i < 0:
        raise ValueError("Negative base36 conversion input.")
    if i < 36:
        return chars[i]
    out = ""
    while i != 0:
        i, n = divmod(i, 36)
        out = chars[n] + out
    return out


def urlsafe_base64_encode(s: bytes) -> str:
    """URL-safe base64 without trailing ``=`` padding."""
    return base64.urlsafe_b64encode(s).rstrip(b"\n=").decode("ascii")


def urlsafe_base64_decode(s: str | bytes) -> bytes:
    """Decode URL-safe base64 whose padding may have been stripped."""
    raw = s.encode() if isinstance(s, str) else s
    try:
        return base64.urlsafe_b64decode(raw.ljust(len(raw) + len(raw) % 4, b"="))
    except (LookupError, ValueError, TypeError) as exc:
        raise ValueError(exc) from exc


def parse_etags(etag_str: str) -> list[str]:
    """The quoted ETags of an ``If-None-Match``/``If-Match`` value (``["*"]`` for ``*``)."""
    if etag_str.strip() == "*":
        return ["*"]
    matches = (ETAG_MATCH.match(etag.strip()) for etag in etag_str.split(","))
    return [match[1] for match in matches if match]


def quote_etag(etag_str: str) -> str:
    """``etag_str`` as a quoted ETag, unless it already is one."""
    if ETAG_MATCH.match(etag_str):
        return etag_str
    return f'"{etag_str}"'


def is_same_domain(host: str, pattern: str) -> bool:
    """Whether ``host`` matches ``pattern`` (``.example.com`` also matches subdomains)."""
    if not pattern:
        return False
    pattern = pattern.lower()
    return (
        pattern[0] == "." and (host.endswith(pattern) or host == pattern[1:])
    ) or pattern == host


def url_has_allowed_host_and_scheme(
    url: str | None, allowed_hosts: str | Iterable[str] | None, require_https: bool = False
) -> bool:
    """Whether ``url`` is safe to redirect to: no foreign host, only http(s) schemes.

    Scheme-relative (``//evil.com``), backslash (``\\\\evil.com``), ``javascript:``
    and control-character-led URLs are all refused.
    """
    if url is not None:
        url = url.strip()
    if not url:
        return False
    hosts: set[str]
    if allowed_hosts is None:
        hosts = set()
    elif isinstance(allowed_hosts, str):
        hosts = {allowed_hosts}
    else:
        hosts = set(allowed_hosts)
    # Browsers treat backslashes as slashes: check both spellings.
    return _url_is_safe(url, hosts, require_https) and _url_is_safe(
        url.replace("\\", "/"), hosts, require_https
    )


def _url_is_safe(url: str, allowed_hosts: set[str], require_https: bool) -> bool:
    if len(url) > MAX_URL_LENGTH or url.startswith("///"):
        return False
    try:
        info = urlsplit(url)
    except ValueError:
        return False
    # "http:999999999" looks like a path to urlsplit but browsers read a scheme.
    if not info.netloc and info.scheme:
        return False
    # Browsers strip leading control characters, turning "\x08//evil.com" into "//evil.com".
    if unicodedata.category(url[0])[0] == "C":
        return False
    scheme = info.scheme
    if not scheme and info.netloc:
        scheme = "http"
    valid = ("https",) if require_https else ("http", "https")
    return (not info.netloc or info.netloc in allowed_hosts) and (not scheme or scheme in valid)


def escape_leading_slashes(url: str) -> str:
    """Escape a leading ``//`` so the URL cannot be read as scheme-relative."""
    if url.startswith("//"):
        url = "/%2F" + url.removeprefix("//")
    return url


_QUOTABLE = re.compile(r"[\t \x21\x23-\x3a\x3c-\x5b\x5d-\x7e]*")


def content_disposition_header(as_attachment: bool, filename: str) -> str | None:
    """A ``Content-Disposition`` value; RFC 6266 ``filename*`` unless plainly quotable.

    A filename with non-ASCII characters, quotes, backslashes or ``;`` is sent
    percent-encoded as ``filename*=utf-8''...`` so it can never break out of
    the parameter.
    """
    if not (as_attachment or filename):
        return None
    disposition = "attachment" if as_attachment else "inline"
    if not filename:
        return disposition
    if _QUOTABLE.fullmatch(filename):
        return f'{disposition}; filename="{filename}"'
    return f"{disposition}; filename*=utf-8''{quote(filename, safe='')}"


def parse_header_parameters(line: str) -> tuple[str, dict[str, str]]:
    """Split ``text/html; charset="utf-8"`` into the lower-cased value and its parameters.

    Linear in the length of ``line``; a line longer than ``MAX_HEADER_LENGTH``
    keeps its main value and drops the parameters.
    """
    if len(line) > MAX_HEADER_LENGTH:
        return line.split(";", 1)[0].strip().lower(), {}
    value, options = parse_options_header(line)
    params = {key.decode("latin-1").lower(): val.decode("latin-1") for key, val in options.items()}
    return value.decode("latin-1").lower(), params


__all__ = [
    "MAX_URL_LENGTH",
    "base36_to_int",
    "content_disposition_header",
    "escape_leading_slashes",
    "http_date",
    "int_to_base36",
    "is_same_domain",
    "parse_etags",
    "parse_header_parameters",
    "parse_http_date",
    "parse_http_date_safe",
    "quote_etag",
    "url_has_allowed_host_and_scheme",
    "urlencode",
    "urlsafe_base64_decode",
    "urlsafe_base64_encode",
]
