"""Resolving a path to a view: ``URLPattern``, ``URLResolver``, ``ResolverMatch``.

Theory of operation: ``get_resolver(urlconf)`` is the root, a ``URLResolver``
whose pattern is ``^/`` over the urlconf's ``urlpatterns``. ``resolve(path)``
strips what the resolver's own pattern matched and hands the rest to its
patterns in order; the first that matches wins (an include recurses).

``_resolve_tried`` is that rule written as Django writes it: every pattern in
turn, recording each in ``tried``. The fast path (``_resolve_fast``) gives the
same answer but tries only the patterns each level's ``Matcher`` says can
match, and builds one ``ResolverMatch`` for the whole chain. On a miss,
``_tried_after_miss`` rebuilds Django's ``tried`` record from the same index;
on a match, ``ResolverMatch.tried`` runs the reference walk when first read.

Static routes (no converters, down through plain-text ``include()`` prefixes)
whose answer cannot depend on anything but the path are resolved once, when
first asked for, into ``_static_matches``: path -> the match, copied per request.
A path is entered only when the first candidate its levels' ``Matcher`` names is
that static route, so the first-match rule gives the same answer.

Reverse lookups (``reverse_dict``, ``namespace_dict``, ``app_dict``) are built
lazily on first use; see ``asgi_cycle.urls._reverse``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from importlib import import_module
from types import ModuleType
from typing import Any

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.urls._matcher import Matcher
from asgi_cycle.urls._reverse import ReverseTables, build_tables, reverse_with_prefix
from asgi_cycle.urls.exceptions import Resolver404
from asgi_cycle.urls.match import ResolverMatch
from asgi_cycle.urls.patterns import RegexPattern, RoutePattern
from asgi_cycle.urls.utils import get_callable

Pattern = RegexPattern | RoutePattern

#: The views used when a urlconf defines no ``handler400`` ... ``handler500``.
DEFAULT_ERROR_HANDLERS = {
    400: "asgi_cycle.views.defaults.bad_request",
    403: "asgi_cycle.views.defaults.permission_denied",
    404: "asgi_cycle.views.defaults.page_not_found",
    500: "asgi_cycle.views.defaults.server_error",
}


class URLPattern:
    """One route to one view: ``path("products/<int:id>/", view, name=...)``."""

    def __init__(
        self,
        pattern: Pattern,
        callback: Callable[..., Any],
        default_args: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.pattern = pattern
        self.callback = callback
        self.default_args = default_args or {}
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pattern.describe()}>"

    def resolve(self, path: str) -> ResolverMatch | None:
        """The match for ``path``, or None; extra kwargs override captured ones."""
        found = self.pattern.match(path)
        if found is None:
            return None
        _, args, captured = found
        kwargs = {**captured, **self.default_args} if self.default_args else captured
        return ResolverMatch(
            self.callback,
            args,
            kwargs,
            self.pattern.name,
            route=self._route,
            captured_kwargs=captured,
            extra_kwargs=self.default_args,
        )

    @functools.cached_property
    def _route(self) -> str:
        return str(self.pattern)

    @functools.cached_property
    def lookup_str(self) -> str:
        """The dotted path of the view (of the function a partial or a view class wraps)."""
        callback: Any = self.callback
        while isinstance(callback, functools.partial):
            callback = callback.func
        callback = getattr(callback, "view_class", callback)
        if not hasattr(callback, "__name__"):
            return f"{callback.__module__}.{type(callback).__qualname__}"
        return f"{callback.__module__}.{callback.__qualname__}"


class URLResolver:
    """A prefix pattern over a list of patterns: the root, or an ``include()``."""

    def __init__(
        self,
        pattern: Pattern,
        urlconf_name: str | ModuleType | Sequence[Any] | None,
        default_kwargs: dict[str, Any] | None = None,
        app_name: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.pattern = pattern
        self.urlconf_name = urlconf_name
        self.callback = None
        self.default_kwargs = default_kwargs or {}
        self.namespace = namespace
        self.app_name = app_name
        self._tables: ReverseTables | None = None
        self._local = threading.local()

    def __repr__(self) -> str:
        if isinstance(self.urlconf_name, list) and self.urlconf_name:
            urlconf = f"<{type(self.urlconf_name[0]).__name__} list>"
        else:
            urlconf = repr(self.urlconf_name)
        return (
            f"<{type(self).__name__} {urlconf} ({self.app_name}:{self.namespace}) "
            f"{self.pattern.describe()}>"
        )

    @functools.cached_property
    def urlconf_module(self) -> Any:
        """The urlconf: imported if it was named by a dotted path."""
        if isinstance(self.urlconf_name, str):
            return import_module(self.urlconf_name)
        return self.urlconf_name

    @functools.cached_property
    def url_patterns(self) -> Sequence[Any]:
        """The urlconf's ``urlpatterns`` (or the urlconf itself when it is a list)."""
        patterns = getattr(self.urlconf_module, "urlpatterns", self.urlconf_module)
        try:
            iter(patterns)
        except TypeError as exc:
            raise ImproperlyConfigured(
                f"The included URLconf '{self.urlconf_name}' does not appear to have any "
                "patterns in it. If you see the 'urlpatterns' variable with valid patterns "
                "in the file then the issue is probably caused by a circular import."
            ) from exc
        return patterns  # type: ignore[no-any-return]

    @functools.cached_property
    def _matcher(self) -> Matcher:
        return Matcher(list(self.url_patterns), URLPattern)

    @functools.cached_property
    def _static_paths(self) -> frozenset[str]:
        """Paths below this level's own prefix that only one static route can answer."""
        if getattr(self._local, "static_building", False):
            return frozenset()  # a urlconf that includes itself: the outer call decides
        self._local.static_building = True
        try:
            return self._find_static_paths()
        finally:
            self._local.static_building = False

    def _find_static_paths(self) -> frozenset[str]:
        found: set[str] = set()
        matcher = self._matcher
        for index, entry in enumerate(self.url_patterns):
            if type(entry) is URLPattern:
                pattern = entry.pattern
                if not (
                    isinstance(pattern, RoutePattern)
                    and pattern._is_endpoint
                    and not pattern.converters
                ):
                    continue
                paths: Sequence[str] = (pattern._plain,)
            elif type(entry) is URLResolver:
                prefix = _plain_prefix(entry.pattern)
                if prefix is None:
                    continue
                paths = [prefix + rest for rest in entry._static_paths]
            else:
                continue
            for path in paths:
                candidates = matcher.candidates(path)
                if candidates and candidates[0] == index:
                    found.add(path)
        return frozenset(found)

    @functools.cached_property
    def _static_matches(self) -> dict[str, ResolverMatch]:
        """Full path -> its match, filled as static paths are first resolved."""
        return {}

    # -- resolving -----------------------------------------------------------------

    def resolve(self, path: str) -> ResolverMatch:
        """The match for ``path``; ``Resolver404`` (with the patterns tried) if none."""
        path = str(path)  # may be a reverse_lazy() object
        static = self._static_matches.get(path)
        if static is not None:
            copied = static.copy()
            copied._tried_source = (self, path)
            return copied
        found = self._resolve_fast(path)
        if found is None:
            prefix = self.pattern.match(path)
            if prefix is None:
                raise Resolver404({"path": path})
            tried = self._tried_after_miss(prefix[0])
            if tried is None:
                return self._resolve_tried(path)  # raises Resolver404 with the evidence
            raise Resolver404({"tried": tried, "path": prefix[0]})
        own = _plain_prefix(self.pattern)
        if own is not None and path.startswith(own) and path[len(own) :] in self._static_paths:
            self._static_matches[path] = found.copy()
        found._tried_source = (self, path)
        return found

    def _resolve_fast(self, path: str) -> ResolverMatch | None:
        found = self.pattern.match(path)
        if found is None:
            return None
        new_path, args, kwargs = found
        patterns = self.url_patterns
        for index in self._matcher.candidates(new_path):
            entry = patterns[index]
            sub: ResolverMatch | None
            if type(entry) is URLPattern:
                sub = entry.resolve(new_path)
            elif isinstance(entry, URLResolver):
                sub = entry._resolve_fast(new_path)
            else:
                try:
                    sub = entry.resolve(new_path)
                except Resolver404:
                    continue
            if sub:
                return self._nest_into(entry, sub, args, kwargs)
        return None

    def _tried_after_miss(self, new_path: str) -> list[list[Any]] | None:
        """What ``_resolve_tried`` reports for a path nothing matches, without its regexes.

        Only includes among the candidates can have matched their prefix, so
        only they contribute nested entries. None when a level holds objects of
        other types, whose ``resolve()`` must be called to know what they report.
        """
        patterns = self.url_patterns
        nested: dict[int, list[list[Any]]] = {}
        for index in self._matcher.candidates(new_path):
            entry = patterns[index]
            if isinstance(entry, URLResolver):
                prefix = entry.pattern.match(new_path)
                if prefix is not None:
                    sub = entry._tried_after_miss(prefix[0])
                    if sub is None:
                        return None
                    nested[index] = sub
            elif type(entry) is not URLPattern:
                return None
        if not nested:
            return [[entry] for entry in patterns]
        tried: list[list[Any]] = []
        for index, entry in enumerate(patterns):
            sub_tried = nested.get(index)
            _extend_tried(tried, entry, sub_tried)
        return tried

    def _resolve_tried(self, path: str) -> ResolverMatch:
        """Django's walk: every pattern in turn, recording what was tried."""
        tried: list[list[Any]] = []
        found = self.pattern.match(path)
        if found is None:
            raise Resolver404({"path": path})
        new_path, args, kwargs = found
        for entry in self.url_patterns:
            try:
                if isinstance(entry, URLResolver):
                    sub = entry._resolve_tried(new_path)
                else:
                    sub = entry.resolve(new_path)
            except Resolver404 as exc:
                _extend_tried(tried, entry, exc.args[0].get("tried"))
                continue
            if sub:
                _extend_tried(tried, entry, sub.tried)
                return self._nest(entry, sub, args, kwargs, tried)
            tried.append([entry])
        raise Resolver404({"tried": tried, "path": new_path})

    def _nest(
        self,
        entry: Any,
        sub: ResolverMatch,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        tried: list[list[Any]] | None,
    ) -> ResolverMatch:
        """The match of a sub-pattern, seen from this level."""
        merged = {**kwargs, **self.default_kwargs, **sub.kwargs}
        # Named groups anywhere mean keyword arguments only.
        sub_args = sub.args if merged else args + sub.args
        route = "" if isinstance(entry, URLPattern) else str(entry.pattern)
        return ResolverMatch(
            sub.func,
            sub_args,
            merged,
            sub.url_name,
            [self.app_name, *sub.app_names],
            [self.namespace, *sub.namespaces],
            _join_route(route, sub.route),
            tried,
            captured_kwargs=sub.captured_kwargs,
            extra_kwargs={**self.default_kwargs, **(sub.extra_kwargs or {})},
        )

    def _nest_into(
        self, entry: Any, sub: ResolverMatch, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> ResolverMatch:
        """``_nest`` for the fast path: update the fresh ``sub`` instead of copying it."""
        merged = {**kwargs, **self.default_kwargs, **sub.kwargs}
        if not merged:
            sub.args = args + sub.args
        sub.kwargs = merged
        if self.app_name:
            sub.app_names.insert(0, self.app_name)
        if self.namespace:
            sub.namespaces.insert(0, self.namespace)
        if not isinstance(entry, URLPattern):
            sub.route = _join_route(str(entry.pattern), sub.route)
        if self.default_kwargs:
            sub.extra_kwargs = {**self.default_kwargs, **(sub.extra_kwargs or {})}
        return sub

    def resolve_error_handler(self, view_type: int | str) -> Callable[..., Any]:
        """The urlconf's ``handler<view_type>`` view, or the default one."""
        callback = getattr(self.urlconf_module, f"handler{view_type}", None)
        if not callback:
            callback = DEFAULT_ERROR_HANDLERS[int(view_type)]
        return get_callable(callback)

    # -- reversing -----------------------------------------------------------------

    def _populate(self) -> ReverseTables:
        if self._tables is not None:
            return self._tables
        if getattr(self._local, "populating", False):
            # A resolver that includes itself: the outer call fills the tables.
            return ReverseTables({}, {}, {}, set())
        self._local.populating = True
        try:
            self._tables = build_tables(self)
        finally:
            self._local.populating = False
        return self._tables

    @property
    def reverse_dict(self) -> dict[Any, list[Any]]:
        """Name or view -> the ways to build its URL, last pattern first (as Django)."""
        return self._populate().lookups

    @property
    def namespace_dict(self) -> dict[str, tuple[str, URLResolver]]:
        """Instance namespace -> (regex prefix, resolver)."""
        return self._populate().namespaces

    @property
    def app_dict(self) -> dict[str, list[str]]:
        """Application namespace -> its instance namespaces, last deployed first."""
        return self._populate().apps

    def _is_callback(self, name: str) -> bool:
        return name in self._populate().callback_strs

    def _reverse_with_prefix(
        self, lookup_view: Any, _prefix: str, *args: Any, **kwargs: Any
    ) -> str:
        """The quoted URL for ``lookup_view`` under ``_prefix`` (``NoReverseMatch`` if none)."""
        return reverse_with_prefix(self, lookup_view, _prefix, args, kwargs)

    def reverse(self, lookup_view: Any, *args: Any, **kwargs: Any) -> str:
        """The URL for ``lookup_view`` without a script prefix."""
        return self._reverse_with_prefix(lookup_view, "", *args, **kwargs)


def _plain_prefix(pattern: Any) -> str | None:
    """The text a non-endpoint pattern consumes when it is a fixed text, else None."""
    if type(pattern) is RegexPattern:
        return pattern._startswith
    if type(pattern) is RoutePattern and not pattern.converters and not pattern._is_endpoint:
        return pattern._plain
    return None


def _extend_tried(tried: list[list[Any]], entry: Any, sub_tried: list[list[Any]] | None) -> None:
    if sub_tried is None:
        tried.append([entry])
    else:
        tried.extend([entry, *sub] for sub in sub_tried)


def _join_route(route1: str, route2: str | None) -> str:
    """Join two routes, without the leading ``^`` of the second."""
    route2 = route2 or ""
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def get_resolver(urlconf: str | ModuleType | None = None) -> URLResolver:
    """The root resolver of ``urlconf`` (default ``settings.ROOT_URLCONF``), built once."""
    if urlconf is None:
        urlconf = settings.ROOT_URLCONF
    return _get_cached_resolver(urlconf)


@functools.cache
def _get_cached_resolver(urlconf: str | ModuleType | None) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), urlconf)


@functools.cache
def get_ns_resolver(
    ns_pattern: str, resolver: URLResolver, converters: tuple[tuple[str, Any], ...]
) -> URLResolver:
    """A root resolver over ``resolver``'s patterns under the namespaces' joined prefix."""
    pattern = RegexPattern(ns_pattern)
    pattern.converters = dict(converters)
    ns_resolver = URLResolver(pattern, resolver.url_patterns)
    return URLResolver(RegexPattern(r"^/"), [ns_resolver])


__all__ = [
    "DEFAULT_ERROR_HANDLERS",
    "RegexPattern",
    "ResolverMatch",
    "RoutePattern",
    "URLPattern",
    "URLResolver",
    "get_ns_resolver",
    "get_resolver",
]
