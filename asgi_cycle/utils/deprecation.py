"""``MiddlewareMixin``: old-style ``process_request`` / ``process_response`` middleware.

Django's import path, so that middleware written for Django keeps working.

Theory of operation:

- The instance takes the mode of ``get_response``: when ``get_response`` is a
  coroutine function, the instance is marked as one too, and ``__call__``
  returns the coroutine of ``__acall__``. The onion builder
  (``asgi_cycle.core.handlers.base``) reads ``sync_capable`` / ``async_capable``
  and hands each layer the ``get_response`` of the mode it should run in.
- In async mode the hooks are plain functions that may block (a user's
  middleware can read a file or query a database), so, as Django does, they
  run in a worker thread through ``sync_to_async``.
- A class that promises its hooks never block sets ``nonblocking_hooks = True``;
  its hooks are then called inline on the event loop, with no thread hop. Every
  built-in middleware of this package does so: their hooks are pure logic on
  the request and the response. The same flag tells the onion builder how to
  call ``process_view`` / ``process_exception`` / ``process_template_response``.
  A subclass of a built-in inherits the promise: one whose overrides block (a
  ``_reject`` that writes a log file, say) sets ``nonblocking_hooks = False``.
- Which hooks exist is looked up once, at construction, not per request.
- ``_fused_acall`` gives the onion builder ``__acall__`` and the layer's
  exception-to-response wrapper as one coroutine, and neighbouring layers with
  inline hooks as one loop (see ``asgi_cycle.utils._fused``), for classes that
  do not override ``__call__`` or ``__acall__``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from asgi_cycle.utils._fused import flatten, fuse_layer
from asgi_cycle.utils.asyncio import is_async_callable, markcoroutinefunction, sync_to_async

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

GetResponse = Callable[["HttpRequest"], Any]
_AsyncHook = Callable[..., Awaitable[Any]]
_OnException = Callable[["HttpRequest", Exception], Awaitable["HttpResponseBase"]]
_Handler = Callable[["HttpRequest"], Awaitable["HttpResponseBase"]]


class MiddlewareMixin:
    """Base for middleware defining ``process_request`` and/or ``process_response``."""

    sync_capable = True
    async_capable = True
    #: True when ``process_*`` hooks never block, so they may run on the event loop.
    nonblocking_hooks = False

    def __init__(self, get_response: GetResponse) -> None:
        if get_response is None:
            raise ValueError("get_response must be provided.")
        self.get_response = get_response
        self._is_async = is_async_callable(get_response)
        if self._is_async:
            markcoroutinefunction(self)
        request_hook = getattr(self, "process_request", None)
        response_hook = getattr(self, "process_response", None)
        self._request_hook: Callable[..., Any] | None = request_hook
        self._response_hook: Callable[..., Any] | None = response_hook
        self._arequest_hook = self._to_async(request_hook)
        self._aresponse_hook = self._to_async(response_hook)
        super().__init__()

    def _to_async(self, hook: Callable[..., Any] | None) -> _AsyncHook | None:
        """An awaitable form of ``hook``: itself if async, else inline or in a thread."""
        if hook is None or not self._is_async:
            return None
        if is_async_callable(hook):
            return hook
        if self.nonblocking_hooks:
            return None  # called inline by __acall__
        return sync_to_async(hook)

    def __repr__(self) -> str:
        inner = getattr(self.get_response, "__qualname__", type(self.get_response).__name__)
        return f"<{type(self).__qualname__} get_response={inner}>"

    def __call__(self, request: HttpRequest) -> Any:
        """Run the hooks around ``get_response`` (returns a coroutine in async mode)."""
        if self._is_async:
            return self.__acall__(request)
        response = None
        if self._request_hook is not None:
            response = self._request_hook(request)
        response = response or self.get_response(request)
        if self._response_hook is not None:
            response = self._response_hook(request, response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        """The async path: hooks inline when non-blocking, else in a worker thread."""
        response = None
        if self._arequest_hook is not None:
            response = await self._arequest_hook(request)
        elif self._request_hook is not None:
            response = self._request_hook(request)
        response = response or await self.get_response(request)
        if self._aresponse_hook is not None:
            response = await self._aresponse_hook(request, response)
        elif self._response_hook is not None:
            response = self._response_hook(request, response)
        return response  # type: ignore[no-any-return]

    def _fused_acall(self, on_exception: _OnException) -> _Handler | None:
        """``__acall__`` whose exceptions become ``on_exception``'s response, in one coroutine.

        None when this instance runs sync, or its class overrides ``__call__`` or
        ``__acall__`` (its own code must then run as written).
        """
        cls = type(self)
        if (
            not self._is_async
            or cls.__call__ is not MiddlewareMixin.__call__
            or cls.__acall__ is not MiddlewareMixin.__acall__
        ):
            return None
        arequest_hook, aresponse_hook = self._arequest_hook, self._aresponse_hook
        if arequest_hook is None and aresponse_hook is None:
            # Hooks called inline (or none): one loop for this and the layers below.
            layer = (self._request_hook, self._response_hook)
            return flatten(layer, self.get_response, on_exception)
        return fuse_layer(
            self.get_response,
            self._request_hook if arequest_hook is None else None,
            arequest_hook,
            self._response_hook if aresponse_hook is None else None,
            aresponse_hook,
            on_exception,
        )


__all__ = ["MiddlewareMixin"]
