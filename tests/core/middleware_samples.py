"""Middleware of every kind for the onion tests; they log into tests.core.urls_handler.events."""

import threading

from asgi_cycle.core.exceptions import MiddlewareNotUsed
from asgi_cycle.http import HttpResponse
from asgi_cycle.utils.asyncio import is_async_callable, markcoroutinefunction

from .urls_handler import events, threads


class SyncOnly:
    """Old-style sync middleware, like the article's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        events.append("sync in")
        threads["sync"] = threading.get_ident()
        response = self.get_response(request)
        events.append("sync out")
        return response

    def process_view(self, request, view, args, kwargs):
        events.append("sync process_view")


class AsyncOnly:
    sync_capable = False
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        events.append("async in")
        threads["async"] = threading.get_ident()
        response = await self.get_response(request)
        events.append("async out")
        return response

    async def process_view(self, request, view, args, kwargs):
        events.append("async process_view")


class Hybrid:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = is_async_callable(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        events.append("hybrid in (sync)")
        response = self.get_response(request)
        events.append("hybrid out (sync)")
        return response

    async def _acall(self, request):
        events.append("hybrid in (async)")
        threads["hybrid"] = threading.get_ident()
        response = await self.get_response(request)
        events.append("hybrid out (async)")
        return response


class NotUsed:
    def __init__(self, get_response):
        raise MiddlewareNotUsed


class ShortCircuitView:
    """process_view answers instead of the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.path == "/sync/":
            return HttpResponse("from process_view")
        return None


class ExceptionRescuer:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        return await self.get_response(request)

    async def process_exception(self, request, exception):
        if isinstance(exception, ValueError):
            return HttpResponse(f"rescued {type(exception).__name__}", status=299)
        return None


class TemplateContextChanger:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        response.context_data["name"] = "middleware"
        return response
