"""Exception -> response, at every layer of the onion.

Every middleware layer and the innermost view call are wrapped by
``convert_exception_to_response``, so a middleware always receives a response
from ``get_response``, never an exception (Django's contract). The mapping:

==============================  ======  =====================================
exception                       status  page
==============================  ======  =====================================
Http404, Resolver404            404     handler404 (DEBUG: tried patterns), logged
PermissionDenied                403     handler403
RequestDataTooBig               413     payload too large
BadRequest, SuspiciousOperation 400     handler400 (DEBUG: traceback page)
anything else                   500     handler500 (DEBUG: traceback page),
                                        ``got_request_exception`` sent
==============================  ======  =====================================

With DEBUG off the pages say what happened in one line and nothing more.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from asgi_cycle.conf import settings
from asgi_cycle.core import signals
from asgi_cycle.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from asgi_cycle.utils.asyncio import async_to_sync, is_async_callable, sync_to_async

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

request_logger = logging.getLogger("asgi_cycle.request")
security_logger_prefix = "asgi_cycle.security."

AsyncHandler = Callable[["HttpRequest"], Awaitable["HttpResponseBase"]]
SyncHandler = Callable[["HttpRequest"], "HttpResponseBase"]


def convert_exception_to_response(get_response: Any) -> Any:
    """Wrap one layer so that an exception it raises becomes a response."""
    if is_async_callable(get_response):
        # A MiddlewareMixin layer runs its hooks and this wrapper in one coroutine.
        fuse = getattr(get_response, "_fused_acall", None)
        fused = fuse(aresponse_for_exception) if fuse is not None else None
        if fused is not None:
            return functools.wraps(get_response)(fused)

        @functools.wraps(get_response)
        async def inner(request: HttpRequest) -> HttpResponseBase:
            try:
                return await get_response(request)  # type: ignore[no-any-return]
            except Exception as exc:
                return await aresponse_for_exception(request, exc)

        return inner

    @functools.wraps(get_response)
    def sync_inner(request: HttpRequest) -> HttpResponseBase:
        try:
            return get_response(request)  # type: ignore[no-any-return]
        except Exception as exc:
            return async_to_sync(aresponse_for_exception)(request, exc)

    return sync_inner


async def aresponse_for_exception(request: HttpRequest, exc: Exception) -> HttpResponseBase:
    """The response for an exception raised while handling ``request``."""
    from asgi_cycle.http import Http404
    from asgi_cycle.urls import Resolver404

    if isinstance(exc, Http404 | Resolver404):
        _log(request, exc, 404, request_logger.warning, "Not Found")
        if settings.DEBUG:
            from asgi_cycle.views.debug import technical_404_response

            return technical_404_response(request, exc)
        return await _error_view_response(request, 404, exc)
    if isinstance(exc, PermissionDenied):
        _log(request, exc, 403, request_logger.warning, "Forbidden (Permission denied)")
        return await _error_view_response(request, 403, exc)
    if isinstance(exc, RequestDataTooBig):
        _log(
            request,
            exc,
            413,
            logging.getLogger(security_logger_prefix + "RequestDataTooBig").warning,
            "Request body too large",
        )
        from asgi_cycle.views.defaults import payload_too_large

        return payload_too_large(request, exc)
    if isinstance(exc, BadRequest | SuspiciousOperation):
        logger = (
            logging.getLogger(security_logger_prefix + type(exc).__name__)
            if isinstance(exc, SuspiciousOperation)
            else request_logger
        )
        _log(request, exc, 400, logger.warning, "Bad request")
        if settings.DEBUG:
            from asgi_cycle.views.debug import technical_500_response

            return technical_500_response(
                request, type(exc), exc, exc.__traceback__, status_code=400
            )
        return await _error_view_response(request, 400, exc)

    await signals.got_request_exception.asend(None, request=request)
    _log(request, exc, 500, request_logger.error, "Internal Server Error", exc_info=True)
    if settings.DEBUG:
        from asgi_cycle.views.debug import technical_500_response

        return technical_500_response(request, type(exc), exc, exc.__traceback__)
    return await _error_view_response(request, 500, exc)


async def _error_view_response(
    request: HttpRequest, status: int, exc: Exception
) -> HttpResponseBase:
    """Call the urlconf's handler for ``status``; if it fails, fall back to a plain page."""
    from asgi_cycle.views import defaults

    try:
        view = _error_handler(request, status)
        args: tuple[Any, ...] = (request,) if status == 500 else (request, exc)
        if is_async_callable(view):
            return await view(*args)  # type: ignore[no-any-return]
        if getattr(view, "__module__", "") == defaults.__name__:
            return view(*args)  # type: ignore[no-any-return]  # pure: no thread needed
        return await sync_to_async(view)(*args)  # type: ignore[no-any-return]
    except Exception:
        request_logger.exception("The handler%s view raised; answering a plain page.", status)
        return defaults.plain_error(status)


def _error_handler(request: HttpRequest, status: int) -> Callable[..., Any]:
    from asgi_cycle.urls import get_resolver

    urlconf = getattr(request, "urlconf", None)
    return get_resolver(urlconf).resolve_error_handler(status)


def _log(
    request: HttpRequest,
    exc: Exception,
    status: int,
    log: Callable[..., None],
    title: str,
    exc_info: bool = False,
) -> None:
    # Control characters in the path are escaped so that a request cannot forge log lines.
    path = getattr(request, "path", "").encode("unicode_escape").decode("ascii")
    log(
        "%s: %s",
        title,
        path,
        exc_info=(type(exc), exc, exc.__traceback__) if exc_info else None,
        extra={"status_code": status, "request": request},
    )


__all__ = ["aresponse_for_exception", "convert_exception_to_response"]
