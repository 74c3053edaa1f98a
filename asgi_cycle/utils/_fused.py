"""MiddlewareMixin layers run as few coroutines as possible, with Django's semantics.

In the onion every layer is ``convert_exception_to_response(middleware)``: the
middleware's ``__acall__`` (``process_request``, ``get_response``,
``process_response``) inside a wrapper that turns an exception into a
response. Written out, each layer costs two coroutines and a ``__call__``.

Theory of operation:

- ``fuse_layer`` makes one coroutine of one layer: ``__acall__``'s body inside
  the wrapper's ``try``. Any hook kind works (inline, async, in a thread).
- ``flatten`` makes one coroutine of a run of neighbouring layers whose hooks
  are plain functions called inline (``nonblocking_hooks``) or absent: a loop
  over ``process_request`` outside-in, the inner handler, then a loop over
  ``process_response`` back out. Each fused coroutine carries its run
  (``_flat_layers``, ``_flat_inner``), so the layer outside it extends the run
  instead of awaiting it.

The flat loop keeps what the nested layers did, layer by layer:

- a ``process_request`` that returns a truthy response skips the layers inside
  and the handler; its own ``process_response`` and the outer ones still run;
- an exception in layer *i* (either hook, or the handler below the innermost
  layer) becomes the response through ``on_exception``; layer *i*'s own
  ``process_response`` is skipped (the exception left its ``__acall__``) and
  the layers outside it get the response.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

Handler = Callable[["HttpRequest"], Awaitable["HttpResponseBase"]]
OnException = Callable[["HttpRequest", Exception], Awaitable["HttpResponseBase"]]
#: (process_request or None, process_response or None) of one layer, called inline.
Layer = tuple[Callable[..., Any] | None, Callable[..., Any] | None]


def fuse_layer(
    get_response: Handler,
    request_hook: Callable[..., Any] | None,
    arequest_hook: Callable[..., Awaitable[Any]] | None,
    response_hook: Callable[..., Any] | None,
    aresponse_hook: Callable[..., Awaitable[Any]] | None,
    on_exception: OnException,
) -> Handler:
    """One layer (hooks of any kind) and its exception wrapper as one coroutine."""

    async def fused(request: HttpRequest) -> HttpResponseBase:
        try:
            response = None
            if request_hook is not None:
                response = request_hook(request)
            elif arequest_hook is not None:
                response = await arequest_hook(request)
            response = response or await get_response(request)
            if response_hook is not None:
                response = response_hook(request, response)
            elif aresponse_hook is not None:
                response = await aresponse_hook(request, response)
            return response
        except Exception as exc:
            return await on_exception(request, exc)

    return fused


def flatten(layer: Layer, get_response: Handler, on_exception: OnException) -> Handler:
    """``layer`` over ``get_response`` as one coroutine, absorbing a flat run below it."""
    layers = [layer]
    inner: Handler = get_response
    below: list[Layer] | None = getattr(get_response, "_flat_layers", None)
    if below is not None and getattr(get_response, "_flat_on_exception", None) is on_exception:
        layers += below
        inner = get_response._flat_inner  # type: ignore[attr-defined]
    flat = _flat_chain(layers, inner, on_exception)
    flat._flat_layers = layers  # type: ignore[attr-defined]
    flat._flat_inner = inner  # type: ignore[attr-defined]
    flat._flat_on_exception = on_exception  # type: ignore[attr-defined]
    return flat


def _flat_chain(layers: list[Layer], inner: Handler, on_exception: OnException) -> Handler:
    count = len(layers)
    befores = [(index, before) for index, (before, _) in enumerate(layers) if before is not None]
    # afters_below[k]: the process_response hooks of layers k-1 ... 0, innermost first.
    afters_below = [
        [after for _, after in reversed(layers[:k]) if after is not None] for k in range(count + 1)
    ]

    async def flat(request: HttpRequest) -> HttpResponseBase:
        response: Any = None
        start = count
        for index, before in befores:
            try:
                response = before(request)
            except Exception as exc:
                response = await on_exception(request, exc)
                start = index  # this layer's process_response is skipped
                break
            if response:
                start = index + 1
                break
        else:
            try:
                response = await inner(request)
            except Exception as exc:
                response = await on_exception(request, exc)
                start = count - 1
        for after in afters_below[start]:
            try:
                response = after(request, response)
            except Exception as exc:
                response = await on_exception(request, exc)
        return response  # type: ignore[no-any-return]

    return flat


__all__ = ["Layer", "flatten", "fuse_layer"]
