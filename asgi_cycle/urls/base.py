"""``reverse()``, ``resolve()`` and the per-request state they read.

The urlconf override (``set_urlconf``) and the script prefix
(``set_script_prefix``) live in context variables: each request runs in its own
context under ASGI, and the worker thread of a sync view sees its request's
values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from types import ModuleType
from typing import Any

from asgi_cycle.core.signals import setting_changed
from asgi_cycle.urls.exceptions import NoReverseMatch, Resolver404
from asgi_cycle.urls.match import ResolverMatch
from asgi_cycle.urls.resolvers import (
    _get_cached_resolver,
    get_ns_resolver,
    get_resolver,
)
from asgi_cycle.urls.utils import get_callable
from asgi_cycle.utils.encoding import iri_to_uri
from asgi_cycle.utils.http import urlencode

_urlconf: ContextVar[str | ModuleType | None] = ContextVar("asgi_cycle_urlconf", default=None)
_script_prefix: ContextVar[str] = ContextVar("asgi_cycle_script_prefix", default="/")


def resolve(path: str, urlconf: str | ModuleType | None = None) -> ResolverMatch:
    """The ``ResolverMatch`` for ``path`` (``Resolver404`` if nothing matches)."""
    if urlconf is None:
        urlconf = get_urlconf()
    return get_resolver(urlconf).resolve(path)


def reverse(
    viewname: str | Callable[..., Any],
    urlconf: str | ModuleType | None = None,
    args: Sequence[Any] | None = None,
    kwargs: Mapping[str, Any] | None = None,
    current_app: str | None = None,
    *,
    query: Any = None,
    fragment: str | None = None,
) -> str:
    """The URL of a named pattern (``"ns:name"``) or a view, with its arguments."""
    if urlconf is None:
        urlconf = get_urlconf()
    resolver = get_resolver(urlconf)
    prefix = get_script_prefix()
    if isinstance(viewname, str):
        *namespace_path, view = viewname.split(":")
        current_path = current_app.split(":")[::-1] if current_app else None
        resolved_path: list[str] = []
        ns_pattern = ""
        ns_converters: dict[str, Any] = {}
        for ns in namespace_path:
            current_ns = current_path.pop() if current_path else None
            app_list = resolver.app_dict.get(ns)
            if app_list is not None:
                # ns is an application namespace: pick the current instance, else the
                # default one (named like the app), else the last deployed.
                if current_ns and current_ns in app_list:
                    ns = current_ns
                elif ns not in app_list:
                    ns = app_list[0]
            if ns != current_ns:
                current_path = None
            try:
                extra, resolver = resolver.namespace_dict[ns]
            except KeyError:
                if resolved_path:
                    raise NoReverseMatch(
                        f"'{ns}' is not a registered namespace inside '{':'.join(resolved_path)}'"
                    ) from None
                raise NoReverseMatch(f"'{ns}' is not a registered namespace") from None
            resolved_path.append(ns)
            ns_pattern += extra
            ns_converters.update(resolver.pattern.converters)
        if ns_pattern:
            resolver = get_ns_resolver(ns_pattern, resolver, tuple(ns_converters.items()))
        lookup: Any = view
    else:
        lookup = viewname
    url: str = iri_to_uri(
        resolver._reverse_with_prefix(lookup, prefix, *(args or ()), **(kwargs or {}))
    )
    if query is not None:
        query_string = (
            query.urlencode() if hasattr(query, "urlencode") else urlencode(query, doseq=True)
        )
        if query_string:
            url += "?" + query_string
    if fragment is not None:
        url += "#" + fragment
    return url


class _LazyURL:
    """A ``reverse()`` call made when the text is first needed (``reverse_lazy``)."""

    __slots__ = ("_args", "_kwargs", "_value")

    def __init__(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._args = args
        self._kwargs = kwargs
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = reverse(*self._args, **self._kwargs)
        return self._value

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, _LazyURL) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __mod__(self, other: Any) -> str:
        return str(self) % other  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(str(self))

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(str(self), name)


def reverse_lazy(*args: Any, **kwargs: Any) -> Any:
    """``reverse()``, run when the result is first used as text (for module-level URLs)."""
    return _LazyURL(args, kwargs)


def set_urlconf(urlconf_name: str | ModuleType | None) -> None:
    """Use ``urlconf_name`` instead of ROOT_URLCONF in this context (None: back to it)."""
    _urlconf.set(urlconf_name or None)


def get_urlconf(default: str | ModuleType | None = None) -> str | ModuleType | None:
    """The urlconf set for this context by ``set_urlconf()``, else ``default``."""
    return _urlconf.get() or default


def set_script_prefix(prefix: str) -> None:
    """Set the prefix ``reverse()`` puts before every URL (the app's mount point)."""
    if not prefix.endswith("/"):
        prefix += "/"
    # Called for every request, almost always with the value already set: reading is
    # cheaper than setting (which copies the context's mapping).
    if _script_prefix.get() != prefix:
        _script_prefix.set(prefix)


def get_script_prefix() -> str:
    """The prefix ``reverse()`` puts before every URL; ``/`` unless set."""
    return _script_prefix.get()


def clear_script_prefix() -> None:
    """Go back to the ``/`` prefix."""
    _script_prefix.set("/")


def clear_url_caches() -> None:
    """Forget every resolver and imported view, e.g. after changing ROOT_URLCONF."""
    get_callable.cache_clear()
    _get_cached_resolver.cache_clear()
    get_ns_resolver.cache_clear()


def is_valid_path(path: str, urlconf: str | ModuleType | None = None) -> ResolverMatch | bool:
    """The match for ``path`` if it resolves, else False."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return False


def _root_urlconf_changed(sender: object, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        clear_url_caches()
        set_urlconf(None)


setting_changed.connect(_root_urlconf_changed)

__all__ = [
    "clear_script_prefix",
    "clear_url_caches",
    "get_script_prefix",
    "get_urlconf",
    "is_valid_path",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
]
