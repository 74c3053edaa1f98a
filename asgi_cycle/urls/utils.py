"""Importing views named by dotted paths (``handler404 = "app.views.not_found"``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from typing import Any

from asgi_cycle.urls.exceptions import ViewDoesNotExist


def get_mod_func(callback: str) -> tuple[str, str]:
    """Split ``"pkg.mod.func"`` into ``("pkg.mod", "func")``."""
    module, dot, func = callback.rpartition(".")
    if not dot:
        return callback, ""
    return module, func


@functools.cache
def get_callable(lookup_view: Callable[..., Any] | str) -> Callable[..., Any]:
    """The view itself, or the callable a dotted path names (``ViewDoesNotExist`` if none)."""
    if callable(lookup_view):
        return lookup_view
    if not isinstance(lookup_view, str):
        raise ViewDoesNotExist(f"'{lookup_view}' is not a callable or a dot-notation path")
    module_name, func_name = get_mod_func(lookup_view)
    if not func_name:
        raise ImportError(f"Could not import '{lookup_view}'. The path must be fully qualified.")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            raise ViewDoesNotExist(
                f"Could not import '{lookup_view}'. Parent module {module_name} does not exist."
            ) from exc
        raise
    try:
        view = getattr(module, func_name)
    except AttributeError:
        raise ViewDoesNotExist(
            f"Could not import '{lookup_view}'. View does not exist in module {module_name}."
        ) from None
    if not callable(view):
        raise ViewDoesNotExist(
            f"Could not import '{module_name}.{func_name}'. View is not callable."
        )
    return view  # type: ignore[no-any-return]


__all__ = ["get_callable", "get_mod_func"]
