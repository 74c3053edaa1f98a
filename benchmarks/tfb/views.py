"""The six TechEmpower test types as async views."""

from __future__ import annotations

from random import randint

from asgi_cycle.db import transaction
from asgi_cycle.http import HttpRequest, HttpResponse, JsonResponse
from asgi_cycle.shortcuts import render

from .models import Fortune, World


def _queries(request: HttpRequest) -> int:
    """The `queries` parameter, clamped to 1..500 (1 when it is not a number)."""
    try:
        return min(max(int(request.GET.get("queries", "1")), 1), 500)
    except ValueError:
        return 1


def _as_json(world: World) -> dict[str, int]:
    return {"id": world.id, "randomNumber": world.randomnumber}


async def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


async def json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


async def db(request: HttpRequest) -> HttpResponse:
    world = await World.objects.aget(id=randint(1, 10000))
    return JsonResponse(_as_json(world))


async def queries(request: HttpRequest) -> HttpResponse:
    worlds = [await World.objects.aget(id=randint(1, 10000)) for _ in range(_queries(request))]
    return JsonResponse([_as_json(world) for world in worlds], safe=False)


async def fortunes(request: HttpRequest) -> HttpResponse:
    fortunes = [fortune async for fortune in Fortune.objects.all()]
    fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
    fortunes.sort(key=lambda fortune: fortune.message)
    return render(request, "fortunes.html", {"fortunes": fortunes})


async def updates(request: HttpRequest) -> HttpResponse:
    worlds = [await World.objects.aget(id=randint(1, 10000)) for _ in range(_queries(request))]
    async with transaction.atomic():
        for world in worlds:
            world.randomnumber = randint(1, 10000)
            await world.asave(update_fields=["randomnumber"])
    return JsonResponse([_as_json(world) for world in worlds], safe=False)
