"""The Jinja2 backend: Django's ``django.template.backends.jinja2`` for asgi_cycle.

``TEMPLATES`` entry::

    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": ["/path/to/templates"],   # searched first, in order
        "APP_DIRS": True,                 # then <app>/templates/ for each INSTALLED_APPS
        "OPTIONS": {
            "environment": "myproject.jinja2.environment",  # callable returning an Environment
            "context_processors": ["asgi_cycle.template.context_processors.request"],
            "globals": {"now": "myproject.helpers.now"},     # name -> object or dotted path
            "filters": {"money": "myproject.helpers.money"}, # name -> callable or dotted path
            "tests": {"even": "myproject.helpers.is_even"},  # name -> callable or dotted path
            # anything else goes to the Environment: extensions, autoescape, enable_async ...
        },
    }

Without an ``environment`` option the engine uses
``asgi_cycle.template.backends._jinja2.Environment``: Jinja2's ``Environment``
with the same output, escaped at less cost per ``{{ ... }}`` (see that module).
Defaults, as in Django: ``autoescape=True``, ``auto_reload=DEBUG``, ``undefined``
is ``DebugUndefined`` under DEBUG (shows the missing name) else ``Undefined``.
Every environment gets two globals unless it defines them itself:
``url(name, *args, **kwargs)`` (``reverse``) and ``static(path)`` (joined to
``STATIC_URL``). With a request, the context also holds ``request``,
``csrf_input`` and ``csrf_token`` (lazy), then the context processors' output.

Rendering is synchronous by default: on a typical page it is faster than
Jinja2's async mode, and ``render()`` stays callable from an async view on the
event loop. ``"enable_async": True`` switches to async rendering, where loops
over async iterables (a lazy queryset) run on the loop: use ``render_async()``
or a ``TemplateResponse`` (its ``arender()``) with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

import jinja2

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from asgi_cycle.template.backends._jinja2 import Environment, render
from asgi_cycle.template.backends.base import BaseEngine
from asgi_cycle.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from asgi_cycle.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from asgi_cycle.utils.asyncio import in_event_loop_thread, run_sync
from asgi_cycle.utils.module_loading import import_string

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs)`` for templates."""
    from asgi_cycle.urls import reverse

    return str(reverse(viewname, args=args or None, kwargs=kwargs or None))


def static(path: str) -> str:
    """The URL of a static file: ``path`` joined to ``STATIC_URL``."""
    prefix: str | None = settings.STATIC_URL
    if not prefix:
        raise ImproperlyConfigured("static() needs the STATIC_URL setting.")
    if not prefix.endswith("/"):
        prefix += "/"
    return urljoin(prefix, quote(path.lstrip("/")))


def _load(value: Any, option: str) -> Any:
    """``value`` itself, or the object its dotted path names (a bad path is a config error)."""
    if not isinstance(value, str):
        return value
    try:
        return import_string(value)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"TEMPLATES OPTIONS[{option!r}] names {value!r}, which cannot be imported: {exc}"
        ) from exc


class Jinja2(BaseEngine):
    """A template engine backed by one ``jinja2.Environment``."""

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.pop("OPTIONS", {}))
        super().__init__(params)
        self.context_processor_paths: list[str] = list(options.pop("context_processors", []))
        extra = {
            kind: dict(options.pop(kind, {}) or {}) for kind in ("globals", "filters", "tests")
        }
        environment = options.pop("environment", None)
        environment_cls = Environment if environment is None else _load(environment, "environment")
        options.setdefault("autoescape", True)
        options.setdefault("loader", jinja2.FileSystemLoader(self.template_dirs))
        options.setdefault("auto_reload", settings.DEBUG)
        options.setdefault(
            "undefined", jinja2.DebugUndefined if settings.DEBUG else jinja2.Undefined
        )
        self.env: jinja2.Environment = environment_cls(**options)
        self.env.globals.setdefault("url", url)
        self.env.globals.setdefault("static", static)
        for name, value in extra["globals"].items():
            self.env.globals[name] = _load(value, "globals")
        for name, value in extra["filters"].items():
            self.env.filters[name] = _load(value, "filters")
        for name, value in extra["tests"].items():
            self.env.tests[name] = _load(value, "tests")

    @cached_property
    def template_context_processors(self) -> list[Callable[[Any], dict[str, Any]]]:
        """The ``context_processors`` option, imported once."""
        return [_load(path, "context_processors") for path in self.context_processor_paths]

    def from_string(self, template_code: str) -> Template:
        """Compile ``template_code``."""
        try:
            return Template(self.env.from_string(template_code), self)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc

    def get_template(self, template_name: str) -> Template:
        """Load ``template_name`` from the loader (``DIRS``, then app folders)."""
        try:
            return Template(self.env.get_template(template_name), self)
        except jinja2.TemplateNotFound as exc:
            raise self.not_found(exc) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc

    def not_found(self, exc: jinja2.TemplateNotFound) -> TemplateDoesNotExist:
        """Turn Jinja2's error into ``TemplateDoesNotExist`` listing the paths tried."""
        name = str(exc.name or exc.message)
        tried: list[str] = []
        loader = self.env.loader
        if isinstance(loader, jinja2.FileSystemLoader):
            tried = [str(Path(d) / name) for d in loader.searchpath]
        return TemplateDoesNotExist(name, tried=tried, backend=self)


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateSyntaxError:
    where = exc.filename or exc.name or "<string>"
    return TemplateSyntaxError(f"{exc.message} ({where}, line {exc.lineno})")


class Template:
    """A compiled Jinja2 template with Django's ``render(context, request)``."""

    def __init__(self, template: jinja2.Template, backend: Jinja2) -> None:
        self.template = template
        self.backend = backend
        self.name = template.name
        self.filename = template.filename

    def make_context(
        self, context: dict[str, Any] | None, request: HttpRequest | None
    ) -> dict[str, Any]:
        """The variables the template sees: ``context`` plus the request's extras."""
        if request is None:
            return {} if context is None else context
        ctx = {} if context is None else dict(context)
        ctx["request"] = request
        ctx["csrf_input"] = csrf_input_lazy(request)
        ctx["csrf_token"] = csrf_token_lazy(request)
        for processor in self.backend.template_context_processors:
            ctx.update(processor(request))
        return ctx

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        """Render to a string (in an ``enable_async`` environment, off the loop thread)."""
        ctx = self.make_context(context, request)
        try:
            if not self.template.environment.is_async:
                return render(self.template, ctx)
            if in_event_loop_thread():
                raise SynchronousOnlyOperation(
                    "This Jinja2 environment has enable_async on: await render_async() "
                    "instead of calling render() on the event loop thread."
                )
            return run_sync(self.template.render_async(ctx))
        except jinja2.TemplateNotFound as exc:
            raise self.backend.not_found(exc) from exc

    async def render_async(
        self, context: dict[str, Any] | None = None, request: Any = None
    ) -> str:
        """Render on the event loop (Jinja2's async mode when enabled)."""
        ctx = self.make_context(context, request)
        try:
            if self.template.environment.is_async:
                return await self.template.render_async(ctx)
            return render(self.template, ctx)
        except jinja2.TemplateNotFound as exc:
            raise self.backend.not_found(exc) from exc


__all__ = ["Jinja2", "Template", "static", "url"]
