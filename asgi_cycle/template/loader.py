"""Find and render templates across every configured engine (Django's ``loader``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from asgi_cycle.core.tracing import current_trace, span
from asgi_cycle.template.exceptions import TemplateDoesNotExist
from asgi_cycle.template.utils import engines

if TYPE_CHECKING:
    from asgi_cycle.template.backends.base import BackendTemplate, BaseEngine


def _engine_list(using: str | None = None) -> list[BaseEngine]:
    return engines.all() if using is None else [engines[using]]


def get_template(template_name: str, using: str | None = None) -> BackendTemplate:
    """Load ``template_name`` from the first engine that has it.

    Raises:
        TemplateDoesNotExist: no engine has it; ``tried`` lists the paths looked at.
    """
    chain: list[TemplateDoesNotExist] = []
    for engine in _engine_list(using):
        try:
            return engine.get_template(template_name)
        except TemplateDoesNotExist as exc:
            chain.append(exc)
    raise TemplateDoesNotExist(template_name, chain=chain)


def select_template(
    template_name_list: Sequence[str], using: str | None = None
) -> BackendTemplate:
    """Load the first of ``template_name_list`` that any engine has."""
    if isinstance(template_name_list, str):
        raise TypeError(
            "select_template() takes an iterable of template names but got a string: "
            f"{template_name_list!r}. Use get_template() if you want to load a single template "
            "by name."
        )
    chain: list[TemplateDoesNotExist] = []
    engine_list = _engine_list(using)
    for template_name in template_name_list:
        for engine in engine_list:
            try:
                return engine.get_template(template_name)
            except TemplateDoesNotExist as exc:
                chain.append(exc)
    if template_name_list:
        raise TemplateDoesNotExist(", ".join(template_name_list), chain=chain)
    raise TemplateDoesNotExist("No template names provided")


def render_to_string(
    template_name: str | Sequence[str],
    context: dict[str, Any] | None = None,
    request: Any = None,
    using: str | None = None,
) -> str:
    """Load a template (or the first of a list) and render it with ``context``.

    With tracing on, the load and render are one ``template`` span of the request
    (``render()`` in a view shows up in Server-Timing and ``/__cycle__/``). A
    ``TemplateResponse`` does not come through here: the handler times its render.
    """
    if current_trace.get() is None:
        return _render(template_name, context, request, using)
    name = template_name if isinstance(template_name, str) else ", ".join(template_name)
    with span("template", name):
        return _render(template_name, context, request, using)


def _render(
    template_name: str | Sequence[str],
    context: dict[str, Any] | None,
    request: Any,
    using: str | None,
) -> str:
    if type(template_name) is not str and isinstance(template_name, list | tuple):
        template = select_template(template_name, using=using)
    else:
        template = get_template(template_name, using=using)  # type: ignore[arg-type]
    return template.render(context, request)


__all__ = ["get_template", "render_to_string", "select_template"]
