"""Reverse lookup tables and building a URL from a view name and arguments.

Theory of operation: a resolver's tables are built once, on first use, by
walking its patterns *last to first* (Django's order, so that among patterns
sharing a name the last one is tried first and the last deployed instance of
an application is its default). Each entry of ``lookups`` is a
``Possibility``: the forms to fill, the joined regex text to check the filled
URL against, default kwargs and converters. Includes without a namespace are
flattened into their parent's ``lookups``; namespaced includes are kept in
``namespaces`` and walked by ``reverse()`` one namespace at a time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from asgi_cycle.urls._regex import Form, normalize, product
from asgi_cycle.urls.converters import Converter
from asgi_cycle.urls.exceptions import NoReverseMatch
from asgi_cycle.utils.http import escape_leading_slashes

#: The sub-delimiters of RFC 3986, left unquoted in paths with ``/~:@``.
RFC3986_SUBDELIMS = "!$&'()*+,;="
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


@dataclass(frozen=True, slots=True)
class Possibility:
    """One way to build a URL for a name or view."""

    forms: list[Form]
    pattern: str
    defaults: dict[str, Any]
    converters: dict[str, Converter]


@dataclass(slots=True)
class ReverseTables:
    """A resolver's lookup tables."""

    lookups: dict[Any, list[Possibility]]
    namespaces: dict[str, tuple[str, Any]]
    apps: dict[str, list[str]]
    callback_strs: set[str]


def build_tables(resolver: Any) -> ReverseTables:
    """Walk ``resolver``'s patterns (last first) into its lookup tables."""
    from asgi_cycle.urls.resolvers import URLPattern, URLResolver

    tables = ReverseTables({}, {}, {}, set())
    lookups = tables.lookups
    entry: Any
    for entry in reversed(resolver.url_patterns):
        p_pattern = entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLPattern):
            tables.callback_strs.add(entry.lookup_str)
            possibility = Possibility(
                entry.pattern.reverse_forms,
                p_pattern,
                entry.default_args,
                entry.pattern.converters,
            )
            lookups.setdefault(entry.callback, []).append(possibility)
            if entry.name is not None:
                lookups.setdefault(entry.name, []).append(possibility)
            continue
        if entry.namespace:
            tables.namespaces[entry.namespace] = (p_pattern, entry)
            if entry.app_name:
                tables.apps.setdefault(entry.app_name, []).append(entry.namespace)
        else:
            prefix_forms = normalize(p_pattern)
            outer_converters = {**resolver.pattern.converters, **entry.pattern.converters}
            for name, possibilities in entry.reverse_dict.items():
                for sub in possibilities:
                    lookups.setdefault(name, []).append(
                        Possibility(
                            product(prefix_forms, sub.forms),
                            p_pattern + sub.pattern,
                            {**sub.defaults, **entry.default_kwargs},
                            {**outer_converters, **sub.converters},
                        )
                    )
            for namespace, (prefix, sub_resolver) in entry.namespace_dict.items():
                sub_resolver.pattern.converters.update(entry.pattern.converters)
                tables.namespaces[namespace] = (p_pattern + prefix, sub_resolver)
            for app_name, namespace_list in entry.app_dict.items():
                tables.apps.setdefault(app_name, []).extend(namespace_list)
        if isinstance(entry, URLResolver):
            tables.callback_strs.update(entry._populate().callback_strs)
    return tables


@functools.lru_cache(maxsize=4096)
def _check_regex(prefix: str, pattern: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(prefix) + pattern)


def reverse_with_prefix(
    resolver: Any, lookup_view: Any, prefix: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> str:
    """The quoted URL of ``lookup_view`` below ``prefix``; ``NoReverseMatch`` if none fits."""
    if args and kwargs:
        raise ValueError("Don't mix *args and **kwargs in call to reverse()!")
    possibilities: list[Possibility] = resolver._populate().lookups.get(lookup_view, [])
    for possibility in possibilities:
        for form in possibility.forms:
            url = _fill(possibility, form, prefix, args, kwargs)
            if url is not None:
                return escape_leading_slashes(quote(url, safe=_PATH_SAFE))
    raise NoReverseMatch(_message(lookup_view, possibilities, args, kwargs))


def _fill(
    possibility: Possibility,
    form: Form,
    prefix: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> str | None:
    """The unquoted URL from ``form``, or None when the arguments do not fit it."""
    params = form.params
    defaults = possibility.defaults
    if args:
        if len(args) != len(params):
            return None
        candidate: dict[str, Any] = dict(zip(params, args, strict=True))
    else:
        if set(kwargs).symmetric_difference(params).difference(defaults):
            return None
        for key, value in defaults.items():
            if key not in params and kwargs.get(key, value) != value:
                return None
        candidate = kwargs
    converters = possibility.converters
    text: dict[str, str] = {}
    for key, value in candidate.items():
        if key in converters:
            try:
                text[key] = str(converters[key].to_url(value))
            except ValueError:
                return None
        else:
            text[key] = str(value)
    if not all(slot in text for slot in form.slots):
        return None  # a parameter given only as a default kwarg has no value to show
    # Paths are matched decoded: check the unquoted URL, then quote it.
    url = prefix + form.fill(text)
    if _check_regex(prefix, possibility.pattern).search(url) is None:
        return None
    return url


def _message(
    lookup_view: Any,
    possibilities: list[Possibility],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> str:
    module = getattr(lookup_view, "__module__", None)
    name = getattr(lookup_view, "__name__", None)
    view = f"{module}.{name}" if module is not None and name is not None else lookup_view
    patterns = [possibility.pattern for possibility in possibilities]
    if not patterns:
        return (
            f"Reverse for '{view}' not found. '{view}' is not a valid view function or "
            "pattern name."
        )
    if args:
        arguments = f"arguments '{args}'"
    elif kwargs:
        arguments = f"keyword arguments '{kwargs}'"
    else:
        arguments = "no arguments"
    return (
        f"Reverse for '{view}' with {arguments} not found. {len(patterns)} pattern(s) "
        f"tried: {patterns}"
    )


__all__ = [
    "RFC3986_SUBDELIMS",
    "Possibility",
    "ReverseTables",
    "build_tables",
    "reverse_with_prefix",
]
