"""Starlette peer: routes, responses and Jinja2 templates as its docs show them.

Serve with `uvicorn benchmarks.peers.starlette_app:app`.
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from databases import Database
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

database = Database(os.environ.get("DATABASE_URL", "sqlite:///tfb.sqlite3"))
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
WORLD = "SELECT id, randomnumber FROM world WHERE id = :id"
UPDATE = "UPDATE world SET randomnumber = :randomnumber WHERE id = :id"


def queries_count(request: Request) -> int:
    """The `queries` parameter, clamped to 1..500."""
    try:
        return min(max(int(request.query_params.get("queries", "1")), 1), 500)
    except ValueError:
        return 1


async def fetch_world() -> dict[str, int]:
    """One random world, with TechEmpower's key names."""
    row = await database.fetch_one(WORLD, {"id": random.randint(1, 10000)})
    return {"id": row[0], "randomNumber": row[1]}  # type: ignore[index]


async def plaintext(request: Request) -> Response:
    return PlainTextResponse("Hello, World!")


async def json_view(request: Request) -> Response:
    return JSONResponse({"message": "Hello, World!"})


async def db(request: Request) -> Response:
    return JSONResponse(await fetch_world())


async def queries(request: Request) -> Response:
    return JSONResponse([await fetch_world() for _ in range(queries_count(request))])


async def updates(request: Request) -> Response:
    worlds = [await fetch_world() for _ in range(queries_count(request))]
    for world in worlds:
        world["randomNumber"] = random.randint(1, 10000)
    await database.execute_many(
        UPDATE, [{"id": w["id"], "randomnumber": w["randomNumber"]} for w in worlds]
    )
    return JSONResponse(worlds)


async def fortunes(request: Request) -> Response:
    found = await database.fetch_all("SELECT id, message FROM fortune")
    rows = [dict(row._mapping) for row in found]
    rows.append({"id": 0, "message": "Additional fortune added at request time."})
    rows.sort(key=lambda row: row["message"])
    return templates.TemplateResponse(request, "fortunes.html", {"fortunes": rows})


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    await database.connect()
    yield
    await database.disconnect()


app = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        Route("/json", json_view),
        Route("/db", db),
        Route("/queries", queries),
        Route("/updates", updates),
        Route("/fortunes", fortunes),
    ],
    lifespan=lifespan,
)
