"""Lazy template responses: rendered after the view, once middleware had their say.

Theory of operation: the view returns a ``TemplateResponse`` holding only a
template name and a context. ``process_template_response`` hooks may change
either; the handler then calls ``render()`` (or awaits ``arender()``), which
loads the template, renders it, stores the bytes as ``content`` and runs the
post-render callbacks. Rendering happens once: a second ``render()`` is a no-op,
and setting ``content`` by hand counts as rendering. Reading ``content`` (or
iterating) before that raises ``ContentNotRenderedError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from asgi_cycle.http import HttpResponse
from asgi_cycle.template.exceptions import ContentNotRenderedError
from asgi_cycle.template.loader import get_template, select_template

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest
    from asgi_cycle.template.backends.base import BackendTemplate

PostRenderCallback = Callable[[Any], Any]


class SimpleTemplateResponse(HttpResponse):
    """A response whose body is a template rendered with ``context_data``, later."""

    rendering_attrs = ["template_name", "context_data", "_post_render_callbacks"]

    def __init__(
        self,
        template: str | Sequence[str] | BackendTemplate,
        context: dict[str, Any] | None = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        using: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.template_name = template
        self.context_data = context
        self.using = using
        self._post_render_callbacks: list[PostRenderCallback] = []
        self._request: HttpRequest | None = None
        super().__init__(b"", content_type, status, charset=charset, headers=headers)
        # The base class stored the empty body through the content setter.
        self._is_rendered = False

    def resolve_template(self, template: str | Sequence[str] | BackendTemplate) -> BackendTemplate:
        """A template object from a name, a list of names, or a template."""
        if isinstance(template, list | tuple):
            return select_template(template, using=self.using)
        if isinstance(template, str):
            return get_template(template, using=self.using)
        return template  # type: ignore[return-value]

    def resolve_context(self, context: dict[str, Any] | None) -> dict[str, Any] | None:
        """The context handed to the template (a hook for subclasses)."""
        return context

    @property
    def rendered_content(self) -> str:
        """Render now with the current template and context; does not store the result."""
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        return template.render(context, self._request)

    async def arendered_content(self) -> str:
        """``rendered_content`` rendered on the event loop (async Jinja2 when enabled)."""
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        render_async = getattr(template, "render_async", None)
        if render_async is None:
            return template.render(context, self._request)
        return await render_async(context, self._request)  # type: ignore[no-any-return]

    def add_post_render_callback(self, callback: PostRenderCallback) -> None:
        """Run ``callback(response)`` after rendering (now, if already rendered)."""
        if self._is_rendered:
            callback(self)
        else:
            self._post_render_callbacks.append(callback)

    def render(self) -> Any:
        """Render once, store the content, run the callbacks; return the final response."""
        if self._is_rendered:
            return self
        self.content = self.rendered_content
        return self._run_callbacks()

    async def arender(self) -> Any:
        """``render()`` on the event loop: for async templates and async views."""
        if self._is_rendered:
            return self
        self.content = await self.arendered_content()
        return self._run_callbacks()

    def _run_callbacks(self) -> Any:
        response: Any = self
        for callback in self._post_render_callbacks:
            replaced = callback(response)
            if replaced is not None:
                response = replaced
        return response

    @property
    def is_rendered(self) -> bool:
        """Whether ``content`` holds the rendered body."""
        return self._is_rendered

    def __iter__(self) -> Iterator[bytes]:
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be iterated over."
            )
        return super().__iter__()

    @property
    def content(self) -> bytes:
        """The rendered body; raises ``ContentNotRenderedError`` before ``render()``."""
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be accessed."
            )
        return HttpResponse.content.fget(self)  # type: ignore[attr-defined,no-any-return]

    @content.setter
    def content(self, value: Any) -> None:
        HttpResponse.content.fset(self, value)  # type: ignore[attr-defined]
        self._is_rendered = True


class TemplateResponse(SimpleTemplateResponse):
    """A ``SimpleTemplateResponse`` that renders with the request (context processors, CSRF)."""

    rendering_attrs = [*SimpleTemplateResponse.rendering_attrs, "_request"]

    def __init__(
        self,
        request: HttpRequest,
        template: str | Sequence[str] | BackendTemplate,
        context: dict[str, Any] | None = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        using: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(template, context, content_type, status, charset, using, headers)
        self._request = request


__all__ = ["ContentNotRenderedError", "SimpleTemplateResponse", "TemplateResponse"]
