"""Host header validation: syntax first, then the ``ALLOWED_HOSTS`` allow-list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from asgi_cycle.core.signals import setting_changed
from asgi_cycle.utils.http import is_same_domain

# A DNS name or a bracketed IPv6 literal, then an optional port (Django's grammar).
_HOST_RE = re.compile(r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?")

#: Longest domain accepted (RFC 1035: 253 characters for a full name).
MAX_DOMAIN_LENGTH = 253

#: What DEBUG allows when ALLOWED_HOSTS is empty (Django's development default).
DEBUG_ALLOWED_HOSTS = (".localhost", "127.0.0.1", "[::1]")


def split_domain_port(host: str) -> tuple[str, str]:
    """``(domain, port)`` of a Host value; ``("", "")`` if its syntax is invalid.

    The domain is lower-cased and loses a trailing dot. Userinfo (``a@b``),
    spaces, commas and overlong names all fail the syntax check.
    """
    if len(host) > MAX_DOMAIN_LENGTH + 6:
        return "", ""
    match = _HOST_RE.fullmatch(host.lower())
    if match is None:
        return "", ""
    domain, port = match.group(1), match.group(2) or ""
    domain = domain.removesuffix(".")
    if len(domain) > MAX_DOMAIN_LENGTH:
        return "", ""
    return domain, port.removeprefix(":")


def validate_host(host: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether ``host`` (a domain without port) matches an ``ALLOWED_HOSTS`` pattern."""
    return any(pattern == "*" or is_same_domain(host, pattern) for pattern in allowed_hosts)


#: Raw Host value -> the ALLOWED_HOSTS object it passed against. A request's Host is
#: almost always one of a few names, so the regex and the pattern walk run once per name.
_ACCEPTED: dict[str, object] = {}
_ACCEPTED_MAX = 256
#: The same, by the Host header's raw bytes: (the host as text, ALLOWED_HOSTS object).
#: ASGIRequest.get_host reads it without decoding the header first.
_ACCEPTED_RAW: dict[bytes, tuple[str, object]] = {}


def remember_accepted(host: str, allowed_hosts: object) -> None:
    """Record that ``host`` passed (the table is emptied when full: Host is client input)."""
    if len(_ACCEPTED) >= _ACCEPTED_MAX:
        _ACCEPTED.clear()
        _ACCEPTED_RAW.clear()
    _ACCEPTED[host] = allowed_hosts
    try:
        raw = host.encode("latin-1")  # what the header's bytes decode from
    except UnicodeEncodeError:
        return
    _ACCEPTED_RAW[raw] = (host, allowed_hosts)


def _forget_accepted(*, setting: str, **kwargs: Any) -> None:
    if setting in ("ALLOWED_HOSTS", "DEBUG"):
        _ACCEPTED.clear()
        _ACCEPTED_RAW.clear()


setting_changed.connect(_forget_accepted)

__all__ = [
    "DEBUG_ALLOWED_HOSTS",
    "remember_accepted",
    "split_domain_port",
    "validate_host",
]
