"""The TechEmpower rules: test data, the `queries` clamp, and response validators.

Every validator takes what came over the wire (status, headers, body) and returns
a list of problems; an empty list means the response follows the rules. The runner
validates each target with them before timing it, and the tests use them to check
the asgi_cycle app through the ASGI path and the WSGI shim.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html.parser import HTMLParser

# The 12 fortunes of the TechEmpower database, id -> message.
FORTUNES: dict[int, str] = {
    1: "fortune: No such file or directory",
    2: "A computer scientist is someone who fixes things that aren't broken.",
    3: "After enough decimal places, nobody gives a damn.",
    4: "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    5: "A computer program does what you tell it to do, not what you want it to do.",
    6: "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
    7: "Any program that runs right is obsolete.",
    8: "A list is only as strong as its weakest link. \u2014 Donald Knuth",
    9: "Feature: A bug with seniority.",
    10: "Computers make very fast, very accurate mistakes.",
    11: '<script>alert("This should not be displayed in a browser alert box.");</script>',
    12: "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af",
}
EXTRA_FORTUNE = "Additional fortune added at request time."
WORLD_ROWS = 10_000
PLAINTEXT_BODY = b"Hello, World!"
JSON_MESSAGE = {"message": "Hello, World!"}

TESTS = ("plaintext", "json", "db", "queries", "fortunes", "updates")


def clamp_queries(raw: str | None) -> int:
    """Apply the TechEmpower rule for `queries`: not an integer -> 1, then clamp 1..500."""
    try:
        value = int(raw) if raw is not None else 1
    except ValueError:
        return 1
    return min(max(value, 1), 500)


def expected_fortunes() -> list[tuple[int, str]]:
    """The rows a fortunes page must show: the 12 plus the extra one, sorted by message."""
    rows = [*FORTUNES.items(), (0, EXTRA_FORTUNE)]
    return sorted(rows, key=lambda row: row[1])


def _common(
    status: int, headers: Mapping[str, str], body: bytes, content_type: str, served: bool
) -> list[str]:
    problems = []
    if status != 200:
        problems.append(f"status {status}, expected 200")
    # Server and Date come from the HTTP server, so only a served response has them.
    for name in ("server", "date") if served else ():
        if not headers.get(name):
            problems.append(f"missing {name.title()} header")
    got = headers.get("content-type", "").replace(" ", "").lower()
    want = content_type.replace(" ", "").lower()
    if got != want and got.split(";")[0] != want:
        problems.append(f"Content-Type {got!r}, expected {content_type!r}")
    length = headers.get("content-length")
    if length is None and "chunked" not in headers.get("transfer-encoding", ""):
        problems.append("neither Content-Length nor chunked Transfer-Encoding")
    elif length is not None and int(length) != len(body):
        problems.append(f"Content-Length {length} but {len(body)} body bytes")
    return problems


def _world(item: object) -> list[str]:
    if not isinstance(item, dict):
        return [f"a world must be a JSON object, got {item!r}"]
    problems = []
    for key in ("id", "randomNumber"):
        value = item.get(key)
        if type(value) is not int or not 1 <= value <= WORLD_ROWS:
            problems.append(f"{key}={value!r} is not an integer in 1..{WORLD_ROWS}")
    return problems


def check_plaintext(
    status: int, headers: Mapping[str, str], body: bytes, *, served: bool = True
) -> list[str]:
    """Validate a /plaintext response."""
    problems = _common(status, headers, body, "text/plain", served)
    if body != PLAINTEXT_BODY:
        problems.append(f"body {body[:60]!r}, expected {PLAINTEXT_BODY!r}")
    return problems


def check_json(
    status: int, headers: Mapping[str, str], body: bytes, *, served: bool = True
) -> list[str]:
    """Validate a /json response: the object serialised per request."""
    problems = _common(status, headers, body, "application/json", served)
    try:
        if json.loads(body) != JSON_MESSAGE:
            problems.append(f"body {body[:60]!r}, expected {JSON_MESSAGE}")
    except ValueError:
        problems.append(f"body is not JSON: {body[:60]!r}")
    return problems


def check_db(
    status: int, headers: Mapping[str, str], body: bytes, *, served: bool = True
) -> list[str]:
    """Validate a /db response: one world object."""
    problems = _common(status, headers, body, "application/json", served)
    try:
        return problems + _world(json.loads(body))
    except ValueError:
        return [*problems, f"body is not JSON: {body[:60]!r}"]


def check_worlds(
    status: int, headers: Mapping[str, str], body: bytes, count: int, *, served: bool = True
) -> list[str]:
    """Validate a /queries or /updates response: a list of `count` world objects."""
    problems = _common(status, headers, body, "application/json", served)
    try:
        items = json.loads(body)
    except ValueError:
        return [*problems, f"body is not JSON: {body[:60]!r}"]
    if not isinstance(items, list):
        return [*problems, f"expected a JSON array, got {body[:60]!r}"]
    if len(items) != count:
        problems.append(f"{len(items)} worlds, expected {count}")
    for item in items:
        problems.extend(_world(item))
    return problems[:10]


class _Rows(HTMLParser):
    """Collect the text of every table cell, row by row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def check_fortunes(
    status: int, headers: Mapping[str, str], body: bytes, *, served: bool = True
) -> list[str]:
    """Validate a /fortunes page: 13 rows sorted by message, escaped, UTF-8."""
    problems = _common(status, headers, body, "text/html; charset=utf-8", served)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return [*problems, "body is not UTF-8"]
    if not text.lstrip().lower().startswith("<!doctype html>"):
        problems.append("page does not start with <!DOCTYPE html>")
    if "<script>" in text:
        problems.append("fortune 11 is not escaped")
    parser = _Rows()
    parser.feed(text)
    rows = [tuple(cells) for cells in parser.rows]
    if not rows or [cell.strip().lower() for cell in rows[0]] != ["id", "message"]:
        problems.append("first row must be the header <th>id</th><th>message</th>")
    got = [(cell[0].strip(), cell[1]) for cell in rows[1:] if len(cell) == 2]
    want = [(str(i), message) for i, message in expected_fortunes()]
    if got != want:
        problems.append(f"rows differ from the expected 13 sorted fortunes: {got[:3]}...")
    return problems
