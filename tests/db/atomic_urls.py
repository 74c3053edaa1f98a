"""Views for the ATOMIC_REQUESTS tests: each writes a row, some then fail."""

from __future__ import annotations

from asgi_cycle.db import connections
from asgi_cycle.db.transaction import non_atomic_requests
from asgi_cycle.http import HttpRequest, HttpResponse
from asgi_cycle.urls import path
from asgi_cycle.utils.asyncio import run_sync


class Boom(Exception):
    pass


INSERT = "INSERT INTO hits (label) VALUES (:label)"


def sync_write(request: HttpRequest, fail: int) -> HttpResponse:
    run_sync(connections["default"].execute(INSERT, {"label": "sync"}))
    if fail:
        raise Boom("after the write")
    return HttpResponse("ok")


async def async_write(request: HttpRequest, fail: int) -> HttpResponse:
    await connections["default"].execute(INSERT, {"label": "async"})
    if fail:
        raise Boom("after the write")
    return HttpResponse("ok")


@non_atomic_requests
async def non_atomic_write(request: HttpRequest) -> HttpResponse:
    await connections["default"].execute(INSERT, {"label": "non-atomic"})
    raise Boom("after the write")


async def create(request: HttpRequest) -> HttpResponse:
    new_id = await connections["default"].execute(
        "INSERT INTO hits (label) VALUES (:label) RETURNING id", {"label": "create"}
    )
    return HttpResponse(str(new_id), status=201)


urlpatterns = [
    path("sync/<int:fail>/", sync_write),
    path("async/<int:fail>/", async_write),
    path("non-atomic/", non_atomic_write),
    path("create/", create),
]
