"""Cookie parsing (request side) and the cookie jar type (response side)."""

from __future__ import annotations

from http.cookies import SimpleCookie

from asgi_cycle.utils._parsers import cookie_parser


def parse_cookie(cookie: str) -> dict[str, str]:
    """A ``Cookie`` header as a dict, parsed the lenient way browsers send it."""
    if not cookie:
        return {}
    return cookie_parser(cookie)


__all__ = ["SimpleCookie", "parse_cookie"]
