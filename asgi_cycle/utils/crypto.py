"""Small cryptographic helpers with Django's names: random strings, HMACs, comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

RANDOM_STRING_CHARS = string.ascii_letters + string.digits


def get_random_string(length: int, allowed_chars: str = RANDOM_STRING_CHARS) -> str:
    """A securely generated random string of ``length`` characters from ``allowed_chars``."""
    return "".join(secrets.choice(allowed_chars) for _ in range(length))


def constant_time_compare(val1: str | bytes, val2: str | bytes) -> bool:
    """Whether the two values are equal, in time independent of where they differ."""
    a = val1.encode() if isinstance(val1, str) else val1
    b = val2.encode() if isinstance(val2, str) else val2
    return hmac.compare_digest(a, b)


def salted_hmac(
    key_salt: str | bytes,
    value: str | bytes,
    secret: str | bytes,
    *,
    algorithm: str = "sha256",
) -> hmac.HMAC:
    """An HMAC of ``value`` under a key derived from ``key_salt`` and ``secret``."""
    salt = key_salt.encode() if isinstance(key_salt, str) else key_salt
    raw_secret = secret.encode() if isinstance(secret, str) else secret
    try:
        hasher = getattr(hashlib, algorithm)
    except AttributeError as exc:
        raise ValueError(f"{algorithm!r} is not an algorithm accepted by hashlib.") from exc
    # Deriving the key from salt + secret keeps HMACs made for one purpose useless for another.
    key = hasher(salt + raw_secret).digest()
    data = value.encode() if isinstance(value, str) else value
    return hmac.new(key, msg=data, digestmod=hasher)


__all__ = ["RANDOM_STRING_CHARS", "constant_time_compare", "get_random_string", "salted_hmac"]
