"""``QueryDict``: the multi-valued, normally immutable mapping of a query string or form."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote
from urllib.parse import urlencode as _pair_urlencode

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import TooManyFieldsSent
from asgi_cycle.utils.datastructures import MultiValueDict


def bytes_to_text(s: Any, encoding: str) -> Any:
    """Decode bytes leniently (replacement characters); other values pass through."""
    if isinstance(s, bytes):
        return str(s, encoding, "replace")
    return s


class QueryDict(MultiValueDict[str, str]):
    """A ``MultiValueDict`` parsed from a query string; immutable unless ``mutable=True``.

    Decoding is lenient (BAD_INPUT 16): invalid percent-escapes or UTF-8 become
    replacement characters, never an error. Parsing stops before it starts when
    the string holds more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields.
    """

    _mutable = True
    _encoding: str | None = None

    def __init__(
        self,
        query_string: str | bytes | None = None,
        mutable: bool = False,
        encoding: str | None = None,
    ) -> None:
        super().__init__()
        self._encoding = encoding
        if query_string:
            self._parse(query_string)
        self._mutable = mutable

    def _parse(self, query_string: str | bytes) -> None:
        encoding = self.encoding
        if isinstance(query_string, bytes):
            try:
                text = query_string.decode(encoding)
            except UnicodeDecodeError:
                text = query_string.decode("iso-8859-1")
        else:
            text = query_string
        max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        try:
            pairs = parse_qsl(
                text,
                keep_blank_values=True,
                encoding=encoding,
                errors="replace",
                max_num_fields=max_fields,
            )
        except ValueError as exc:
            raise TooManyFieldsSent(
                "The number of GET/POST parameters exceeded "
                "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
            ) from exc
        lists: dict[str, list[str]] = {}
        for key, value in pairs:
            lists.setdefault(key, []).append(value)
        dict.update(self, lists)

    @classmethod
    def fromkeys(  # type: ignore[override]
        cls,
        iterable: Iterable[str],
        value: str = "",
        mutable: bool = False,
        encoding: str | None = None,
    ) -> QueryDict:
        """A QueryDict with every key of ``iterable`` set to ``value`` (repeats append)."""
        q = cls("", mutable=True, encoding=encoding)
        for key in iterable:
            q.appendlist(key, value)
        if not mutable:
            q._mutable = False
        return q

    @property
    def encoding(self) -> str:
        """The charset used to decode the query string (``DEFAULT_CHARSET`` by default)."""
        if self._encoding is None:
            self._encoding = str(settings.DEFAULT_CHARSET)
        return self._encoding

    @encoding.setter
    def encoding(self, value: str) -> None:
        self._encoding = value

    def _assert_mutable(self) -> None:
        if not self._mutable:
            raise AttributeError("This QueryDict instance is immutable")

    def __setitem__(self, key: str, value: str) -> None:  # type: ignore[override]
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        value = bytes_to_text(value, self.encoding)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._assert_mutable()
        super().__delitem__(key)

    def __copy__(self) -> QueryDict:
        result = self.__class__("", mutable=True, encoding=self.encoding)
        for key, value in self.lists():
            result.setlist(key, value)
        return result

    def __deepcopy__(self, memo: dict[int, Any]) -> QueryDict:
        result = self.__class__("", mutable=True, encoding=self.encoding)
        memo[id(self)] = result
        for key, value in self.lists():
            result.setlist(copy.deepcopy(key, memo), copy.deepcopy(value, memo))
        return result

    def setlist(self, key: str, list_: list[str]) -> None:
        """Replace the values of ``key`` (mutable only)."""
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        list_ = [bytes_to_text(elt, self.encoding) for elt in list_]
        super().setlist(key, list_)

    def setlistdefault(self, key: str, default_list: list[str] | None = None) -> list[str]:
        """The list for ``key``, set to ``default_list`` first if absent (mutable only)."""
        self._assert_mutable()
        return super().setlistdefault(key, default_list)

    def appendlist(self, key: str, value: str) -> None:
        """Append a value to ``key`` (mutable only)."""
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        value = bytes_to_text(value, self.encoding)
        super().appendlist(key, value)

    def pop(self, key: str, *args: Any) -> Any:
        """Remove ``key`` and return its list (mutable only)."""
        self._assert_mutable()
        return super().pop(key, *args)

    def popitem(self) -> tuple[str, list[str]]:
        """Remove and return some ``(key, list)`` pair (mutable only)."""
        self._assert_mutable()
        return super().popitem()

    def clear(self) -> None:
        """Remove every key (mutable only)."""
        self._assert_mutable()
        super().clear()

    def setdefault(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        """The last value of ``key``, set to ``default`` first if absent (mutable only)."""
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        default = bytes_to_text(default, self.encoding)
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Extend the values of each key given (mutable only)."""
        self._assert_mutable()
        super().update(*args, **kwargs)

    def copy(self) -> QueryDict:
        """A mutable deep copy."""
        return copy.deepcopy(self)

    def urlencode(self, safe: str | None = None) -> str:
        """The query string for this QueryDict; ``safe`` names characters left unquoted."""
        encoding = self.encoding
        output: list[str] = []
        for key, values in self.lists():
            raw_key = key.encode(encoding)
            for value in values:
                raw_value = str(value).encode(encoding)
                if safe:
                    output.append(f"{quote(raw_key, safe)}={quote(raw_value, safe)}")
                else:
                    output.append(_pair_urlencode({raw_key: raw_value}))
        return "&".join(output)


__all__ = ["QueryDict", "bytes_to_text"]
