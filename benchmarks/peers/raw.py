"""The limit: a bare ASGI callable, no framework, `databases` as shipped for SQL.

Serve with `uvicorn benchmarks.peers.raw:app`.
"""

from __future__ import annotations

import html
import json
import os
import random
from typing import Any
from urllib.parse import parse_qs

from databases import Database

EXTRA = "Additional fortune added at request time."
database = Database(os.environ.get("DATABASE_URL", "sqlite:///tfb.sqlite3"))
WORLD = "SELECT id, randomnumber FROM world WHERE id = :id"
UPDATE = "UPDATE world SET randomnumber = :randomnumber WHERE id = :id"

PLAIN_HEADERS = [(b"content-type", b"text/plain"), (b"content-length", b"13")]
JSON_TYPE = (b"content-type", b"application/json")
HTML_TYPE = (b"content-type", b"text/html; charset=utf-8")


def _count(scope: dict[str, Any]) -> int:
    values = parse_qs(scope["query_string"].decode("latin-1")).get("queries", ["1"])
    try:
        return min(max(int(values[0]), 1), 500)
    except ValueError:
        return 1


async def _send(send: Any, body: bytes, content_type: tuple[bytes, bytes]) -> None:
    headers = [content_type, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _world() -> dict[str, int]:
    row = await database.fetch_one(WORLD, {"id": random.randint(1, 10000)})
    return {"id": row[0], "randomNumber": row[1]}  # type: ignore[index]


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await database.connect()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await database.disconnect()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Route on the path by hand and write every response by hand."""
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    path = scope["path"]
    if path == "/plaintext":
        await send({"type": "http.response.start", "status": 200, "headers": PLAIN_HEADERS})
        await send({"type": "http.response.body", "body": b"Hello, World!"})
    elif path == "/json":
        await _send(send, json.dumps({"message": "Hello, World!"}).encode(), JSON_TYPE)
    elif path == "/db":
        await _send(send, json.dumps(await _world()).encode(), JSON_TYPE)
    elif path == "/queries":
        worlds = [await _world() for _ in range(_count(scope))]
        await _send(send, json.dumps(worlds).encode(), JSON_TYPE)
    elif path == "/updates":
        worlds = [await _world() for _ in range(_count(scope))]
        for world in worlds:
            world["randomNumber"] = random.randint(1, 10000)
        await database.execute_many(
            UPDATE, [{"id": w["id"], "randomnumber": w["randomNumber"]} for w in worlds]
        )
        await _send(send, json.dumps(worlds).encode(), JSON_TYPE)
    elif path == "/fortunes":
        rows = [(r[0], r[1]) for r in await database.fetch_all("SELECT id, message FROM fortune")]
        rows.append((0, EXTRA))
        rows.sort(key=lambda row: row[1])
        cells = "".join(
            f"<tr><td>{i}</td><td>{html.escape(message)}</td></tr>" for i, message in rows
        )
        page = (
            "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
            f"<tr><th>id</th><th>message</th></tr>{cells}</table></body></html>"
        )
        await _send(send, page.encode(), HTML_TYPE)
    else:
        await send({"type": "http.response.start", "status": 404, "headers": PLAIN_HEADERS[:1]})
        await send({"type": "http.response.body", "body": b"Not Found"})
