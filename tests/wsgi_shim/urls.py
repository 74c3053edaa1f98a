"""Views for the shim's tests through the project's own handler."""

from __future__ import annotations

from collections.abc import Iterator

from asgi_cycle.http import HttpRequest, HttpResponse, StreamingHttpResponse
from asgi_cycle.urls import path
from asgi_cycle.views.decorators.csrf import csrf_exempt


@csrf_exempt
def size(request: HttpRequest) -> HttpResponse:
    """The body's length."""
    return HttpResponse(str(len(request.body)))


def broken_stream(request: HttpRequest) -> StreamingHttpResponse:
    """A stream that fails before its first chunk (after the handler sent the headers)."""

    def chunks() -> Iterator[bytes]:
        raise ValueError("stream broke")
        yield b""  # pragma: no cover

    return StreamingHttpResponse(chunks())


urlpatterns = [path("size/", size), path("broken-stream/", broken_stream)]
