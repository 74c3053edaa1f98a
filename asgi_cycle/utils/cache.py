"""HTTP caching helpers with Django's names: Vary, Cache-Control, ETags, conditional GET.

Conditional requests follow RFC 9110 section 13.2.2, in its order: If-Match,
If-Unmodified-Since, If-None-Match, If-Modified-Since (If-Range is not supported).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from asgi_cycle.utils.http import http_date, parse_etags, parse_http_date_safe

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

cc_delim_re = re.compile(r"\s*,\s*")
#: Headers a 304 keeps from the full response (RFC 9110 section 15.4.5, plus Last-Modified).
_NOT_MODIFIED_KEEP = (
    "Cache-Control",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)


def patch_vary_headers(response: HttpResponseBase, newheaders: Iterable[str]) -> None:
    """Add ``newheaders`` to the Vary header, keeping its order and skipping duplicates."""
    headers = response.headers
    current = headers.get("Vary")
    vary = cc_delim_re.split(current) if current else []
    existing = {header.lower() for header in vary}
    for header in newheaders:
        if header.lower() not in existing:
            vary.append(header)
            existing.add(header.lower())
    headers["Vary"] = "*" if "*" in vary else ", ".join(vary)


def has_vary_header(response: HttpResponseBase, header_query: str) -> bool:
    """Whether the Vary header names ``header_query`` (case-insensitively)."""
    current = response.headers.get("Vary")
    if not current:
        return False
    return header_query.lower() in {header.lower() for header in cc_delim_re.split(current)}


def patch_cache_control(response: HttpResponseBase, **kwargs: Any) -> None:
    """Add or replace Cache-Control directives (``max_age=60`` -> ``max-age=60``).

    An existing max-age is only ever lowered; ``public`` and ``private`` replace
    each other; ``no-cache`` accumulates field names, a bare ``no-cache`` winning.
    """
    directives: dict[str, Any] = {}
    current = response.headers.get("Cache-Control")
    if current:
        for field in cc_delim_re.split(current):
            name, _, value = field.partition("=")
            name = name.lower()
            parsed: Any = value if _ else True
            if name == "no-cache":
                directives.setdefault(name, set()).add(parsed)
            else:
                directives[name] = parsed
    if "max-age" in directives and "max_age" in kwargs:
        try:
            kwargs["max_age"] = min(int(directives["max-age"]), kwargs["max_age"])
        except (TypeError, ValueError):
            pass
    if "private" in directives and "public" in kwargs:
        del directives["private"]
    elif "public" in directives and "private" in kwargs:
        del directives["public"]
    for key, value in kwargs.items():
        name = key.replace("_", "-")
        if name == "no-cache":
            directives.setdefault(name, set()).add(value)
        else:
            directives[name] = value
    parts: list[str] = []
    for name, value in directives.items():
        values = value if isinstance(value, set) else [value]
        if isinstance(value, set) and True in value:
            values = [True]
        parts.extend(name if item is True else f"{name}={item}" for item in values)
    response.headers["Cache-Control"] = ", ".join(parts)


def get_max_age(response: HttpResponseBase) -> int | None:
    """The max-age of the Cache-Control header as an int, or None."""
    current = response.headers.get("Cache-Control")
    if not current:
        return None
    for field in cc_delim_re.split(current):
        name, _, value = field.partition("=")
        if name.lower() == "max-age":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def patch_response_headers(response: HttpResponseBase, cache_timeout: int = 0) -> None:
    """Set Expires (unless present) and max-age for a cache lifetime of ``cache_timeout``."""
    cache_timeout = max(cache_timeout, 0)
    if "Expires" not in response.headers:
        response.headers["Expires"] = http_date(time.time() + cache_timeout)
    patch_cache_control(response, max_age=cache_timeout)


def add_never_cache_headers(response: HttpResponseBase) -> None:
    """Mark ``response`` as never to be cached, by anyone."""
    patch_response_headers(response, cache_timeout=-1)
    patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True, private=True)


def set_response_etag(response: HttpResponseBase) -> HttpResponseBase:
    """Set a strong ETag (MD5 of the content) on a non-streaming, non-empty response."""
    if not response.streaming:
        content = response.content  # type: ignore[attr-defined]
        if content:
            digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
            response.headers["ETag"] = f'"{digest}"'
    return response


def _precondition_failed() -> HttpResponseBase:
    from asgi_cycle.http import HttpResponse

    return HttpResponse(status=412)


def _not_modified(response: HttpResponseBase | None) -> HttpResponseBase:
    from asgi_cycle.http import HttpResponseNotModified

    new = HttpResponseNotModified()
    if response is not None:
        for header in _NOT_MODIFIED_KEEP:
            if header in response.headers:
                new.headers[header] = response.headers[header]
        # Cookies travel on a 304 too (RFC 6265 section 3).
        new.cookies = response.cookies
    return new


def _if_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    if not target_etag:
        return False
    if etags == ["*"]:
        return True
    # A weak ETag never strongly matches.
    return not target_etag.startswith("W/") and target_etag in etags


def _if_none_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    if not target_etag:
        return True
    if etags == ["*"]:
        return False
    # Weak comparison: the W/ prefix does not count.
    target = target_etag.removeprefix("W/")
    return all(etag.removeprefix("W/") != target for etag in etags)


def get_conditional_response(
    request: HttpRequest,
    etag: str | None = None,
    last_modified: int | None = None,
    response: HttpResponseBase | None = None,
) -> HttpResponseBase | None:
    """304 or 412 when the request's preconditions say so, else ``response``."""
    if response is not None and not 200 <= response.status_code < 300:
        return response
    meta = request.META
    if_match = parse_etags(meta.get("HTTP_IF_MATCH", ""))
    raw = meta.get("HTTP_IF_UNMODIFIED_SINCE")
    if_unmodified_since = parse_http_date_safe(raw) if raw else None
    if_none_match = parse_etags(meta.get("HTTP_IF_NONE_MATCH", ""))
    raw = meta.get("HTTP_IF_MODIFIED_SINCE")
    if_modified_since = parse_http_date_safe(raw) if raw else None
    safe = request.method in ("GET", "HEAD")

    if if_match and not _if_match_passes(etag, if_match):
        return _precondition_failed()
    if (
        not if_match
        and if_unmodified_since is not None
        and not (last_modified is not None and last_modified <= if_unmodified_since)
    ):
        return _precondition_failed()
    if if_none_match and not _if_none_match_passes(etag, if_none_match):
        return _not_modified(response) if safe else _precondition_failed()
    if (
        not if_none_match
        and if_modified_since is not None
        and last_modified is not None
        and last_modified <= if_modified_since
        and safe
    ):
        return _not_modified(response)
    return response


__all__ = [
    "add_never_cache_headers",
    "cc_delim_re",
    "get_conditional_response",
    "get_max_age",
    "has_vary_header",
    "patch_cache_control",
    "patch_response_headers",
    "patch_vary_headers",
    "set_response_etag",
]
