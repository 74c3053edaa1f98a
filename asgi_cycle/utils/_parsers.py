"""Third-party header parsers, imported on their first call rather than at startup.

``starlette.requests`` brings starlette's form and multipart parsers (and
``http.client`` with the ``email`` package) along with its cookie parser, and
``python_multipart`` its streaming parsers along with ``parse_options_header``:
about a megabyte in every worker, which an app whose requests carry no cookie
and no ``Content-Type`` never uses. Each wrapper imports its parser once and
keeps it in a module global, so a later call costs one extra function call.
"""

from __future__ import annotations

from collections.abc import Callable

_cookie_parser: Callable[[str], dict[str, str]] | None = None
_options_parser: Callable[[str | bytes | None], tuple[bytes, dict[bytes, bytes]]] | None = None


def cookie_parser(cookie_string: str) -> dict[str, str]:
    """``starlette.requests.cookie_parser``: a ``Cookie`` header as a dict, leniently."""
    global _cookie_parser
    if _cookie_parser is None:
        from starlette.requests import cookie_parser as loaded

        _cookie_parser = loaded
    return _cookie_parser(cookie_string)


def parse_options_header(value: str | bytes | None) -> tuple[bytes, dict[bytes, bytes]]:
    """``python_multipart``'s ``parse_options_header``: a header's value and parameters."""
    global _options_parser
    if _options_parser is None:
        from python_multipart.multipart import parse_options_header as loaded

        _options_parser = loaded
    return _options_parser(value)
