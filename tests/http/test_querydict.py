"""QueryDict and MultiValueDict: Django's API, limits and lenient decoding."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from asgi_cycle.core.exceptions import TooManyFieldsSent
from asgi_cycle.http import QueryDict
from asgi_cycle.test.utils import override_settings
from asgi_cycle.utils.datastructures import (
    CaseInsensitiveMapping,
    MultiValueDict,
    MultiValueDictKeyError,
)


def test_parse_keeps_blank_values_and_order():
    q = QueryDict("a=1&b=&a=2&c")
    assert list(q) == ["a", "b", "c"]
    assert q["a"] == "2"
    assert q.getlist("a") == ["1", "2"]
    assert q["b"] == ""
    assert q["c"] == ""
    assert list(q.items()) == [("a", "2"), ("b", ""), ("c", "")]
    assert list(q.lists()) == [("a", ["1", "2"]), ("b", [""]), ("c", [""])]
    assert q.dict() == {"a": "2", "b": "", "c": ""}


def test_empty_and_none_give_an_empty_immutable_dict():
    for source in (None, "", b""):
        q = QueryDict(source)
        assert len(q) == 0
        with pytest.raises(AttributeError, match="immutable"):
            q["x"] = "1"


def test_missing_key_raises_multivaluedictkeyerror_which_is_a_keyerror():
    q = QueryDict("a=1")
    with pytest.raises(MultiValueDictKeyError):
        q["nope"]
    with pytest.raises(KeyError):
        q["nope"]
    assert q.get("nope") is None
    assert q.get("nope", "d") == "d"
    assert q.getlist("nope") == []
    assert q.getlist("nope", ["d"]) == ["d"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda q: q.__setitem__("a", "x"),
        lambda q: q.__delitem__("a"),
        lambda q: q.setlist("a", ["x"]),
        lambda q: q.appendlist("a", "x"),
        lambda q: q.setlistdefault("z"),
        lambda q: q.setdefault("z", "1"),
        lambda q: q.pop("a"),
        lambda q: q.popitem(),
        lambda q: q.clear(),
        lambda q: q.update({"a": "x"}),
    ],
)
def test_every_mutator_refuses_on_an_immutable_querydict(mutate):
    q = QueryDict("a=1")
    with pytest.raises(AttributeError, match="This QueryDict instance is immutable"):
        mutate(q)
    assert q.getlist("a") == ["1"]


def test_mutable_copy_and_mutators():
    original = QueryDict("a=1&a=2")
    q = original.copy()
    assert q._mutable
    q["b"] = "3"
    q.appendlist("a", "4")
    q.setlist("c", ["5", "6"])
    assert q.setlistdefault("d", ["7"]) == ["7"]
    assert q.setdefault("e", "8") == "8"
    q.update({"a": "9"})
    assert q.getlist("a") == ["1", "2", "4", "9"]
    assert q.pop("c") == ["5", "6"]
    assert "b" in q and "c" not in q
    assert original.getlist("a") == ["1", "2"]  # the copy is deep
    del q["b"]
    assert "b" not in q
    q.clear()
    assert len(q) == 0


def test_copy_module_gives_mutable_copies():
    q = QueryDict("a=1")
    shallow = copy.copy(q)
    deep = copy.deepcopy(q)
    shallow["b"] = "2"
    deep["c"] = "3"
    assert "b" not in q and "c" not in q


def test_urlencode_with_and_without_safe():
    q = QueryDict(mutable=True)
    q["next"] = "/a&b/"
    q.setlist("x", ["1 2", "é"])
    assert q.urlencode() == "next=%2Fa%26b%2F&x=1+2&x=%C3%A9"
    assert q.urlencode(safe="/") == "next=/a%26b/&x=1%202&x=%C3%A9"


def test_fromkeys():
    q = QueryDict.fromkeys(["a", "a", "b"], value="v")
    assert q.getlist("a") == ["v", "v"]
    assert q["b"] == "v"
    assert not q._mutable
    assert QueryDict.fromkeys(["a"], mutable=True)._mutable


def test_lenient_decoding_of_bad_percent_escapes_and_invalid_utf8():
    # BAD_INPUT 16: replacement characters, never an exception.
    q = QueryDict("a=%zz&b=%ff%fe&c=%E2%82%AC")
    assert q["a"] == "%zz"
    assert q["b"] == "\ufffd\ufffd"
    assert q["c"] == "€"
    raw = QueryDict(b"d=\xff\xfe")
    assert raw["d"] == "ÿþ"  # raw non-UTF-8 bytes fall back to latin-1


def test_plus_is_space_and_other_encodings():
    assert QueryDict("a=1+2")["a"] == "1 2"
    q = QueryDict("a=%E9", encoding="latin-1")
    assert q["a"] == "é"
    assert q.encoding == "latin-1"
    assert QueryDict("").encoding == "utf-8"


def test_too_many_fields_is_refused_before_parsing():
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3):
        assert len(QueryDict("a=1&b=2&c=3")) == 3
        with pytest.raises(TooManyFieldsSent):
            QueryDict("a=1&b=2&c=3&d=4")
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=None):
        assert len(QueryDict("&".join(f"k{i}=1" for i in range(2000)))) == 2000


def test_multivaluedict_api():
    d: MultiValueDict[str, Any] = MultiValueDict({"name": ["Adrian", "Simon"], "empty": []})
    assert d["name"] == "Simon"
    assert d["empty"] == []
    assert d.get("empty", "x") == "x"
    assert d.getlist("name") == ["Adrian", "Simon"]
    assert list(d.values()) == ["Simon", []]
    d.update({"name": "Bob"}, extra="1")
    d.update(MultiValueDict({"name": ["Ann"]}))
    assert d.getlist("name") == ["Adrian", "Simon", "Bob", "Ann"]
    assert d["extra"] == "1"
    assert d.setdefault("new", "v") == "v"
    c = d.copy()
    c.appendlist("name", "Zed")
    assert "Zed" not in d.getlist("name")
    assert pickle.loads(pickle.dumps(d)).getlist("name") == d.getlist("name")
    assert "MultiValueDict" in repr(d)
    with pytest.raises(TypeError):
        d.update({}, {})


def test_case_insensitive_mapping():
    m = CaseInsensitiveMapping({"Accept": "a", "content-type": "b"})
    assert m["accept"] == m["ACCEPT"] == "a"
    assert list(m) == ["Accept", "content-type"]
    assert m == {"ACCEPT": "a", "Content-Type": "b"}
    assert m != {"Accept": "x", "Content-Type": "b"}
    assert m.copy() is m
    assert len(m) == 2
    with pytest.raises(ValueError):
        CaseInsensitiveMapping([(1, "x")])  # type: ignore[arg-type]
