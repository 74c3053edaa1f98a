"""``method_decorator``: use a function decorator on a method (Django's name)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from asgi_cycle.utils.asyncio import is_async_callable, markcoroutinefunction

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def method_decorator(
    decorator: Decorator | Sequence[Decorator], name: str = ""
) -> Callable[[Any], Any]:
    """Turn a view decorator into one for methods, or for ``name`` on a class.

    ``@method_decorator(csrf_exempt, name="dispatch")`` on a class view decorates
    its ``dispatch``; on a method, the decorator sees the method bound to the
    instance on every call. Attributes the decorator sets (``csrf_exempt``) are
    copied onto the method, and an ``async def`` method stays a coroutine function.
    """
    decorators: list[Decorator] = (
        list(decorator) if isinstance(decorator, list | tuple) else [decorator]  # type: ignore[list-item]
    )

    def decorate(obj: Any) -> Any:
        if not isinstance(obj, type):
            return _decorate_method(decorators, obj)
        if not name:
            raise ValueError(
                "method_decorator on a class needs the method's name: name='dispatch'."
            )
        method = getattr(obj, name, None)
        if not callable(method):
            raise ValueError(
                f"The keyword argument `name` must be the name of a method of {obj.__name__}; "
                f"got {name!r} instead."
            )
        setattr(obj, name, _decorate_method(decorators, method))
        return obj

    return decorate


def _decorate_method(decorators: list[Decorator], method: Callable[..., Any]) -> Any:
    is_async = is_async_callable(method)

    def bound(self: Any) -> Callable[..., Any]:
        call: Callable[..., Any] = functools.partial(method.__get__(self, type(self)))
        call = functools.wraps(method)(call)
        for decorate in reversed(decorators):
            call = decorate(call)
        return call

    if is_async:

        async def async_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            return await bound(self)(*args, **kwargs)

        wrapper: Callable[..., Any] = async_wrapper
    else:

        def sync_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            return bound(self)(*args, **kwargs)

        wrapper = sync_wrapper
    for decorate in decorators:
        _copy_marks(wrapper, decorate, is_async)
    functools.update_wrapper(wrapper, method)
    return markcoroutinefunction(wrapper) if is_async else wrapper


def _copy_marks(wrapper: Callable[..., Any], decorate: Decorator, is_async: bool) -> None:
    """Copy onto ``wrapper`` what ``decorate`` sets on the function it wraps."""

    async def async_probe(*args: Any, **kwargs: Any) -> None: ...

    def probe(*args: Any, **kwargs: Any) -> None: ...

    marked = decorate(async_probe if is_async else probe)
    for key, value in getattr(marked, "__dict__", {}).items():
        if key != "__wrapped__":
            setattr(wrapper, key, value)


__all__ = ["method_decorator"]
