"""Checks of a urlconf, as Django's ``check`` command runs them (ids ``urls.*``).

``check_url_config()`` walks the whole urlconf and returns one message per
problem, each starting with its Django id: ``E`` ids are errors (the urlconf
cannot work as written), ``W`` ids are warnings (it works, but probably not as
meant). Nothing here resolves or imports views beyond what the urlconf does.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

from asgi_cycle.conf import settings
from asgi_cycle.urls.exceptions import ViewDoesNotExist
from asgi_cycle.urls.patterns import RoutePattern
from asgi_cycle.urls.resolvers import URLPattern, URLResolver, get_resolver


def check_url_config(urlconf: str | ModuleType | None = None) -> list[str]:
    """Every problem found in ``urlconf`` (default ROOT_URLCONF), errors and warnings."""
    resolver = get_resolver(urlconf)
    messages = list(_check_patterns(resolver.url_patterns))
    messages.extend(_check_namespaces(resolver))
    messages.extend(_check_handlers(resolver))
    return messages


def _check_patterns(patterns: Sequence[Any]) -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLPattern | URLResolver):
            yield from _check_pattern(entry)
            if isinstance(entry, URLResolver):
                yield from _check_patterns(entry.url_patterns)
        elif not hasattr(entry, "resolve"):
            message = (
                f"urls.E004: Your URL pattern {entry!r} is invalid. Ensure that urlpatterns is "
                "a list of path() and/or re_path() instances."
            )
            if isinstance(entry, str):
                message += (
                    f" Hint: try removing the string '{entry}'. The list of urlpatterns should "
                    "not have a prefix string as the first element."
                )
            elif isinstance(entry, tuple):
                message += " Hint: try using path() instead of a tuple."
            yield message


def _check_pattern(entry: URLPattern | URLResolver) -> Iterator[str]:
    pattern = entry.pattern
    described = pattern.describe()
    name = getattr(entry, "name", None)
    if name and ":" in name:
        yield (
            f"urls.W003: Your URL pattern {described} has a name including a ':'. Remove the "
            "colon, to avoid ambiguous namespace references."
        )
    regex = pattern.regex.pattern
    if (
        settings.APPEND_SLASH  # without it a leading slash can be meant
        and regex.startswith(("/", "^/", "^\\/"))
        and not regex.endswith("/")
    ):
        yield (
            f"urls.W002: Your URL pattern {described} has a route beginning with a '/'. "
            "Remove this slash as it is unnecessary. If this pattern is targeted in an "
            "include(), ensure the include() pattern has a trailing '/'."
        )
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        if "(?P<" in route or route.startswith("^") or route.endswith("$"):
            yield (
                f"2_0.W001: Your URL pattern {described} has a route that contains '(?P<', "
                "begins with a '^', or ends with a '$'. This was likely an oversight when "
                "migrating to asgi_cycle.urls.path()."
            )
        yield from _unmatched_brackets(route, described)
    elif isinstance(entry, URLResolver) and regex.endswith("$") and not regex.endswith("\\$"):
        yield (
            f"urls.W001: Your URL pattern {described} uses include with a route ending with a "
            "'$'. Remove the dollar from the route to avoid problems including URLs."
        )


def _unmatched_brackets(route: str, described: str) -> Iterator[str]:
    depth = 0
    for char in route:
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
            if depth < 0:
                yield f"urls.W010: Your URL pattern {described} has an unmatched '>' bracket."
                depth = 0
    if depth > 0:
        yield f"urls.W010: Your URL pattern {described} has an unmatched '<' bracket."


def _namespaces(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            current = prefix
            if entry.namespace:
                current = f"{prefix}:{entry.namespace}" if prefix else entry.namespace
                yield current
            yield from _namespaces(entry, current)


def _check_namespaces(resolver: URLResolver) -> Iterator[str]:
    for namespace, count in Counter(_namespaces(resolver)).items():
        if count > 1:
            yield (
                f"urls.W005: URL namespace '{namespace}' isn't unique. You may not be able to "
                "reverse all URLs in this namespace"
            )


def _check_handlers(resolver: URLResolver) -> Iterator[str]:
    for status, arguments in ((400, 2), (403, 2), (404, 2), (500, 1)):
        if not getattr(resolver.urlconf_module, f"handler{status}", None):
            continue  # the defaults are asgi_cycle's own views
        try:
            handler = resolver.resolve_error_handler(status)
        except (ImportError, ViewDoesNotExist) as exc:
            path = getattr(resolver.urlconf_module, f"handler{status}", "")
            yield (
                f"urls.E008: The custom handler{status} view '{path}' could not be imported. "
                f"Hint: {exc}"
            )
            continue
        if not _accepts(handler, arguments):
            path = f"{handler.__module__}.{getattr(handler, '__qualname__', handler)}"
            expected = "request, exception" if arguments == 2 else "request"
            yield (
                f"urls.E007: The custom handler{status} view '{path}' does not take the "
                f"correct number of arguments ({expected})."
            )


def _accepts(view: Callable[..., Any], count: int) -> bool:
    try:
        signature = inspect.signature(view)
    except (TypeError, ValueError):
        return True  # builtins and some callables have no signature to check
    try:
        signature.bind(*([None] * count))
    except TypeError:
        return False
    return True


__all__ = ["check_url_config"]
