"""``asgi_cycle.core.serializers.json.dumps``: the text and errors of json.dumps(cls=...)."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import Any

import pytest

from asgi_cycle.core.serializers.json import DjangoJSONEncoder, dumps
from asgi_cycle.http import JsonResponse
from asgi_cycle.test.utils import override_settings

SAMPLES: list[Any] = [
    {"message": "Hello, World!"},
    [{"id": 1, "randomNumber": 42}, {"id": 2, "randomNumber": 7}],
    'top-level string with "quotes" and \u00e9\u4e16',
    3.5,
    None,
    True,
    {"nan": float("nan"), "inf": float("inf"), "big": 10**30},
    {"nested": {"list": [1, [2, [3, {"deep": ()}]]]}},
    {1: "int key", 2.5: "float key", None: "none key", False: "bool key"},
    {
        "when": datetime.datetime(2026, 11, 24, 8, 30, 1, 123456, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 11, 24),
        "time": datetime.time(8, 30, 1, 5000),
        "delta": datetime.timedelta(days=-1, seconds=5),
        "money": decimal.Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    },
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_same_text_as_json_dumps(data):
    assert dumps(data) == json.dumps(data, cls=DjangoJSONEncoder)


def test_unknown_types_raise_type_error_like_json_dumps():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"o": object()})


@pytest.mark.parametrize("make_cycle", ["dict", "list"])
def test_a_reference_cycle_raises_value_error_like_json_dumps(make_cycle):
    data: Any = {} if make_cycle == "dict" else []
    if make_cycle == "dict":
        data["self"] = data
    else:
        data.append(data)
    with pytest.raises(ValueError, match="Circular reference detected"):
        json.dumps(data, cls=DjangoJSONEncoder)
    with pytest.raises(ValueError, match="Circular reference detected"):
        dumps(data)


def test_a_shared_but_acyclic_object_is_fine():
    shared = {"x": 1}
    assert dumps([shared, shared]) == '[{"x": 1}, {"x": 1}]'


def test_an_error_leaves_nothing_behind_for_the_next_call():
    with pytest.raises(TypeError):
        dumps([1, {"o": object()}])
    assert dumps([1, {"o": 2}]) == '[1, {"o": 2}]'


def test_json_response_uses_the_default_charset():
    with override_settings(DEFAULT_CHARSET="utf-16"):
        response = JsonResponse({"k": "v"})
    assert response.content == '{"k": "v"}'.encode("utf-16")
    assert response["Content-Type"] == "application/json"


def test_json_response_with_options_still_honours_them():
    response = JsonResponse({"b": 1, "a": 2}, json_dumps_params={"sort_keys": True}, status=201)
    assert response.content == b'{"a": 2, "b": 1}'
    assert response.status_code == 201
    charset = JsonResponse({"k": "\u00e9"}, content_type="application/json; charset=latin-1")
    assert charset.content == b'{"k": "\\u00e9"}'
