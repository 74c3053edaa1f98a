"""Shortcuts a view reaches for: ``render``, ``redirect`` and the ``*_or_404`` helpers.

``klass`` in the ``*_or_404`` helpers is a model class, a manager or a queryset,
as in Django; the sync ones suit sync views (in a worker thread), the ``a``
twins suit async views (on the event loop).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asgi_cycle.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from asgi_cycle.template import loader
from asgi_cycle.urls import NoReverseMatch, reverse


def render(
    request: HttpRequest,
    template_name: str | Sequence[str],
    context: dict[str, Any] | None = None,
    content_type: str | None = None,
    status: int | None = None,
    using: str | None = None,
) -> HttpResponse:
    """Render ``template_name`` with ``context`` (and the request) into an ``HttpResponse``."""
    content = loader.render_to_string(template_name, context, request, using=using)
    return HttpResponse(content, content_type, status)


def redirect(
    to: Any, *args: Any, permanent: bool = False, **kwargs: Any
) -> HttpResponseRedirect | HttpResponsePermanentRedirect:
    """Redirect (302, or 301 when ``permanent``) to ``resolve_url(to, *args, **kwargs)``."""
    cls = HttpResponsePermanentRedirect if permanent else HttpResponseRedirect
    return cls(resolve_url(to, *args, **kwargs))


def resolve_url(to: Any, *args: Any, **kwargs: Any) -> str:
    """A URL for ``to``: a model's ``get_absolute_url()``, a view name or view, or a URL.

    Raises:
        NoReverseMatch: ``to`` is a view (or looks like a view name) that does not reverse.
    """
    if hasattr(to, "get_absolute_url"):
        return str(to.get_absolute_url())
    if not isinstance(to, str) and not callable(to):
        to = str(to)  # reverse_lazy() and other lazy text
    if isinstance(to, str) and to.startswith(("./", "../")):
        return to  # relative URLs are never view names
    try:
        return str(reverse(to, args=args, kwargs=kwargs))
    except NoReverseMatch:
        if callable(to):
            raise
        # Neither a path nor a dotted name: a misspelt view name, so say so.
        if "/" not in to and "." not in to:
            raise
    return str(to)


def _get_queryset(klass: Any) -> Any:
    # A model class goes through its default manager; managers and querysets as they are.
    if hasattr(klass, "_default_manager"):
        return klass._default_manager.all()
    return klass


def _check(queryset: Any, klass: Any, method: str, caller: str) -> None:
    if not hasattr(queryset, method):
        name = klass.__name__ if isinstance(klass, type) else type(klass).__name__
        raise ValueError(
            f"First argument to {caller}() must be a Model, Manager, or QuerySet, not '{name}'."
        )


def _not_found(queryset: Any) -> Http404:
    return Http404(f"No {queryset.model._meta.object_name} matches the given query.")


def get_object_or_404(klass: Any, *args: Any, **kwargs: Any) -> Any:
    """``klass.get(*args, **kwargs)``, raising ``Http404`` instead of ``DoesNotExist``."""
    queryset = _get_queryset(klass)
    _check(queryset, klass, "get", "get_object_or_404")
    try:
        return queryset.get(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise _not_found(queryset) from None


async def aget_object_or_404(klass: Any, *args: Any, **kwargs: Any) -> Any:
    """The async twin of ``get_object_or_404`` (``aget``)."""
    queryset = _get_queryset(klass)
    _check(queryset, klass, "aget", "aget_object_or_404")
    try:
        return await queryset.aget(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise _not_found(queryset) from None


def get_list_or_404(klass: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """``list(klass.filter(*args, **kwargs))``, raising ``Http404`` when it is empty."""
    queryset = _get_queryset(klass)
    _check(queryset, klass, "filter", "get_list_or_404")
    objects = list(queryset.filter(*args, **kwargs))
    if not objects:
        raise _not_found(queryset)
    return objects


async def aget_list_or_404(klass: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """The async twin of ``get_list_or_404`` (``async for``)."""
    queryset = _get_queryset(klass)
    _check(queryset, klass, "filter", "aget_list_or_404")
    objects = [obj async for obj in queryset.filter(*args, **kwargs)]
    if not objects:
        raise _not_found(queryset)
    return objects


__all__ = [
    "aget_list_or_404",
    "aget_object_or_404",
    "get_list_or_404",
    "get_object_or_404",
    "redirect",
    "render",
    "resolve_url",
]
