"""The middleware onion, built once.

Rules:

- ``MIDDLEWARE`` is read once, when the handler is built; the chain is never
  rebuilt or re-adapted per request.
- Each layer runs in the mode it prefers. Walking from the view outwards, a
  layer is async when it is ``async_capable`` and the layer inside it is async
  (or it cannot run sync); otherwise sync. ``adapt`` inserts a bridge only
  where two neighbours disagree, so a chain of async-capable middleware never
  leaves the event loop, and a chain of sync ones hops into a thread once.
- ``process_view``, ``process_template_response`` and ``process_exception``
  hooks are collected from every layer. Sync hooks of this package's own
  middleware are pure logic and are called inline on the loop; sync hooks of
  other middleware may block and run in a worker thread, as Django runs them.
  A middleware class opts in or out explicitly with ``nonblocking_hooks``.
- The innermost layer resolves the URL, runs the view hooks and the view, then
  the template-response hooks and the rendering.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from asgi_cycle.core.handlers.exception import (
    aresponse_for_exception,
    convert_exception_to_response,
)
from asgi_cycle.core.tracing import Trace, current_trace
from asgi_cycle.http.request import HttpRequest
from asgi_cycle.http.response import HttpResponseBase
from asgi_cycle.urls import get_resolver, set_urlconf
from asgi_cycle.urls.resolvers import _get_cached_resolver
from asgi_cycle.utils.asyncio import async_to_sync, is_async_callable, sync_to_async
from asgi_cycle.utils.module_loading import import_string

AsyncGetResponse = Callable[["HttpRequest"], Awaitable["HttpResponseBase"]]
Hook = Callable[..., Awaitable[Any]]


def adapt(method: Any, to_async: bool, is_async: bool | None = None) -> Any:
    """Return ``method`` in the wanted mode, bridging only when the mode differs."""
    if is_async is None:
        is_async = is_async_callable(method)
    if is_async == to_async:
        return method
    return sync_to_async(method) if to_async else async_to_sync(method)


def _hook_mode(owner: object, hook: Any) -> tuple[Callable[..., Any], bool]:
    """A middleware hook as the handler calls it, and whether its result is awaited.

    Pure hooks are called inline (no thread hop, and no coroutine to wrap them);
    hooks that may block run in a worker thread.
    """
    if is_async_callable(hook):
        return hook, True
    nonblocking = getattr(
        owner, "nonblocking_hooks", type(owner).__module__.startswith("asgi_cycle.")
    )
    if not nonblocking:
        return sync_to_async(hook), True
    return hook, False


def _hook_to_async(owner: object, hook: Any) -> Hook:
    """An async callable for a middleware hook, with no thread hop for pure hooks."""
    hook, is_async = _hook_mode(owner, hook)
    if is_async:
        return hook  # type: ignore[no-any-return]

    async def call_inline(*args: Any) -> Any:
        return hook(*args)

    return call_inline


_LAZY_MATCH_OK: dict[type, bool] = {}


def _lazy_match_ok(request_class: type) -> bool:
    """Whether ``request_class`` keeps HttpRequest's lazily built ``resolver_match``."""
    ok = _LAZY_MATCH_OK.get(request_class)
    if ok is None:
        owner = next(k for k in request_class.__mro__ if "resolver_match" in vars(k))
        ok = _LAZY_MATCH_OK[request_class] = owner is HttpRequest
    return ok


def _view_name(view: Any) -> str:
    return f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', view)}"


def _traced_layer(path: str, layer: Any, is_async: bool) -> Any:
    """Wrap a middleware instance so that its time in and out is one ``mw`` span."""
    if is_async:

        async def traced(request: HttpRequest) -> Any:
            trace = current_trace.get()
            if trace is None:
                return await layer(request)
            with trace.span("mw", path):
                return await layer(request)

        return functools.update_wrapper(traced, layer, updated=())

    def traced_sync(request: HttpRequest) -> Any:
        trace = current_trace.get()
        if trace is None:
            return layer(request)
        with trace.span("mw", path):
            return layer(request)

    return functools.update_wrapper(traced_sync, layer, updated=())


