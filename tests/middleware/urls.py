"""Views and URLs for the end-to-end middleware tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from asgi_cycle.http import HttpResponse, JsonResponse, StreamingHttpResponse
from asgi_cycle.middleware.csrf import get_token, rotate_token
from asgi_cycle.urls import path

BIG = b"asgi_cycle middleware " * 60


def product(request, id):
    return HttpResponse(f"product {id}")


async def form(request):
    return HttpResponse(f"posted {request.POST.get('name', '')}")


async def exempt(request):
    return HttpResponse("exempt ok")


exempt.csrf_exempt = True  # type: ignore[attr-defined]


async def token(request):
    return HttpResponse(get_token(request))


async def rotate(request):
    rotate_token(request)
    return HttpResponse("rotated")


def big(request):
    return HttpResponse(BIG, content_type="text/plain")


def stream(request):
    return StreamingHttpResponse(BIG[i : i + 100] for i in range(0, len(BIG), 100))


async def _achunks() -> AsyncIterator[bytes]:
    for i in range(0, len(BIG), 100):
        await asyncio.sleep(0)
        yield BIG[i : i + 100]


async def astream(request):
    return StreamingHttpResponse(_achunks())


async def session_set(request):
    for key, value in request.GET.items():
        await request.session.aset(key, value)
    return HttpResponse("set")


def session_get(request):
    return JsonResponse(dict(request.session.items()))


async def session_flush(request):
    await request.session.aflush()
    return HttpResponse("flushed")


def session_cycle(request):
    request.session.cycle_key()
    return HttpResponse("cycled")


async def untouched(request):
    return HttpResponse("untouched")


def nostore(request):
    response = HttpResponse(BIG)
    response["Cache-Control"] = "no-store"
    return response


def last_modified(request):
    response = HttpResponse("dated")
    response["Last-Modified"] = "Mon, 02 Jan 2023 00:00:00 GMT"
    return response


def framed(request):
    response = HttpResponse("frame me")
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    return response


def boom(request):
    request.session["lost"] = "yes"
    return HttpResponse("boom", status=500)


urlpatterns = [
    path("products/<int:id>/", product),
    path("form/", form),
    path("exempt/", exempt),
    path("token/", token),
    path("rotate/", rotate),
    path("big/", big),
    path("stream/", stream),
    path("astream/", astream),
    path("session/set/", session_set),
    path("session/get/", session_get),
    path("session/flush/", session_flush),
    path("session/cycle/", session_cycle),
    path("untouched/", untouched),
    path("nostore/", nostore),
    path("last-modified/", last_modified),
    path("framed/", framed),
    path("boom/", boom),
]
