"""Host header validation: syntax first, then the ``ALLOWED_HOSTS`` allow-list."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


__all__ = ["DEBUG_ALLOWED_HOSTS", "split_domain_port", "validate_host"]
