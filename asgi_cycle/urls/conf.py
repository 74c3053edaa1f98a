"""Writing a urlconf: ``path()``, ``re_path()`` and ``include()``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.urls.patterns import RegexPattern, RoutePattern
from asgi_cycle.urls.resolvers import URLPattern, URLResolver

#: What ``include()`` returns: (urlconf module or patterns, app_name, namespace).
Included = tuple[Any, str | None, str | None]


def include(arg: Any, namespace: str | None = None) -> Included:
    """Include another urlconf: a dotted module path, a module, a list of patterns,
    or a ``(patterns, app_name)`` pair; ``namespace`` names this instance of it.
    """
    app_name = None
    if isinstance(arg, tuple):
        try:
            urlconf_module, app_name = arg
        except ValueError:
            if namespace:
                raise ImproperlyConfigured(
                    "Cannot override the namespace for a dynamic module that provides a namespace."
                ) from None
            raise ImproperlyConfigured(
                f"Passing a {len(arg)}-tuple to include() is not supported. Pass a 2-tuple "
                "containing the list of patterns and app_name, and provide the namespace "
                "argument to include() instead."
            ) from None
    else:
        urlconf_module = arg
    if isinstance(urlconf_module, str):
        urlconf_module = import_module(urlconf_module)
    app_name = getattr(urlconf_module, "app_name", app_name)
    if namespace and not app_name:
        raise ImproperlyConfigured(
            "Specifying a namespace in include() without providing an app_name is not "
            "supported. Set the app_name attribute in the included module, or pass a 2-tuple "
            "containing the list of patterns and app_name instead."
        )
    return urlconf_module, app_name, namespace or app_name


def _make(
    route: str,
    view: Callable[..., Any] | Included | Sequence[Any],
    kwargs: dict[str, Any] | None,
    name: str | None,
    pattern_class: type[RoutePattern] | type[RegexPattern],
) -> URLPattern | URLResolver:
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError(f"kwargs argument must be a dict, but got {type(kwargs).__name__}.")
    if isinstance(view, list | tuple):
        urlconf_module, app_name, namespace = view
        return URLResolver(
            pattern_class(route, is_endpoint=False),
            urlconf_module,
            kwargs,
            app_name=app_name,
            namespace=namespace,
        )
    if callable(view):
        return URLPattern(pattern_class(route, name=name, is_endpoint=True), view, kwargs, name)
    if hasattr(type(view), "as_view"):
        view_name = type(view).__name__
        raise TypeError(f"view must be a callable, pass {view_name}.as_view(), not {view_name}().")
    raise TypeError("view must be a callable or a list/tuple in the case of include().")


def path(
    route: str,
    view: Callable[..., Any] | Included | Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver:
    """A route in ``"products/<int:id>/"`` syntax to a view, or to an ``include()``."""
    return _make(route, view, kwargs, name, RoutePattern)


def re_path(
    route: str,
    view: Callable[..., Any] | Included | Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver:
    """A route given as a regular expression to a view, or to an ``include()``."""
    return _make(route, view, kwargs, name, RegexPattern)


__all__ = ["include", "path", "re_path"]
