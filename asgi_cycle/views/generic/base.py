"""Class-based views: ``View`` (dispatch per HTTP method), ``TemplateView``, ``RedirectView``.

Theory of operation: ``as_view(**initkwargs)`` returns a plain view function.
Each call builds a fresh instance (so instances never leak state between
requests), ``setup()`` stores the request and arguments, and ``dispatch()``
calls the method named after ``request.method`` (lower-cased), or
``http_method_not_allowed()`` (405 with ``Allow``). A class whose handlers are
all ``async def`` gives an ``async def`` view, so the handler awaits it on the
event loop with no thread hop; mixing sync and async handlers is an error,
raised when ``as_view()`` is called.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ClassVar

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from asgi_cycle.template.response import TemplateResponse
from asgi_cycle.urls import reverse
from asgi_cycle.utils.asyncio import is_async_callable
from asgi_cycle.views.decorators._wrap import escaped_path

logger = logging.getLogger("asgi_cycle.request")


class _ClassProperty:
    """A read-only property computed on the class (``View.view_is_async``)."""

    def __init__(self, method: Callable[[Any], Any]) -> None:
        self.fget = method
        self.__doc__ = method.__doc__

    def __get__(self, instance: object, cls: type | None = None) -> Any:
        return self.fget(cls if cls is not None else type(instance))


def _as_awaitable(response: Any) -> Any:
    async def value() -> Any:
        return response

    return value()


class View:
    """Dispatch a request to the method named after its HTTP verb."""

    http_method_names: ClassVar[list[str]] = [
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "trace",
    ]

    request: HttpRequest
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def __init__(self, **kwargs: Any) -> None:
        """Store each keyword (from ``as_view()``) as an attribute of the instance."""
        for key, value in kwargs.items():
            setattr(self, key, value)

    @_ClassProperty
    def view_is_async(cls: type[View]) -> bool:
        """True when every handler is ``async def``; ImproperlyConfigured when mixed."""
        handlers = [
            getattr(cls, method)
            for method in cls.http_method_names
            if method != "options" and hasattr(cls, method)
        ]
        if not handlers:
            return False
        is_async = is_async_callable(handlers[0])
        if not all(is_async_callable(h) == is_async for h in handlers[1:]):
            raise ImproperlyConfigured(
                f"{cls.__qualname__} HTTP handlers must either be all sync or all async."
            )
        return is_async

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., Any]:
        """The view function for this class; ``initkwargs`` override class attributes."""
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"The method name {key} is not accepted as a keyword argument to "
                    f"{cls.__name__}()."
                )
            if not hasattr(cls, key):
                raise TypeError(
                    f"{cls.__name__}() received an invalid keyword {key!r}. as_view only "
                    "accepts arguments that are already attributes of the class."
                )

        def start(request: HttpRequest, args: tuple[Any, ...], kwargs: dict[str, Any]) -> View:
            self = cls(**initkwargs)
            self.setup(request, *args, **kwargs)
            if not hasattr(self, "request"):
                raise AttributeError(
                    f"{cls.__name__} instance has no 'request' attribute. Did you override "
                    "setup() and forget to call super()?"
                )
            return self

        view: Any
        if cls.view_is_async:

            async def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                return await start(request, args, kwargs).dispatch(request, *args, **kwargs)

        else:

            def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                return start(request, args, kwargs).dispatch(request, *args, **kwargs)

        view.view_class = cls
        view.view_initkwargs = initkwargs
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.__qualname__ = cls.__qualname__
        view.__name__ = cls.__name__
        # Attributes set on dispatch by decorators (csrf_exempt, ...) belong to the view.
        view.__dict__.update(cls.dispatch.__dict__)
        return view  # type: ignore[no-any-return]

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Store ``request``, ``args`` and ``kwargs``; serve HEAD with ``get`` if no ``head``."""
        if hasattr(self, "get") and not hasattr(self, "head"):
            self.head = self.get
        self.request = request
        self.args = args
        self.kwargs = kwargs

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Call the handler for ``request.method``, or ``http_method_not_allowed``."""
        method = (request.method or "").lower()
        if method in self.http_method_names:
            handler = getattr(self, method, self.http_method_not_allowed)
        else:
            handler = self.http_method_not_allowed
        return handler(request, *args, **kwargs)

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """405 with ``Allow`` listing the methods this view has."""
        logger.warning(
            "Method Not Allowed (%s): %s",
            request.method,
            escaped_path(request),
            extra={"status_code": 405, "request": request},
        )
        response = HttpResponseNotAllowed(self._allowed_methods())
        return _as_awaitable(response) if self.view_is_async else response

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """200 with ``Allow`` and an empty body."""
        response = HttpResponse()
        response.headers["Allow"] = ", ".join(self._allowed_methods())
        response.headers["Content-Length"] = "0"
        return _as_awaitable(response) if self.view_is_async else response

    def _allowed_methods(self) -> list[str]:
        return [m.upper() for m in self.http_method_names if hasattr(self, m)]


class ContextMixin:
    """``get_context_data()``: the URL kwargs, ``view``, then ``extra_context``."""

    extra_context: dict[str, Any] | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The template context for this request."""
        kwargs.setdefault("view", self)
        if self.extra_context is not None:
            kwargs.update(self.extra_context)
        return kwargs


