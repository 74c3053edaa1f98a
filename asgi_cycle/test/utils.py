"""Test helpers: ``override_settings``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from asgi_cycle.conf import settings
from asgi_cycle.core.signals import setting_changed
from asgi_cycle.utils.asyncio import is_async_callable

F = TypeVar("F", bound=Callable[..., Any])
_MISSING = object()


class override_settings:
    """Change settings inside a ``with`` block or a decorated test, then restore them.

    ``setting_changed`` is sent on enter and exit so that caches keyed on a
    setting (the URL resolver, the template engines) can drop what they hold.
    """

    def __init__(self, **options: Any) -> None:
        self.options = options
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> override_settings:
        for name, value in self.options.items():
            self._saved[name] = getattr(settings._wrapped_or_setup(), name, _MISSING)
            setattr(settings, name, value)
            setting_changed.send(type(settings), setting=name, value=value, enter=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for name, value in self._saved.items():
            if value is _MISSING:
                delattr(settings, name)
            else:
                setattr(settings, name, value)
            setting_changed.send(
                type(settings), setting=name, value=getattr(settings, name, None), enter=False
            )
        self._saved.clear()

    def __call__(self, func: F) -> F:
        if is_async_callable(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                with self.__class__(**self.options):
                    return await func(*args, **kwargs)

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self.__class__(**self.options):
                return func(*args, **kwargs)

        return inner  # type: ignore[return-value]


__all__ = ["override_settings"]
