"""FastAPI peer: typed path operations and dependency-free handlers, as its docs show.

Serve with `uvicorn benchmarks.peers.fastapi_app:app`.
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from databases import Database
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates

database = Database(os.environ.get("DATABASE_URL", "sqlite:///tfb.sqlite3"))
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
WORLD = "SELECT id, randomnumber FROM world WHERE id = :id"
UPDATE = "UPDATE world SET randomnumber = :randomnumber WHERE id = :id"


def clamp(queries: str) -> int:
    """The `queries` parameter, clamped to 1..500."""
    try:
        return min(max(int(queries), 1), 500)
    except ValueError:
        return 1


async def fetch_world() -> dict[str, int]:
    """One random world, with TechEmpower's key names."""
    row = await database.fetch_one(WORLD, {"id": random.randint(1, 10000)})
    return {"id": row[0], "randomNumber": row[1]}  # type: ignore[index]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await database.connect()
    yield
    await database.disconnect()


app = FastAPI(lifespan=lifespan, openapi_url=None)


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext() -> str:
    return "Hello, World!"


@app.get("/json")
async def json_view() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/db")
async def db() -> dict[str, int]:
    return await fetch_world()


@app.get("/queries")
async def queries(queries: str = "1") -> list[dict[str, int]]:
    return [await fetch_world() for _ in range(clamp(queries))]


@app.get("/updates")
async def updates(queries: str = "1") -> list[dict[str, int]]:
    worlds = [await fetch_world() for _ in range(clamp(queries))]
    for world in worlds:
        world["randomNumber"] = random.randint(1, 10000)
    await database.execute_many(
        UPDATE, [{"id": w["id"], "randomnumber": w["randomNumber"]} for w in worlds]
    )
    return worlds


@app.get("/fortunes", response_class=HTMLResponse)
async def fortunes(request: Request) -> HTMLResponse:
    found = await database.fetch_all("SELECT id, message FROM fortune")
    rows = [dict(row._mapping) for row in found]
    rows.append({"id": 0, "message": "Additional fortune added at request time."})
    rows.sort(key=lambda row: row["message"])
    return templates.TemplateResponse(request, "fortunes.html", {"fortunes": rows})
