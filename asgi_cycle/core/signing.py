"""Signed values with Django's API, on itsdangerous's HMAC signers.

``Signer(salt=...).sign("v")`` -> ``"v:<sig>"``; ``unsign`` checks it or raises
``BadSignature``. ``TimestampSigner`` adds a timestamp, and ``unsign(...,
max_age=...)`` raises ``SignatureExpired`` past it. ``dumps``/``loads`` sign a
JSON-serialisable object (optionally zlib-compressed). Keys are ``SECRET_KEY``
plus ``SECRET_KEY_FALLBACKS`` (only for verifying), and each salt namespaces
signatures so that one made for a purpose is useless for another.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import zlib
from typing import Any

from asgi_cycle.conf import settings


class BadSignature(Exception):
    """The signature does not match."""


class SignatureExpired(BadSignature):
    """The signature is valid but older than ``max_age``."""


def _keys(key: str | bytes | None, fallback_keys: list[str | bytes] | None) -> list[Any]:
    primary = settings.SECRET_KEY if key is None else key
    fallbacks = (
        list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
        if fallback_keys is None
        else list(fallback_keys)
    )
    # itsdangerous signs with the last key and verifies with any of them.
    return [*reversed(fallbacks), primary]


class Signer:
    """Sign and verify strings with an HMAC of ``SECRET_KEY`` and a salt."""

    _timestamped = False

    def __init__(
        self,
        *,
        key: str | bytes | None = None,
        sep: str = ":",
        salt: str | None = None,
        algorithm: str = "sha256",
        fallback_keys: list[str | bytes] | None = None,
    ) -> None:
        if not sep or any(c.isalnum() or c in "-_=" for c in sep):
            raise ValueError(
                f"Unsafe Signer separator: {sep!r} (cannot be empty or consist of only A-z0-9-_=)"
            )
        self.sep = sep
        self.salt = salt or f"{type(self).__module__}.{type(self).__name__}"
        self.algorithm = algorithm
        import itsdangerous

        cls = itsdangerous.TimestampSigner if self._timestamped else itsdangerous.Signer
        self._signer = cls(
            _keys(key, fallback_keys),
            salt=self.salt,
            sep=sep,
            key_derivation="hmac",
            digest_method=getattr(hashlib, algorithm),
        )

    def signature(self, value: str | bytes) -> str:
        """The signature alone for ``value``."""
        raw = value.encode() if isinstance(value, str) else value
        return self._signer.get_signature(raw).decode()

    def sign(self, value: str) -> str:
        """``value`` followed by the separator and its signature."""
        return self._signer.sign(str(value)).decode()

    def unsign(self, signed_value: str) -> str:
        """The original value if the signature matches, else ``BadSignature``."""
        import itsdangerous

        try:
            return self._signer.unsign(signed_value).decode()
        except itsdangerous.BadData as exc:
            raise BadSignature(str(exc)) from None

    def sign_object(self, obj: Any, compress: bool = False) -> str:
        """Sign a JSON-serialisable object (URL-safe base64, optionally compressed)."""
        data = json.dumps(obj, separators=(",", ":")).encode()
        prefix = ""
        if compress:
            compressed = zlib.compress(data)
            if len(compressed) < len(data) - 1:
                data, prefix = compressed, "."
        encoded = base64.urlsafe_b64encode(data).rstrip(b"=").decode()
        return self.sign(prefix + encoded)

    def unsign_object(self, signed_obj: str, **kwargs: Any) -> Any:
        """The object signed by ``sign_object``; ``BadSignature`` if tampered."""
        payload = self.unsign(signed_obj, **kwargs)
        compressed = payload.startswith(".")
        payload = payload.removeprefix(".")
        try:
            data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            if compressed:
                data = zlib.decompress(data)
            return json.loads(data)
        except (ValueError, zlib.error) as exc:
            raise BadSignature(f"Signed payload is malformed: {exc}") from None


class TimestampSigner(Signer):
    """A ``Signer`` whose signatures carry the time they were made."""

    _timestamped = True

    def unsign(self, signed_value: str, max_age: Any = None) -> str:
        """The value if the signature matches and is at most ``max_age`` seconds old."""
        if isinstance(max_age, datetime.timedelta):
            max_age = max_age.total_seconds()
        import itsdangerous

        try:
            value = self._signer.unsign(signed_value, max_age=max_age)  # type: ignore[call-arg]
        except itsdangerous.SignatureExpired as exc:
            raise SignatureExpired(str(exc)) from None
        except itsdangerous.BadData as exc:
            raise BadSignature(str(exc)) from None
        return bytes(value).decode()


def get_cookie_signer(salt: str = "") -> TimestampSigner:
    """The signer behind ``set_signed_cookie``/``get_signed_cookie`` (salted per cookie)."""
    return TimestampSigner(salt="asgi_cycle.core.signing.get_cookie_signer" + salt)


def dumps(
    obj: Any,
    key: str | bytes | None = None,
    salt: str = "asgi_cycle.core.signing",
    compress: bool = False,
) -> str:
    """A signed, timestamped, URL-safe string for a JSON-serialisable object."""
    return TimestampSigner(key=key, salt=salt).sign_object(obj, compress=compress)


def loads(
    s: str,
    key: str | bytes | None = None,
    salt: str = "asgi_cycle.core.signing",
    max_age: Any = None,
    fallback_keys: list[str | bytes] | None = None,
) -> Any:
    """The object from ``dumps``; ``BadSignature``/``SignatureExpired`` if invalid or old."""
    signer = TimestampSigner(key=key, salt=salt, fallback_keys=fallback_keys)
    return signer.unsign_object(s, max_age=max_age)


__all__ = [
    "BadSignature",
    "SignatureExpired",
    "Signer",
    "TimestampSigner",
    "dumps",
    "get_cookie_signer",
    "loads",
]
