"""Check a running target against the TechEmpower rules before it is timed."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable

from benchmarks import rules
from benchmarks.procs import fetch

# `queries` values and the count each must produce.
QUERY_CASES = (
    ("", 1),
    ("?queries=", 1),
    ("?queries=foo", 1),
    ("?queries=0", 1),
    ("?queries=20", 20),
    ("?queries=501", 500),
)


def stored_numbers(database_url: str, ids: list[int]) -> dict[int, int]:
    """`randomnumber` of the given worlds, read straight from the database."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split(":///", 1)[1]) as con:
            marks = ",".join("?" * len(ids))
            found = con.execute(f"SELECT id, randomnumber FROM world WHERE id IN ({marks})", ids)
            result = dict(found.fetchall())
        con.close()
        return result

    async def read() -> dict[int, int]:
        import asyncpg

        con = await asyncpg.connect(database_url)
        try:
            rows = await con.fetch("SELECT id, randomnumber FROM world WHERE id = ANY($1)", ids)
        finally:
            await con.close()
        return {row[0]: row[1] for row in rows}

    return asyncio.run(read())


def _single(check: Callable[..., list[str]], url: str) -> list[str]:
    status, headers, body = fetch(url)
    return [f"{url}: {p}" for p in check(status, headers, body)]


def validate(base_url: str, tests: tuple[str, ...], database_url: str) -> list[str]:
    """Every rule broken by the target at `base_url` for `tests` (empty: all good)."""
    problems: list[str] = []
    simple = {
        "plaintext": rules.check_plaintext,
        "json": rules.check_json,
        "db": rules.check_db,
        "fortunes": rules.check_fortunes,
    }
    for test in tests:
        if test in simple:
            problems += _single(simple[test], f"{base_url}/{test}")
        elif test == "queries":
            for query, count in QUERY_CASES:
                url = f"{base_url}/queries{query}"
                status, headers, body = fetch(url)
                found = rules.check_worlds(status, headers, body, count)
                problems += [f"{url}: {p}" for p in found]
        elif test == "updates":
            problems += _check_updates(base_url, database_url)
    return problems


def _check_updates(base_url: str, database_url: str) -> list[str]:
    problems: list[str] = []
    for query, count in (("?queries=5", 5), ("?queries=0", 1), ("?queries=501", 500)):
        url = f"{base_url}/updates{query}"
        status, headers, body = fetch(url)
        found = rules.check_worlds(status, headers, body, count)
        problems += [f"{url}: {p}" for p in found]
        if found:
            continue
        # Persisted? Ids drawn twice are skipped: which of their values wins is undefined.
        items = json.loads(body)
        ids = [w["id"] for w in items]
        worlds = {w["id"]: w["randomNumber"] for w in items if ids.count(w["id"]) == 1}
        stored = stored_numbers(database_url, list(worlds))
        wrong = [i for i, n in worlds.items() if stored.get(i) != n]
        if wrong:
            problems.append(f"{url}: {len(wrong)} updated worlds not stored (e.g. id {wrong[0]})")
    return problems
