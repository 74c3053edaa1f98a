"""The signed-cookie session store: Django's SessionBase API with no server state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from asgi_cycle.conf import settings
from asgi_cycle.contrib.sessions.backends.signed_cookies import SessionStore
from asgi_cycle.test import override_settings


def saved(data: dict[str, Any]) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return str(store.session_key)


def test_new_session_is_empty_and_untouched():
    store = SessionStore()
    assert store.is_empty()
    assert not store.accessed
    assert not store.modified
    assert store.get("x") is None
    assert store.accessed
    assert not store.modified


def test_dict_api_marks_modified():
    store = SessionStore()
    store["a"] = 1
    assert store.modified
    assert "a" in store
    assert store["a"] == 1
    assert store.setdefault("a", 2) == 1
    assert store.setdefault("b", 2) == 2
    assert store.has_key("b")
    assert sorted(store.keys()) == ["a", "b"]
    assert sorted(store.values()) == [1, 2]
    assert store.pop("a") == 1
    assert store.pop("missing", "dflt") == "dflt"
    with pytest.raises(KeyError):
        store.pop("missing")
    del store["b"]
    assert dict(store.items()) == {}


def test_round_trip_through_the_key():
    key = saved({"user": 7, "cart": [1, 2]})
    loaded = SessionStore(key)
    assert loaded["user"] == 7
    assert loaded["cart"] == [1, 2]
    assert not loaded.modified


def test_tampered_or_foreign_keys_load_empty():
    key = saved({"user": 7})
    tampered = SessionStore(key[:-2] + ("AA" if not key.endswith("AA") else "BB"))
    assert tampered.get("user") is None
    assert tampered.modified  # the bad cookie gets replaced
    with override_settings(SECRET_KEY="another-key"):
        assert SessionStore(key).get("user") is None
    assert SessionStore("garbage").get("user") is None


def test_old_secret_key_still_reads_during_rotation():
    key = saved({"user": 7})
    with override_settings(SECRET_KEY="new-key", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert SessionStore(key)["user"] == 7
        # Re-saved under the new key.
        store = SessionStore(key)
        store["user"] = 8
        store.save()
    with override_settings(SECRET_KEY="new-key"):
        assert SessionStore(store.session_key)["user"] == 8


def test_expired_keys_load_empty():
    key = saved({"user": 7})
    with override_settings(SESSION_COOKIE_AGE=-1):
        assert SessionStore(key).get("user") is None


def test_lazy_key_loader_runs_once_and_only_when_needed():
    calls = []
    key = saved({"n": 1})

    def loader():
        calls.append(1)
        return key

    store = SessionStore(key_loader=loader)
    assert calls == []
    assert store["n"] == 1
    assert store.session_key == key
    assert calls == [1]


def test_flush_and_cycle_key():
    store = SessionStore(saved({"user": 7}))
    store.flush()
    assert store.is_empty()
    assert store.session_key is None
    assert store.get("user") is None

    store = SessionStore(saved({"user": 7}))
    store.cycle_key()
    assert SessionStore(store.session_key)["user"] == 7


def test_clear_keeps_key_but_empties_data():
    store = SessionStore(saved({"user": 7}))
    store.clear()
    assert store.modified
    assert dict(store.items()) == {}


def test_expiry():
    store = SessionStore()
    assert store.get_expiry_age() == 60 * 60 * 24 * 7 * 2
    store.set_expiry(300)
    assert store.get_expiry_age() == 300
    store.set_expiry(timedelta(seconds=120))
    assert 118 <= store.get_expiry_age() <= 120
    assert not store.get_expire_at_browser_close()
    store.set_expiry(0)
    assert store.get_expire_at_browser_close()
    store.set_expiry(None)
    assert "_session_expiry" not in store
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        assert store.get_expire_at_browser_close()


def test_test_cookie():
    store = SessionStore()
    store.set_test_cookie()
    assert SessionStore(_save(store)).test_cookie_worked()
    store.delete_test_cookie()
    assert not store.test_cookie_worked()


def _save(store: SessionStore) -> str | None:
    store.save()
    return str(store.session_key)


def test_encode_decode():
    store = SessionStore()
    encoded = store.encode({"a": 1})
    assert store.decode(encoded) == {"a": 1}
    assert store.decode(encoded + "x") == {}


async def test_async_twins():
    store = SessionStore(saved({"user": 7}))
    assert await store.aget("user") == 7
    await store.aset("cart", [3])
    assert store.modified
    assert await store.ahas_key("cart")
    assert sorted(await store.akeys()) == ["cart", "user"]
    assert await store.apop("cart") == [3]
    assert await store.asetdefault("x", 1) == 1
    await store.aupdate({"y": 2})
    assert dict(await store.aitems()) == {"user": 7, "x": 1, "y": 2}
    await store.aset_expiry(60)
    assert await store.aget_expiry_age() == 60
    assert not await store.aget_expire_at_browser_close()
    await store.asave()
    assert SessionStore(store.session_key)["y"] == 2
    await store.acycle_key()
    await store.aflush()
    assert store.is_empty()
