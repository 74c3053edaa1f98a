"""The six tests as Django views: `a_*` async (Uvicorn), `s_*` sync (Gunicorn)."""

from __future__ import annotations

import random

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .models import Fortune, World

EXTRA = "Additional fortune added at request time."


def _count(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("queries", "1")), 1), 500)
    except ValueError:
        return 1


def _as_json(world: World) -> dict[str, int]:
    return {"id": world.id, "randomNumber": world.randomnumber}


def _sorted_with_extra(fortunes: list[Fortune]) -> list[Fortune]:
    fortunes.append(Fortune(id=0, message=EXTRA))
    fortunes.sort(key=lambda fortune: fortune.message)
    return fortunes


def s_plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


def s_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


async def a_plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


async def a_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


async def a_db(request: HttpRequest) -> HttpResponse:
    world = await World.objects.aget(id=random.randint(1, 10000))
    return JsonResponse(_as_json(world))


async def a_queries(request: HttpRequest) -> HttpResponse:
    ids = [random.randint(1, 10000) for _ in range(_count(request))]
    worlds = [_as_json(await World.objects.aget(id=i)) for i in ids]
    return JsonResponse(worlds, safe=False)


async def a_updates(request: HttpRequest) -> HttpResponse:
    ids = [random.randint(1, 10000) for _ in range(_count(request))]
    worlds = [await World.objects.aget(id=i) for i in ids]
    for world in worlds:
        world.randomnumber = random.randint(1, 10000)
    await World.objects.abulk_update(worlds, ["randomnumber"])
    return JsonResponse([_as_json(w) for w in worlds], safe=False)


async def a_fortunes(request: HttpRequest) -> HttpResponse:
    fortunes = _sorted_with_extra([f async for f in Fortune.objects.all()])
    return render(request, "fortunes.html", {"fortunes": fortunes})


def s_db(request: HttpRequest) -> HttpResponse:
    world = World.objects.get(id=random.randint(1, 10000))
    return JsonResponse(_as_json(world))


def s_queries(request: HttpRequest) -> HttpResponse:
    worlds = [World.objects.get(id=random.randint(1, 10000)) for _ in range(_count(request))]
    return JsonResponse([_as_json(w) for w in worlds], safe=False)


def s_updates(request: HttpRequest) -> HttpResponse:
    worlds = [World.objects.get(id=random.randint(1, 10000)) for _ in range(_count(request))]
    for world in worlds:
        world.randomnumber = random.randint(1, 10000)
    World.objects.bulk_update(worlds, ["randomnumber"])
    return JsonResponse([_as_json(w) for w in worlds], safe=False)


def s_fortunes(request: HttpRequest) -> HttpResponse:
    fortunes = _sorted_with_extra(list(Fortune.objects.all()))
    return render(request, "fortunes.html", {"fortunes": fortunes})
