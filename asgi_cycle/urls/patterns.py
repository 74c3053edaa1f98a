"""The two pattern kinds: ``RegexPattern`` (``re_path``) and ``RoutePattern`` (``path``).

A pattern's ``match(path)`` returns ``(rest_of_path, args, kwargs)`` or ``None``.
Endpoint patterns must consume the whole path; include prefixes leave the rest
for the included patterns. ``RoutePattern`` compares strings when the route has
no converters, and otherwise runs one regex and the converters' ``to_python``
(a ``ValueError`` there means "no match").
"""

from __future__ import annotations

import functools
import re
from typing import Any

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.urls._regex import Form, has_whitespace, literal_prefix, normalize
from asgi_cycle.urls.converters import Converter, get_converters

Match = tuple[str, tuple[Any, ...], dict[str, Any]]

_METACHARS = frozenset(".^$*+?{}[]()|\\")
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _compile(regex: str) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as exc:
        raise ImproperlyConfigured(f'"{regex}" is not a valid regular expression: {exc}') from exc


class _Pattern:
    """What both pattern kinds share: a compiled regex, a name and reverse forms."""

    regex: re.Pattern[str]
    converters: dict[str, Converter]
    name: str | None
    _is_endpoint: bool

    def describe(self) -> str:
        """The pattern as error messages and ``repr`` show it."""
        description = f"'{self}'"
        if self.name:
            description += f" [name='{self.name}']"
        return description

    @functools.cached_property
    def reverse_forms(self) -> list[Form]:
        """The forms ``reverse()`` fills in for this pattern alone."""
        return normalize(self.regex.pattern)

    @functools.cached_property
    def literal_prefix(self) -> str | None:
        """Text every matching path starts with, or None when it may match anywhere."""
        return literal_prefix(self.regex.pattern)


class RegexPattern(_Pattern):
    """A pattern given as a regular expression (``re_path``)."""

    def __init__(self, regex: str, name: str | None = None, is_endpoint: bool = False) -> None:
        self._regex = regex
        self.name = name
        self._is_endpoint = is_endpoint
        self.converters = {}
        self.regex = _compile(str(regex))
        self._fullmatch = is_endpoint and self.regex.pattern.endswith("$")
        # "^/" (the root) and other plain-text prefixes: a string test does the regex's job.
        text = self.regex.pattern
        plain = not is_endpoint and text.startswith("^") and _METACHARS.isdisjoint(text[1:])
        self._startswith = text[1:] if plain else None

    def match(self, path: str) -> Match | None:
        """``(rest, args, kwargs)``: named groups become kwargs, else groups become args."""
        if self._startswith is not None:
            if path.startswith(self._startswith):
                return path[len(self._startswith) :], (), {}
            return None
        found = self.regex.fullmatch(path) if self._fullmatch else self.regex.search(path)
        if found is None:
            return None
        groups = found.groupdict()
        args = () if groups else found.groups()
        kwargs = {key: value for key, value in groups.items() if value is not None}
        return path[found.end() :], args, kwargs

    def __str__(self) -> str:
        return str(self._regex)


@functools.cache
def _route_to_regex(route: str, is_endpoint: bool) -> tuple[str, dict[str, Converter]]:
    """The regex for a ``path()`` route and the converter of each parameter."""
    parts = ["^"]
    converters: dict[str, Converter] = {}
    all_converters = get_converters()
    previous_end = 0
    for found in _PARAMETER.finditer(route):
        if has_whitespace(found[0]):
            raise ImproperlyConfigured(
                f"URL route {route!r} cannot contain whitespace in angle brackets <…>."
            )
        raw_converter = found["converter"] or "str"
        parameter = found["parameter"]
        if not parameter.isidentifier():
            raise ImproperlyConfigured(
                f"URL route {route!r} uses parameter name {parameter!r} which isn't a valid "
                "Python identifier."
            )
        try:
            converter = all_converters[raw_converter]
        except KeyError:
            raise ImproperlyConfigured(
                f"URL route {route!r} uses invalid converter {raw_converter!r}."
            ) from None
        converters[parameter] = converter
        parts.append(re.escape(route[previous_end : found.start()]))
        parts.append(f"(?P<{parameter}>{converter.regex})")
        previous_end = found.end()
    parts.append(re.escape(route[previous_end:]))
    if is_endpoint:
        parts.append(r"\Z")
    return "".join(parts), converters


class RoutePattern(_Pattern):
    """A pattern given in ``path()`` syntax: ``"products/<int:id>/"``."""

    def __init__(self, route: str, name: str | None = None, is_endpoint: bool = False) -> None:
        self._route = route
        self.name = name
        self._is_endpoint = is_endpoint
        text, converters = _route_to_regex(str(route), is_endpoint)
        # A copy: get_ns_resolver() adds the converters of enclosing patterns to it.
        self.converters = dict(converters)
        self.regex = _compile(text)
        self._plain = str(route)

    def match(self, path: str) -> Match | None:
        """``(rest, (), kwargs)`` with each parameter passed through its converter."""
        if self.converters:
            found = self.regex.search(path)
            if found is None:
                return None
            kwargs: dict[str, Any] = found.groupdict()
            for key, value in kwargs.items():
                try:
                    kwargs[key] = self.converters[key].to_python(value)
                except ValueError:
                    return None
            return path[found.end() :], (), kwargs
        if self._is_endpoint:
            return ("", (), {}) if path == self._plain else None
        if path.startswith(self._plain):
            return path[len(self._plain) :], (), {}
        return None

    @functools.cached_property
    def literal_prefix(self) -> str | None:
        """The route's text before its first parameter."""
        first = _PARAMETER.search(self._plain)
        return self._plain if first is None else self._plain[: first.start()]

    def __str__(self) -> str:
        return str(self._route)


__all__ = ["Match", "RegexPattern", "RoutePattern"]
