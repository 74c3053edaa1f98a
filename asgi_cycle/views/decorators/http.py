"""View decorators about HTTP: allowed methods and conditional GET.

Each decorator keeps the view's mode: an ``async def`` view gets an
``async def`` wrapper (so it still runs on the event loop), a sync view a sync one.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from asgi_cycle.http import HttpRequest, HttpResponseNotAllowed
from asgi_cycle.utils.asyncio import is_async_callable
from asgi_cycle.utils.http import http_date, quote_etag
from asgi_cycle.views.decorators._wrap import escaped_path

logger = logging.getLogger("asgi_cycle.request")

V = TypeVar("V", bound=Callable[..., Any])


def _not_allowed(request: HttpRequest, allowed: list[str]) -> HttpResponseNotAllowed:
    logger.warning(
        "Method Not Allowed (%s): %s",
        request.method,
        escaped_path(request),
        extra={"status_code": 405, "request": request},
    )
    return HttpResponseNotAllowed(allowed)


def require_http_methods(request_method_list: Sequence[str]) -> Callable[[V], V]:
    """Answer 405 (with ``Allow``) unless ``request.method`` is in ``request_method_list``."""
    allowed = list(request_method_list)
    allowed_set = frozenset(allowed)

    def decorator(func: V) -> V:
        if is_async_callable(func):

            @functools.wraps(func)
            async def async_inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                if request.method not in allowed_set:
                    return _not_allowed(request, allowed)
                return await func(request, *args, **kwargs)

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method not in allowed_set:
                return _not_allowed(request, allowed)
            return func(request, *args, **kwargs)

        return inner  # type: ignore[return-value]

    return decorator


require_GET = require_http_methods(["GET"])
require_GET.__doc__ = "Allow only GET."
require_POST = require_http_methods(["POST"])
require_POST.__doc__ = "Allow only POST."
require_safe = require_http_methods(["GET", "HEAD"])
require_safe.__doc__ = "Allow only GET and HEAD (the methods that must not change state)."


async def _call(func: Callable[..., Any] | None, *args: Any, **kwargs: Any) -> Any:
    if func is None:
        return None
    if is_async_callable(func):
        return await func(*args, **kwargs)
    return func(*args, **kwargs)


def _timestamp(value: datetime.datetime | None) -> int | None:
    if not value:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return int(value.timestamp())


def condition(
    etag_func: Callable[..., Any] | None = None,
    last_modified_func: Callable[..., Any] | None = None,
) -> Callable[[V], V]:
    """Answer 304/412 from ``If-*`` headers before running the view, as Django does.

    ``etag_func(request, *args, **kwargs)`` returns an ETag (quoted if needed)
    or None; ``last_modified_func`` a datetime (naive means UTC) or None. Both
    may be ``async def`` when the view is. The view's GET/HEAD response gets
    ``ETag`` and ``Last-Modified`` when it has none.
    """
    # Imported here: only views that use conditional GET need the cache helpers.
    from asgi_cycle.utils.cache import get_conditional_response

    def pre(etag: Any, modified: Any, request: HttpRequest) -> tuple[Any, str | None, int | None]:
        res_etag = quote_etag(etag) if etag is not None else None
        res_last_modified = _timestamp(modified)
        response = get_conditional_response(
            request, etag=res_etag, last_modified=res_last_modified
        )
        return response, res_etag, res_last_modified

    def post(request: HttpRequest, response: Any, etag: str | None, modified: int | None) -> None:
        if request.method in ("GET", "HEAD"):
            if modified and "Last-Modified" not in response.headers:
                response.headers["Last-Modified"] = http_date(modified)
            if etag and "ETag" not in response.headers:
                response.headers["ETag"] = etag

    def decorator(func: V) -> V:
        if is_async_callable(func):

            @functools.wraps(func)
            async def async_inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                etag = await _call(etag_func, request, *args, **kwargs)
                modified = await _call(last_modified_func, request, *args, **kwargs)
                response, res_etag, res_modified = pre(etag, modified, request)
                if response is None:
                    response = await func(request, *args, **kwargs)
                post(request, response, res_etag, res_modified)
                return response

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            etag = etag_func(request, *args, **kwargs) if etag_func else None
            modified = last_modified_func(request, *args, **kwargs) if last_modified_func else None
            response, res_etag, res_modified = pre(etag, modified, request)
            if response is None:
                response = func(request, *args, **kwargs)
            post(request, response, res_etag, res_modified)
            return response

        return inner  # type: ignore[return-value]

    return decorator


def etag(etag_func: Callable[..., Any]) -> Callable[[V], V]:
    """``condition(etag_func=etag_func)``."""
    return condition(etag_func=etag_func)


def last_modified(last_modified_func: Callable[..., Any]) -> Callable[[V], V]:
    """``condition(last_modified_func=last_modified_func)``."""
    return condition(last_modified_func=last_modified_func)


__all__ = [
    "condition",
    "etag",
    "last_modified",
    "require_GET",
    "require_POST",
    "require_http_methods",
    "require_safe",
]
