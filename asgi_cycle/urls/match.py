"""``ResolverMatch``: what the resolver found for a path, as the view will be called."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pickle import PicklingError
from typing import Any


class ResolverMatch:
    """The view, its arguments and the names that led to it.

    ``func, args, kwargs = match`` unpacks it. ``tried`` lists the patterns
    checked before the match, as ``Resolver404`` does; the resolver computes it
    only when it is read.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        url_name: str | None = None,
        app_names: list[str | None] | None = None,
        namespaces: list[str | None] | None = None,
        route: str | None = None,
        tried: list[list[Any]] | None = None,
        captured_kwargs: dict[str, Any] | None = None,
        extra_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.url_name = url_name
        self.route = route
        self._tried = tried
        #: (resolver, path) to compute ``tried`` from, set by ``URLResolver.resolve``.
        self._tried_source: tuple[Any, str] | None = None
        self.captured_kwargs = captured_kwargs
        self.extra_kwargs = extra_kwargs
        # Levels without an app_name or namespace pass None or "": leave them out.
        self.app_names: list[str] = [name for name in app_names if name] if app_names else []
        self.namespaces: list[str] = [name for name in namespaces if name] if namespaces else []

    @property
    def app_name(self) -> str:
        """The application namespaces, joined with ``:``."""
        return ":".join(self.app_names)

    @property
    def namespace(self) -> str:
        """The instance namespaces, joined with ``:``."""
        return ":".join(self.namespaces)

    @functools.cached_property
    def _func_path(self) -> str:
        func: Any = getattr(self.func, "view_class", self.func)
        if not hasattr(func, "__name__"):
            return f"{type(func).__module__}.{type(func).__name__}"  # a view instance
        return f"{func.__module__}.{func.__name__}"

    @functools.cached_property
    def view_name(self) -> str:
        """``namespace:url_name``, or the view's dotted path when it has no name."""
        return ":".join([*self.namespaces, self.url_name or self._func_path])

    @property
    def tried(self) -> list[list[Any]] | None:
        """The patterns checked, in order, up to and including the one that matched."""
        if self._tried is None and self._tried_source is not None:
            resolver, path = self._tried_source
            self._tried = resolver._resolve_tried(path).tried
        return self._tried

    @tried.setter
    def tried(self, value: list[list[Any]] | None) -> None:
        self._tried = value

    def copy(self) -> ResolverMatch:
        """A new match with the same values and its own lists and dicts."""
        # Attribute by attribute: cheaper than __init__ or a __dict__ copy (hot path).
        clone = object.__new__(ResolverMatch)
        clone.func = self.func
        clone.args = self.args
        clone.kwargs = {**self.kwargs}
        clone.url_name = self.url_name
        clone.route = self.route
        clone._tried = None if self._tried is None else [list(entry) for entry in self._tried]
        clone._tried_source = self._tried_source
        captured, extra = self.captured_kwargs, self.extra_kwargs
        clone.captured_kwargs = {**captured} if captured else captured
        clone.extra_kwargs = {**extra} if extra else extra
        clone.app_names = [*self.app_names]
        clone.namespaces = [*self.namespaces]
        return clone

    def __getitem__(self, index: int) -> Any:
        return (self.func, self.args, self.kwargs)[index]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.func, self.args, self.kwargs))

    def __repr__(self) -> str:
        func = repr(self.func) if isinstance(self.func, functools.partial) else self._func_path
        return (
            f"ResolverMatch(func={func}, args={self.args!r}, kwargs={self.kwargs!r}, "
            f"url_name={self.url_name!r}, app_names={self.app_names!r}, "
            f"namespaces={self.namespaces!r}, route={self.route!r}"
            + (f", captured_kwargs={self.captured_kwargs!r}" if self.captured_kwargs else "")
            + (f", extra_kwargs={self.extra_kwargs!r}" if self.extra_kwargs else "")
            + ")"
        )

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise PicklingError(f"Cannot pickle {type(self).__qualname__}.")


__all__ = ["ResolverMatch"]