class TemplateResponseMixin:
    """``render_to_response()``: a lazy ``TemplateResponse`` for ``template_name``."""

    template_name: str | None = None
    template_engine: str | None = None
    response_class: type[TemplateResponse] = TemplateResponse
    content_type: str | None = None
    request: HttpRequest

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> Any:
        """A ``response_class`` for ``get_template_names()`` and ``context``."""
        response_kwargs.setdefault("content_type", self.content_type)
        return self.response_class(
            request=self.request,
            template=self.get_template_names(),
            context=context,
            using=self.template_engine,
            **response_kwargs,
        )

    def get_template_names(self) -> list[str]:
        """``[template_name]``; ImproperlyConfigured when it is not set."""
        if self.template_name is None:
            raise ImproperlyConfigured(
                "TemplateResponseMixin requires either a definition of 'template_name' or an "
                "implementation of 'get_template_names()'"
            )
        return [self.template_name]


class TemplateView(TemplateResponseMixin, ContextMixin, View):
    """Render ``template_name`` with the URL kwargs and ``extra_context``."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """The rendered template (lazy ``TemplateResponse``)."""
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)


class RedirectView(View):
    """Redirect to ``url`` (``%``-formatted with the URL kwargs) or to ``pattern_name``."""

    permanent = False
    url: str | None = None
    pattern_name: str | None = None
    query_string = False

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        """The target URL, or None for 410 Gone."""
        if self.url:
            url = self.url % kwargs
        elif self.pattern_name:
            url = str(reverse(self.pattern_name, args=args, kwargs=kwargs))
        else:
            return None
        query = self.request.META.get("QUERY_STRING", "")
        if query and self.query_string:
            url = f"{url}?{query}"
        return url

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """302 (301 when ``permanent``) to the target, or 410 when there is none."""
        url = self.get_redirect_url(*args, **kwargs)
        if url:
            if self.permanent:
                return HttpResponsePermanentRedirect(url)
            return HttpResponseRedirect(url)
        logger.warning(
            "Gone: %s", escaped_path(request), extra={"status_code": 410, "request": request}
        )
        return HttpResponseGone()

    def head(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """As GET."""
        return self.get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """As GET."""
        return self.get(request, *args, **kwargs)

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """As GET."""
        return self.get(request, *args, **kwargs)

    def delete(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """As GET."""
        return self.get(request, *args, **kwargs)

    def put(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """As GET."""
        return self.get(request, *args, **kwargs)

    def patch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """As GET."""
        return self.get(request, *args, **kwargs)


__all__ = ["ContextMixin", "RedirectView", "TemplateResponseMixin", "TemplateView", "View"]
