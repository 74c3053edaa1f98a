"""Django's multi-valued and case-insensitive mappings.

``MultiValueDict`` keeps a list of values per key (query strings and forms
repeat keys); item access answers the *last* value, ``getlist`` all of them.
``CaseInsensitiveMapping`` is a read-only mapping whose lookups ignore case,
the base of ``request.headers``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")

_MISSING: Any = object()


class MultiValueDictKeyError(KeyError):
    """A key is missing from a ``MultiValueDict``."""


class MultiValueDict(dict[K, list[V]], Generic[K, V]):
    """A dict of lists whose item access answers the last value of a key's list."""

    def __init__(self, key_to_list_mapping: Iterable[Any] | Mapping[Any, Any] = ()) -> None:
        super().__init__(key_to_list_mapping)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {super().__repr__()}>"

    def __getitem__(self, key: K) -> V:  # type: ignore[override]
        """The last value for ``key``; ``[]`` for a key whose list is empty."""
        try:
            values = super().__getitem__(key)
        except KeyError:
            raise MultiValueDictKeyError(key) from None
        try:
            return values[-1]
        except IndexError:
            return []  # type: ignore[return-value]

    def __setitem__(self, key: K, value: V) -> None:  # type: ignore[override]
        super().__setitem__(key, [value])

    def __copy__(self) -> MultiValueDict[K, V]:
        return self.__class__([(k, v[:]) for k, v in self.lists()])

    def __deepcopy__(self, memo: dict[int, Any]) -> MultiValueDict[K, V]:
        result = self.__class__()
        memo[id(self)] = result
        for key, value in dict.items(self):
            dict.__setitem__(result, copy.deepcopy(key, memo), copy.deepcopy(value, memo))
        return result

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_data": {k: self._getlist(k) for k in self}}

    def __setstate__(self, obj_dict: dict[str, Any]) -> None:
        data = obj_dict.pop("_data", {})
        for key, value in data.items():
            self.setlist(key, value)
        self.__dict__.update(obj_dict)

    @overload  # type: ignore[override]
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: D) -> V | D: ...
    def get(self, key: K, default: Any = None) -> Any:
        """The last value for ``key``, or ``default`` if absent or ``[]``."""
        try:
            value = self[key]
        except KeyError:
            return default
        if value == []:
            return default
        return value

    def _getlist(self, key: K, default: Any = None, force_list: bool = False) -> Any:
        try:
            values = super().__getitem__(key)
        except KeyError:
            if default is None:
                return []
            return default
        return list(values) if force_list else values

    def getlist(self, key: K, default: list[V] | None = None) -> list[V]:
        """Every value for ``key`` (a new list), or ``default``/``[]`` if absent."""
        return self._getlist(key, default, force_list=True)  # type: ignore[no-any-return]

    def setlist(self, key: K, list_: list[V]) -> None:
        """Replace the values of ``key`` with ``list_``."""
        super().__setitem__(key, list_)

    def setdefault(self, key: K, default: V | None = None) -> V:  # type: ignore[override]
        """The last value for ``key``, setting it to ``default`` first if absent."""
        if key not in self:
            self[key] = default  # type: ignore[assignment]
        return self[key]

    def setlistdefault(self, key: K, default_list: list[V] | None = None) -> list[V]:
        """The list for ``key``, setting it to ``default_list`` (or ``[]``) first if absent."""
        if key not in self:
            if default_list is None:
                default_list = []
            self.setlist(key, default_list)
        return self._getlist(key)  # type: ignore[no-any-return]

    def appendlist(self, key: K, value: V) -> None:
        """Append ``value`` to the values of ``key``."""
        self.setlistdefault(key).append(value)

    def items(self) -> Iterator[tuple[K, V]]:  # type: ignore[override]
        """``(key, last value)`` pairs."""
        for key in self:
            yield key, self[key]

    def lists(self) -> Iterator[tuple[K, list[V]]]:
        """``(key, list of values)`` pairs."""
        return iter(super().items())

    def values(self) -> Iterator[V]:  # type: ignore[override]
        """The last value of each key."""
        for key in self:
            yield self[key]

    def copy(self) -> MultiValueDict[K, V]:
        """A shallow copy (the lists are copied, their values shared)."""
        return copy.copy(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Extend (not replace) each key's values with those given."""
        if len(args) > 1:
            raise TypeError(f"update expected at most 1 argument, got {len(args)}")
        if args:
            arg = args[0]
            if isinstance(arg, MultiValueDict):
                for key, value_list in arg.lists():
                    self.setlistdefault(key).extend(value_list)
            else:
                pairs = arg.items() if isinstance(arg, Mapping) else arg
                for key, value in pairs:
                    self.setlistdefault(key).append(value)
        for key, value in kwargs.items():
            self.setlistdefault(key).append(value)  # type: ignore[arg-type]

    def dict(self) -> dict[K, V]:
        """A plain dict of each key's last value."""
        return {key: self[key] for key in self}


class ImmutableList(tuple[V, ...]):
    """A tuple that raises ``AttributeError`` with a message on any mutation attempt."""

    warning: str = "ImmutableList object is immutable."

    def __new__(cls, *args: Any, warning: str = "ImmutableList object is immutable.") -> Any:
        self = tuple.__new__(cls, *args)
        self.warning = warning
        return self

    def complain(self, *args: Any, **kwargs: Any) -> None:
        """Refuse the mutation."""
        raise AttributeError(self.warning)

    __delitem__ = complain
    __delslice__ = complain
    __iadd__ = complain
    __imul__ = complain
    __setitem__ = complain
    __setslice__ = complain
    append = complain
    extend = complain
    insert = complain
    pop = complain
    remove = complain
    sort = complain
    reverse = complain


class CaseInsensitiveMapping(Mapping[str, V]):
    """A read-only mapping whose key lookups ignore case; iteration keeps the given case."""

    def __init__(self, data: Mapping[str, V] | Iterable[tuple[str, V]]) -> None:
        pairs = data.items() if isinstance(data, Mapping) else data
        store: dict[str, tuple[str, V]] = {}
        for key, value in pairs:
            if not isinstance(key, str):
                raise ValueError(f"Element key {key!r} invalid, only strings are allowed")
            store[key.lower()] = (key, value)
        self._store = store

    def __getitem__(self, key: str) -> V:
        return self._store[key.lower()][1]

    def __len__(self) -> int:
        return len(self._store)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k: v for k, (_, v) in self._store.items()} == {
            str(k).lower(): v for k, v in other.items()
        }

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._store.values())

    def __repr__(self) -> str:
        return repr(dict(self._store.values()))

    def copy(self) -> CaseInsensitiveMapping[V]:
        """This mapping itself: it is immutable."""
        return self


__all__ = [
    "CaseInsensitiveMapping",
    "ImmutableList",
    "MultiValueDict",
    "MultiValueDictKeyError",
]
