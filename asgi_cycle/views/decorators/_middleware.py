"""Turn a middleware class into a view decorator (Django's ``decorator_from_middleware``).

The middleware wraps just the one view: ``process_request`` and
``process_view`` run before it, ``process_exception`` if it raises,
``process_template_response`` and ``process_response`` after it (after
rendering, for a lazy template response). Hooks are called inline, so this
suits middleware whose hooks are pure logic (the CSRF checks); an async view
keeps an async wrapper.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from asgi_cycle.utils.asyncio import is_async_callable

V = TypeVar("V", bound=Callable[..., Any])


def decorator_from_middleware(middleware_class: type[Any]) -> Callable[[V], V]:
    """A view decorator applying ``middleware_class``'s hooks around one view."""

    def decorator(view_func: V) -> V:
        middleware = middleware_class(view_func)

        def before(request: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            if hasattr(middleware, "process_request"):
                result = middleware.process_request(request)
                if result is not None:
                    return result
            if hasattr(middleware, "process_view"):
                result = middleware.process_view(request, view_func, args, kwargs)
                if result is not None:
                    return result
            return None

        def on_error(request: Any, exc: Exception) -> Any:
            if hasattr(middleware, "process_exception"):
                return middleware.process_exception(request, exc)
            return None

        def after(request: Any, response: Any) -> Any:
            if hasattr(response, "render") and callable(response.render):
                if hasattr(middleware, "process_template_response"):
                    response = middleware.process_template_response(request, response)
                if hasattr(middleware, "process_response"):
                    response.add_post_render_callback(
                        lambda rendered: middleware.process_response(request, rendered)
                    )
                return response
            if hasattr(middleware, "process_response"):
                return middleware.process_response(request, response)
            return response

        if is_async_callable(view_func):

            @functools.wraps(view_func)
            async def async_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                result = before(request, args, kwargs)
                if result is not None:
                    return result
                try:
                    response = await view_func(request, *args, **kwargs)
                except Exception as exc:
                    result = on_error(request, exc)
                    if result is not None:
                        return result
                    raise
                return after(request, response)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(view_func)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            result = before(request, args, kwargs)
            if result is not None:
                return result
            try:
                response: Any = view_func(request, *args, **kwargs)
            except Exception as exc:
                result = on_error(request, exc)
                if result is not None:
                    return result
                raise
            return after(request, response)

        return wrapper  # type: ignore[return-value]

    return decorator


__all__ = ["decorator_from_middleware"]
