"""``DjangoJSONEncoder``: JSON for the types a view typically returns."""

from __future__ import annotations

import datetime
import decimal
import json
import json.encoder
import uuid
from collections.abc import Callable
from typing import Any


def duration_iso_string(duration: datetime.timedelta) -> str:
    """ISO 8601 duration (``P1DT02H03M04.000005S``) for a timedelta, as Django writes it."""
    sign = ""
    if duration < datetime.timedelta(0):
        sign = "-"
        duration = -duration
    minutes, seconds = divmod(duration.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    micro = f".{duration.microseconds:06d}" if duration.microseconds else ""
    return f"{sign}P{duration.days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{micro}S"


def _is_promise(o: object) -> bool:
    """Whether ``o`` is a lazy-translation-style proxy (a class named Promise in its MRO)."""
    return any(cls.__name__ == "Promise" for cls in type(o).__mro__)


class DjangoJSONEncoder(json.JSONEncoder):
    """Also encodes datetime/date/time/timedelta, Decimal, UUID and lazy strings."""

    def default(self, o: Any) -> Any:
        """The JSON-compatible form of ``o``."""
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            if o.microsecond:
                # ECMA-262 precision: milliseconds.
                text = text[:23] + text[26:]
            if text.endswith("+00:00"):
                text = text.removesuffix("+00:00") + "Z"
            return text
        if isinstance(o, datetime.date):
            return o.isoformat()
        if isinstance(o, datetime.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:12] if o.microsecond else text
        if isinstance(o, datetime.timedelta):
            return duration_iso_string(o)
        if isinstance(o, decimal.Decimal | uuid.UUID) or _is_promise(o):
            return str(o)
        return super().default(o)


_ENCODER = DjangoJSONEncoder()
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
# json.dumps builds a C encoder (and a dict for the cycle check) on every call; this one
# is built once, without the check. It keeps no state, so threads may share it.
_c_encode: Callable[[Any, int], Any] | None = (
    _c_make_encoder(
        None,  # no circular-reference markers: a cycle recurses (see dumps)
        _ENCODER.default,
        json.encoder.encode_basestring_ascii,
        None,  # indent
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    if _c_make_encoder is not None
    else None
)


def dumps(data: Any) -> str:
    """``json.dumps(data, cls=DjangoJSONEncoder)``, the same text and errors, but faster."""
    if _c_encode is None:
        return _ENCODER.encode(data)
    try:
        return "".join(_c_encode(data, 0))
    except RecursionError:
        # A reference cycle (or very deep data): the checking encoder raises what
        # json.dumps raises ("Circular reference detected", or RecursionError).
        return _ENCODER.encode(data)


__all__ = ["DjangoJSONEncoder", "dumps", "duration_iso_string"]
