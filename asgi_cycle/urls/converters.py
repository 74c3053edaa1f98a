"""Path converters: the ``<int:id>`` part of a ``path()`` route.

A converter is any object with a ``regex`` string and the two methods of
``Converter``. ``to_python`` raising ``ValueError`` means "this pattern does not
match after all": resolving moves on to the next pattern. ``to_url`` raising
``ValueError`` makes ``reverse()`` skip that pattern.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Converter(Protocol):
    """What a path converter provides."""

    regex: str

    def to_python(self, value: str) -> Any:
        """Turn the matched text into the view's argument (``ValueError``: no match)."""
        ...

    def to_url(self, value: Any) -> str:
        """Turn a value given to ``reverse()`` into URL text (``ValueError``: no match)."""
        ...


class IntConverter:
    """One or more digits (no sign, no point), passed as ``int``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        """The integer value."""
        return int(value)

    def to_url(self, value: Any) -> str:
        """The decimal text."""
        return str(value)


class StringConverter:
    """Any non-empty text without a slash (the default converter)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        """The text itself."""
        return value

    def to_url(self, value: Any) -> str:
        """The value itself."""
        return value  # type: ignore[no-any-return]  # Django passes it through unchanged


class SlugConverter(StringConverter):
    """ASCII letters, digits, hyphens and underscores."""

    regex = "[-a-zA-Z0-9_]+"


class UUIDConverter:
    """A lower-case hyphenated UUID, passed as ``uuid.UUID``."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        """The UUID object."""
        return uuid.UUID(value)

    def to_url(self, value: Any) -> str:
        """The canonical text of the UUID."""
        return str(value)


class PathConverter(StringConverter):
    """Any non-empty text, slashes included."""

    regex = ".+"


DEFAULT_CONVERTERS: dict[str, Converter] = {
    "int": IntConverter(),
    "path": PathConverter(),
    "slug": SlugConverter(),
    "str": StringConverter(),
    "uuid": UUIDConverter(),
}

REGISTERED_CONVERTERS: dict[str, Converter] = {}


def register_converter(converter: type[Any], type_name: str) -> None:
    """Make ``<type_name:...>`` usable in routes, with an instance of ``converter``."""
    if type_name in REGISTERED_CONVERTERS or type_name in DEFAULT_CONVERTERS:
        raise ValueError(f"Converter {type_name!r} is already registered.")
    REGISTERED_CONVERTERS[type_name] = converter()
    get_converters.cache_clear()
    # Routes compiled before the registration may have failed on this name.
    from asgi_cycle.urls.patterns import _route_to_regex

    _route_to_regex.cache_clear()


@functools.cache
def get_converters() -> dict[str, Converter]:
    """Every converter by name: the defaults, then the registered ones."""
    return {**DEFAULT_CONVERTERS, **REGISTERED_CONVERTERS}


def get_converter(raw_converter: str) -> Converter:
    """The converter registered under ``raw_converter`` (``KeyError`` if none)."""
    return get_converters()[raw_converter]


__all__ = [
    "DEFAULT_CONVERTERS",
    "Converter",
    "IntConverter",
    "PathConverter",
    "SlugConverter",
    "StringConverter",
    "UUIDConverter",
    "get_converter",
    "get_converters",
    "register_converter",
]
