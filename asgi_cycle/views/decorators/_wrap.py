"""Helpers for view decorators that keep the view sync or async, and for their log lines."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.utils.asyncio import is_async_callable

V = TypeVar("V", bound=Callable[..., Any])


def escaped_path(request: Any) -> str:
    """``request.path`` with control characters escaped, safe to put in a log line."""
    return str(request.path).encode("unicode_escape").decode("ascii")


def after_view(process: Callable[[Any, Any], Any], name: str) -> Callable[[V], V]:
    """Build a decorator calling ``process(request, response)`` on each response.

    ``process`` edits the response in place (headers, attributes). ``name`` is
    the decorator's name for the error raised when it is put on a method
    without ``method_decorator`` (the first argument is then not a request).
    """

    def check(request: Any) -> None:
        if not hasattr(request, "META"):
            raise TypeError(
                f"{name} didn't receive an HttpRequest. If you are decorating a classmethod, "
                "be sure to use @method_decorator."
            )

    def decorator(view_func: V) -> V:
        if is_async_callable(view_func):

            @functools.wraps(view_func)
            async def async_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                check(request)
                response = await view_func(request, *args, **kwargs)
                process(request, response)
                return response

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(view_func)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            check(request)
            response: Any = view_func(request, *args, **kwargs)
            process(request, response)
            return response

        return wrapper  # type: ignore[return-value]

    return decorator


def mark_view(view_func: V, **attributes: Any) -> V:
    """A wrapper of ``view_func`` (same mode) carrying ``attributes``, the view left as is."""
    if is_async_callable(view_func):

        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            return await view_func(*args, **kwargs)

        wrapper: Any = async_wrapper
    else:

        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            return view_func(*args, **kwargs)

        wrapper = sync_wrapper
    wrapper = functools.wraps(view_func)(wrapper)
    for key, value in attributes.items():
        setattr(wrapper, key, value)
    return wrapper  # type: ignore[no-any-return]


__all__ = ["after_view", "escaped_path", "mark_view"]
