"""core.signing on itsdangerous: round trips, tampering, expiry, salts, key rotation."""

from __future__ import annotations

import datetime

import pytest

from asgi_cycle.core import signing
from asgi_cycle.test.utils import override_settings


def test_sign_and_unsign():
    signer = signing.Signer(salt="s")
    signed = signer.sign("hello")
    assert signed.startswith("hello:")
    assert signer.unsign(signed) == "hello"
    assert signer.signature("hello") == signed.split(":", 1)[1]
    for forged in ("hello:bad", "hellO" + signed[5:], signed + "x", "nosep"):
        with pytest.raises(signing.BadSignature):
            signer.unsign(forged)


def test_salts_and_keys_separate_signatures():
    signed = signing.Signer(salt="one").sign("v")
    with pytest.raises(signing.BadSignature):
        signing.Signer(salt="two").unsign(signed)
    with pytest.raises(signing.BadSignature):
        signing.Signer(salt="one", key="other-key").unsign(signed)


def test_fallback_keys_verify_but_never_sign():
    old = signing.Signer(key="old-key").sign("v")
    with override_settings(SECRET_KEY="new-key", SECRET_KEY_FALLBACKS=["old-key"]):
        signer = signing.Signer()
        assert signer.unsign(old) == "v"
        assert signer.sign("v") == signing.Signer(key="new-key", fallback_keys=[]).sign("v")


def test_unsafe_separator():
    with pytest.raises(ValueError):
        signing.Signer(sep="a")


def test_timestamp_signer_expiry():
    signer = signing.TimestampSigner(salt="t")
    signed = signer.sign("v")
    assert signer.unsign(signed, max_age=100) == "v"
    assert signer.unsign(signed, max_age=datetime.timedelta(seconds=100)) == "v"
    # Any signature is older than a negative age: expiry without waiting.
    with pytest.raises(signing.SignatureExpired):
        signer.unsign(signed, max_age=-1)
    with pytest.raises(signing.SignatureExpired):
        signer.unsign(signed, max_age=datetime.timedelta(seconds=-1))


def test_dumps_and_loads():
    data = {"a": [1, 2, "é"], "long": "x" * 500}
    plain = signing.dumps(data)
    packed = signing.dumps(data, compress=True)
    assert len(packed) < len(plain)
    assert signing.loads(plain) == data
    assert signing.loads(packed, max_age=60) == data
    with pytest.raises(signing.BadSignature):
        signing.loads(plain, salt="other")
    # Tamper with the signature's first character: its last one may hold only padding
    # bits that base64 decoding drops, so changing it does not always change the bytes.
    cut = plain.rindex(":") + 1
    tampered = plain[:cut] + ("A" if plain[cut] != "A" else "B") + plain[cut + 1 :]
    with pytest.raises(signing.BadSignature):
        signing.loads(tampered)
    value, _, sig = signing.TimestampSigner(salt="x").sign(".!!!").rpartition(":")
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner(salt="x").unsign_object(f"{value}:{sig}")


def test_cookie_signer_is_salted_per_cookie():
    signed = signing.get_cookie_signer(salt="a").sign("v")
    assert signing.get_cookie_signer(salt="a").unsign(signed) == "v"
    with pytest.raises(signing.BadSignature):
        signing.get_cookie_signer(salt="b").unsign(signed)
