"""A small urlconf for the hostile-request suite, on top of the example app's.

Every view that writes is CSRF-exempt so that a refused request is refused for
its bad input, never for a missing token; the example app's own routes follow.
"""

from __future__ import annotations

import asyncio
import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.models import Product
from app.urls import urlpatterns as app_patterns
from asgi_cycle.core.exceptions import BadRequest
from asgi_cycle.http import (
    FileResponse,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from asgi_cycle.urls import path
from asgi_cycle.utils.http import url_has_allowed_host_and_scheme
from asgi_cycle.views.decorators.csrf import csrf_exempt
from asgi_cycle.views.decorators.http import require_http_methods, require_POST


def _price(raw: str) -> Decimal:
    try:
        price = Decimal(raw)
    except InvalidOperation:
        raise BadRequest("price is not a number") from None
    if not price.is_finite() or not 0 <= price < Decimal("1e8"):
        raise BadRequest("price is out of range")
    return price.quantize(Decimal("0.01"))


@csrf_exempt
async def echo(request: Any) -> JsonResponse:
    """What the request looked like once parsed (query, form, files, host, headers)."""
    files = {
        name: [(f.name, f.size) for f in request.FILES.getlist(name)] for name in request.FILES
    }
    return JsonResponse(
        {
            "method": request.method,
            "path": request.path,
            "get": {k: request.GET.getlist(k) for k in request.GET},
            "post": {k: request.POST.getlist(k) for k in request.POST},
            "files": files,
            "host": request.get_host(),
            "absolute": request.build_absolute_uri("/x/"),
            "forwarded_proto": request.headers.get("X-Forwarded-Proto"),
            "secure": request.is_secure(),
            "accept_language": len(request.headers.get("Accept-Language", "")),
            "preferred": request.get_preferred_type(["text/html", "application/json"]),
            "cookies": len(request.COOKIES),
        }
    )


@csrf_exempt
@require_POST
async def create_from_form(request: Any) -> JsonResponse:
    """Create a product from a urlencoded or multipart form (name, price)."""
    name = request.POST.get("name", "")
    if not 0 < len(name) <= 100:
        raise BadRequest("name is missing or too long")
    product = await Product.objects.acreate(name=name, price=_price(request.POST.get("price", "")))
    return JsonResponse({"id": product.id}, status=201)


@csrf_exempt
@require_POST
async def create_from_json(request: Any) -> JsonResponse:
    """Create products from a JSON list of ``{"name", "price"}`` objects, all or none.

    Decision for BAD_INPUT 39/40: a body that is not JSON, is nested too deeply
    for the parser (``RecursionError``) or has the wrong media type is the
    client's fault, so it is a ``BadRequest`` (400), never a 500.
    """
    if request.content_type != "application/json":
        raise BadRequest("expected application/json")
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise BadRequest("expected a list of objects")
    created = []
    from asgi_cycle.db import transaction

    async with transaction.atomic():
        for row in data:
            name = row.get("name")
            if not isinstance(name, str) or not 0 < len(name) <= 100:
                raise BadRequest("name is missing or too long")
            product = await Product.objects.acreate(name=name, price=_price(str(row.get("price"))))
            created.append(product.id)
    return JsonResponse({"ids": created}, status=201)


async def redirect_next(request: Any) -> HttpResponseRedirect:
    """Redirect to the user-supplied ``next`` as it is (rows 21, 22: the response refuses
    unsafe schemes itself)."""
    return HttpResponseRedirect(request.GET.get("next", "/"))


async def safe_redirect_next(request: Any) -> HttpResponseRedirect:
    """Redirect to ``next`` only if it stays on this site, else to ``/`` (row 22)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


async def set_header(request: Any) -> HttpResponse:
    """Put the user-supplied ``v`` into a response header (row 23)."""
    response = HttpResponse("header")
    response["X-Echo"] = request.GET.get("v", "")
    return response


async def set_cookie(request: Any) -> HttpResponse:
    """Put the user-supplied ``v`` into a cookie (row 23)."""
    response = HttpResponse("cookie")
    response.set_cookie("c", request.GET.get("v", ""))
    return response


async def download(request: Any) -> FileResponse:
    """A download whose file name comes from the query string (row 45)."""
    import io

    name = request.GET.get("name", "report.txt")
    return FileResponse(io.BytesIO(b"file body"), as_attachment=True, filename=name)


#: The streaming view appends "closed <pid>" here when its generator is closed (row 37).
STREAM_EVENTS = "BAD_INPUT_STREAM_EVENTS"


def _record_closed() -> None:
    events = os.environ.get(STREAM_EVENTS)
    if events:
        with Path(events).open("a") as file:
            file.write(f"closed {os.getpid()}\n")


async def endless_stream(request: Any) -> StreamingHttpResponse:
    """An endless stream that records, in a file, that it was closed (row 37)."""

    async def chunks() -> Any:
        try:
            while True:
                yield b"x" * 1024
                await asyncio.sleep(0.01)
        finally:
            _record_closed()

    return StreamingHttpResponse(chunks(), content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
async def get_or_post(request: Any) -> HttpResponse:
    """Answers GET and POST only (row 24: any other method is 405 with Allow)."""
    return HttpResponse(request.method)


urlpatterns = [
    path("bad/echo/", echo),
    path("bad/form/", create_from_form),
    path("bad/json/", create_from_json),
    path("bad/next/", redirect_next),
    path("bad/safe-next/", safe_redirect_next),
    path("bad/header/", set_header),
    path("bad/cookie/", set_cookie),
    path("bad/download/", download),
    path("bad/stream/", endless_stream),
    path("bad/methods/", get_or_post),
    *app_patterns,
]
