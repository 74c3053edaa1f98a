"""Endpoints for the scenario suite: one per kind of request/response worth comparing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from asgi_cycle.core.exceptions import BadRequest, PermissionDenied
from asgi_cycle.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from asgi_cycle.urls import path
from asgi_cycle.views.decorators.csrf import csrf_exempt
from asgi_cycle.views.decorators.http import require_http_methods

STATIC = Path(__file__).resolve().parent / "static"


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, cycle!\n", content_type="text/plain")


@csrf_exempt
def echo(request: HttpRequest) -> JsonResponse:
    """What the view saw: method, query, headers of interest, body and form."""
    files = {
        name: [f.name, f.size, f.content_type, f.read().decode(errors="replace")]
        for name, f in request.FILES.items()
    }
    return JsonResponse(
        {
            "method": request.method,
            "path": request.path,
            "full_path": request.get_full_path(),
            "GET": {k: request.GET.getlist(k) for k in request.GET},
            "POST": {k: request.POST.getlist(k) for k in request.POST},
            "FILES": files,
            "content_type": request.content_type,
            # Django refuses .body once a multipart stream was parsed.
            "body_length": None if files else len(request.body),
            "x_custom": request.headers.get("X-Custom"),
            "host": request.get_host(),
            "secure": request.is_secure(),
        }
    )


@csrf_exempt
@require_http_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def methods(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.method} ok", content_type="text/plain")


def form(request: HttpRequest) -> HttpResponse:
    """Accepts POST only with a valid CSRF token (the middleware enforces it)."""
    return HttpResponse("accepted", content_type="text/plain")


def status(request: HttpRequest, code: int) -> HttpResponse:
    return HttpResponse(b"" if code in (204, 304) else f"status {code}".encode(), status=code)


def set_cookies(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("cookies set")
    response.set_cookie("plain", "value one", max_age=3600, path="/", samesite="Lax")
    response.set_cookie("flags", "x", httponly=True, secure=True)
    response.set_signed_cookie("signed", "payload", salt="s")
    return response


def show_cookies(request: HttpRequest) -> JsonResponse:
    # Signed values carry a timestamp: show names, the plain value and what was signed.
    return JsonResponse(
        {
            "names": sorted(request.COOKIES),
            "plain": request.COOKIES.get("plain"),
            "signed": request.get_signed_cookie("signed", default=None, salt="s"),
        }
    )


def delete_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("deleted")
    response.delete_cookie("plain")
    return response


def session_count(request: HttpRequest) -> JsonResponse:
    session = request.session  # type: ignore[attr-defined]  # set by SessionMiddleware
    count = session.get("count", 0) + 1
    session["count"] = count
    return JsonResponse({"count": count})


def stream(request: HttpRequest) -> StreamingHttpResponse:
    def lines() -> Iterator[bytes]:
        for i in range(5):
            yield f"line {i}\n".encode()

    return StreamingHttpResponse(lines(), content_type="text/plain")


def astream(request: HttpRequest) -> StreamingHttpResponse:
    async def lines() -> AsyncIterator[bytes]:
        for i in range(5):
            await asyncio.sleep(0)
            yield f"async line {i}\n".encode()

    return StreamingHttpResponse(lines(), content_type="text/plain")


def file(request: HttpRequest) -> FileResponse:
    return FileResponse((STATIC / "site.css").open("rb"), content_type="text/css")


def error(request: HttpRequest) -> HttpResponse:
    raise ValueError("scenario error")


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404("no such thing")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("bad scenario")


def redirect(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect("/echo/?from=redirect")


def redirect_permanent(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect("/hello/")


async def async_json(request: HttpRequest) -> JsonResponse:
    await asyncio.sleep(0)
    data: dict[str, Any] = {"message": "Hello, World!", "unicode": "café ☕", "n": [1, 2.5, None]}
    return JsonResponse(data)


def unicode_path(request: HttpRequest, word: str) -> HttpResponse:
    return HttpResponse(json.dumps({"word": word}), content_type="application/json")


urlpatterns = [
    path("hello/", hello),
    path("echo/", echo),
    path("methods/", methods),
    path("form/", form),
    path("status/<int:code>/", status),
    path("cookies/set/", set_cookies),
    path("cookies/", show_cookies),
    path("cookies/delete/", delete_cookie),
    path("session/", session_count),
    path("stream/", stream),
    path("astream/", astream),
    path("file/", file),
    path("error/", error),
    path("missing/", not_found),
    path("forbidden/", forbidden),
    path("bad/", bad),
    path("redirect/", redirect),
    path("redirect-permanent/", redirect_permanent),
    path("json/", async_json),
    path("word/<str:word>/", unicode_path),
]
