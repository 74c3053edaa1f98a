"""Views and URLconf for tests/core/test_handler.py."""

import threading

from asgi_cycle.core.exceptions import (
    BadRequest,
    DisallowedHost,
    PermissionDenied,
    SuspiciousOperation,
)
from asgi_cycle.http import Http404, HttpResponse, StreamingHttpResponse
from asgi_cycle.template.response import TemplateResponse
from asgi_cycle.urls import path, reverse

events: list[str] = []
threads: dict[str, int] = {}


async def async_view(request):
    events.append("view")
    threads["view"] = threading.get_ident()
    return HttpResponse("async view")


def sync_view(request):
    events.append("view")
    threads["view"] = threading.get_ident()
    return HttpResponse("sync view")


def converted(request, id, slug):
    return HttpResponse(f"{type(id).__name__}:{id} {slug}")


def raise_404(request):
    raise Http404("no such thing SECRET-DETAIL")


def raise_403(request):
    raise PermissionDenied("SECRET-DETAIL")


def raise_400(request):
    raise BadRequest("SECRET-DETAIL")


def raise_suspicious(request):
    raise SuspiciousOperation("SECRET-DETAIL")


def raise_disallowed_host(request):
    raise DisallowedHost("SECRET-DETAIL")


async def raise_500(request):
    raise ValueError("SECRET-DETAIL")


def returns_none(request):
    return None


def template_response(request):
    return TemplateResponse(request, "hello.html", {"name": "view"})


def echo_body(request):
    return HttpResponse(request.body)


def echo_form(request):
    return HttpResponse(",".join(f"{k}={v}" for k, v in sorted(request.POST.items())))


async def stream_async(request):
    async def chunks():
        for i in range(3):
            yield f"chunk{i};"

    return StreamingHttpResponse(chunks())


def stream_sync(request):
    return StreamingHttpResponse(f"part{i};" for i in range(3))


def where(request):
    return HttpResponse(f"{request.path} {request.path_info} {reverse('where')}")


def read_meta(request):
    return HttpResponse(request.META.get("HTTP_X_LONG", ""))


urlpatterns = [
    path("meta/", read_meta),
    path("where/", where, name="where"),
    path("async/", async_view),
    path("sync/", sync_view),
    path("convert/<int:id>/<slug:slug>/", converted),
    path("404/", raise_404),
    path("403/", raise_403),
    path("400/", raise_400),
    path("suspicious/", raise_suspicious),
    path("host/", raise_disallowed_host),
    path("500/", raise_500),
    path("none/", returns_none),
    path("template/", template_response),
    path("echo/", echo_body),
    path("form/", echo_form),
    path("stream-async/", stream_async),
    path("stream-sync/", stream_sync),
]