class BaseHandler:
    """Builds the onion from ``MIDDLEWARE`` and runs the innermost stage."""

    def __init__(self) -> None:
        #: (hook, is_async) pairs: sync hooks are called inline, without a coroutine.
        self._view_middleware: list[tuple[Callable[..., Any], bool]] = []
        self._template_response_middleware: list[Hook] = []
        self._exception_middleware: list[Hook] = []
        self._middleware_chain: AsyncGetResponse | None = None
        #: Dotted paths of the layers actually in the chain, outermost first.
        self.middleware_in_use: list[str] = []
        #: For each layer in use, whether it runs async (on the loop) or sync (in a thread).
        self.middleware_modes: dict[str, bool] = {}
        #: Each view as called (atomic, async-adapted), built on its first request.
        self._views: dict[Any, Callable[..., Awaitable[Any]]] = {}
        #: Spans are recorded per request (CYCLE_TRACE or DEBUG); read once at build time.
        self.tracing = False
        #: Whether responses carry Server-Timing (CYCLE_TRACE) and /__cycle__/ answers (DEBUG).
        self.server_timing = False
        self.cycle_page = False

    def load_middleware(self) -> None:
        """Build the chain from ``settings.MIDDLEWARE``; call once."""
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self.middleware_in_use = []
        self.middleware_modes = {}
        self._views = {}
        self.server_timing = bool(settings.CYCLE_TRACE)
        self.cycle_page = bool(settings.DEBUG)
        self.tracing = self.server_timing or self.cycle_page
        # The innermost layer converts its own exceptions (see _get_response_async).
        handler: Any = self._get_response_async
        handler_is_async = True
        for path in reversed(settings.MIDDLEWARE):
            try:
                factory = import_string(path)
            except ImportError as exc:
                raise ImproperlyConfigured(
                    f"MIDDLEWARE entry {path!r} cannot be imported: {exc}. Check the dotted path."
                ) from exc
            can_sync = getattr(factory, "sync_capable", True)
            can_async = getattr(factory, "async_capable", False)
            if not can_sync and not can_async:
                raise ImproperlyConfigured(
                    f"Middleware {path} must have at least one of sync_capable/async_capable set "
                    "to True."
                )
            layer_is_async = can_async if (handler_is_async or not can_sync) else False
            try:
                adapted = adapt(handler, layer_is_async, handler_is_async)
                instance = factory(adapted)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                raise ImproperlyConfigured(f"Middleware factory {path} returned None.")
            self.middleware_in_use.insert(0, path)
            self.middleware_modes[path] = layer_is_async
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, _hook_mode(instance, instance.process_view))
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(
                    _hook_to_async(instance, instance.process_template_response)
                )
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(
                    _hook_to_async(instance, instance.process_exception)
                )
            if self.tracing:
                instance = _traced_layer(path, instance, layer_is_async)
            handler = convert_exception_to_response(instance)
            handler_is_async = layer_is_async
        self._middleware_chain = adapt(handler, True, handler_is_async)

    def resolve_request(self, request: HttpRequest) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
        """Resolve the path (honouring ``request.urlconf``) and attach ``resolver_match``."""
        urlconf = getattr(request, "urlconf", None)
        if urlconf is not None:
            set_urlconf(urlconf)
            resolver = get_resolver(urlconf)
        else:
            resolver = _get_cached_resolver(settings.ROOT_URLCONF)  # get_resolver(None), inline
        path = request.path_info
        shared = resolver._static_matches.get(path) if type(path) is str else None
        if shared is not None and (
            _LAZY_MATCH_OK.get(type(request)) or _lazy_match_ok(type(request))
        ):
            # A static route: request.resolver_match is copied from the shared match only
            # if someone reads it. The hooks and the view get their own kwargs dict.
            kwargs = {**shared.kwargs} if shared.kwargs else {}
            request._pending_match = (shared, resolver, path, kwargs)
            if request._resolver_match is not None:
                request._resolver_match = None
            return shared.func, shared.args, kwargs
        match = resolver.resolve(path)
        request.resolver_match = match
        return match.func, match.args, match.kwargs

    async def _get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        """The innermost layer: resolve, view hooks, view, template rendering.

        It turns its own exceptions into responses, as ``convert_exception_to_response``
        does for every other layer: the same contract, one coroutine fewer per request.
        """
        try:
            trace = current_trace.get() if self.tracing else None
            if trace is not None:
                started = time.perf_counter()
            callback, args, kwargs = self.resolve_request(request)
            if trace is not None:
                trace.add("resolve", request.path_info, started, time.perf_counter())
            response: Any = None
            for hook, hook_is_async in self._view_middleware:
                if hook_is_async:
                    response = await hook(request, callback, args, kwargs)
                else:
                    response = hook(request, callback, args, kwargs)
                if response is not None:
                    break
            if response is None:
                view = self._views.get(callback)
                if view is None:
                    view = self._views[callback] = self.adapt_view(callback)
                if trace is not None:
                    started = time.perf_counter()
                try:
                    if args or kwargs:
                        response = await view(request, *args, **kwargs)
                    else:
                        response = await view(request)  # no argument unpacking
                except Exception as exc:
                    response = await self.process_exception_by_middleware(exc, request)
                    if response is None:
                        raise
                finally:
                    if trace is not None:
                        trace.add("view", _view_name(callback), started, time.perf_counter())
            if response is None or (
                # A response class is checked by one C-level test instead of the ABC's.
                not isinstance(response, HttpResponseBase) and isinstance(response, Awaitable)
            ):
                self.check_response(response, callback)
            if hasattr(response, "render") and callable(response.render):
                response = await self._render_template_response(request, response, trace)
            return response  # type: ignore[no-any-return]
        except Exception as exc:
            return await aresponse_for_exception(request, exc)

    async def _render_template_response(
        self, request: HttpRequest, response: Any, trace: Trace | None
    ) -> Any:
        for hook in self._template_response_middleware:
            response = await hook(request, response)
            self.check_response(response, hook, "process_template_response()")
        started = time.perf_counter()
        try:
            if is_async_callable(response.render):
                response = await response.render()
            else:
                # Rendering may iterate lazy querysets: run it where sync ORM calls work.
                response = await sync_to_async(response.render)()
        except Exception as exc:
            response = await self.process_exception_by_middleware(exc, request)
            if response is None:
                raise
        if trace is not None:
            name = str(getattr(response, "template_name", ""))
            trace.add("template", name, started, time.perf_counter())
        return response

    def adapt_view(self, view: Any) -> Callable[..., Awaitable[Any]]:
        """The view as the handler calls it: atomic if asked, async, built once per view."""
        view = self.make_view_atomic(view)
        return view if is_async_callable(view) else sync_to_async(view)

    def make_view_atomic(self, view: Any) -> Any:
        """Wrap ``view`` in a transaction for each database with ``ATOMIC_REQUESTS``."""
        if not any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values()):
            return view
        if getattr(view, "_non_atomic_requests", None) is not None:
            skipped = view._non_atomic_requests
        else:
            skipped = set()
        from asgi_cycle.db import transaction

        for alias, db in settings.DATABASES.items():
            if db.get("ATOMIC_REQUESTS") and alias not in skipped:
                view = transaction.atomic(using=alias)(view)
        return view

    async def process_exception_by_middleware(
        self, exc: Exception, request: HttpRequest
    ) -> HttpResponseBase | None:
        """Give each ``process_exception`` hook the chance to answer for ``exc``."""
        for hook in self._exception_middleware:
            response = await hook(request, exc)
            if response is not None:
                return response  # type: ignore[no-any-return]
        return None

    @staticmethod
    def check_response(response: Any, callback: Any, name: str | None = None) -> None:
        """Raise ValueError when a view or hook returned no response (Django's message)."""
        if response is not None and not isinstance(response, Awaitable):
            return
        if name is None:
            name = f"The view {getattr(callback, '__module__', '?')}." + getattr(
                callback, "__qualname__", type(callback).__name__
            )
        else:
            name = f"{name} of {getattr(callback, '__qualname__', callback)!r}"
        if response is None:
            raise ValueError(
                f"{name} didn't return an HttpResponse object. It returned None instead."
            )
        raise ValueError(
            f"{name} didn't return an HttpResponse object. It returned an unawaited "
            "coroutine instead. You may need to add an 'await' into your view."
        )


__all__ = ["BaseHandler", "adapt"]
