"""The TechEmpower validators accept conforming responses and name each broken rule."""

from __future__ import annotations

import html
import json

import pytest

from benchmarks import rules

SERVED = {"server": "uvicorn", "date": "Tue, 24 Nov 2026 08:00:00 GMT"}


def headers(content_type: str, body: bytes, **extra: str) -> dict[str, str]:
    return {**SERVED, "content-type": content_type, "content-length": str(len(body)), **extra}


def fortunes_page(rows: list[tuple[int, str]], escape: bool = True) -> bytes:
    cells = "".join(
        f"<tr><td>{i}</td><td>{html.escape(m) if escape else m}</td></tr>" for i, m in rows
    )
    return (
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
        f"<tr><th>id</th><th>message</th></tr>{cells}</table></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("foo", 1),
        ("0", 1),
        ("-3", 1),
        ("1", 1),
        ("20", 20),
        ("500", 500),
        ("501", 500),
        ("100000", 500),
    ],
)
def test_clamp_queries(raw, expected):
    assert rules.clamp_queries(raw) == expected


def test_expected_fortunes_have_the_extra_row_and_are_sorted():
    rows = rules.expected_fortunes()
    assert len(rows) == 13
    assert (0, rules.EXTRA_FORTUNE) in rows
    assert [m for _, m in rows] == sorted(m for _, m in rows)


def test_plaintext_accepts_the_reference_answer():
    body = b"Hello, World!"
    assert rules.check_plaintext(200, headers("text/plain", body), body) == []
    charset = headers("text/plain; charset=utf-8", body)
    assert rules.check_plaintext(200, charset, body) == []


def test_plaintext_names_each_broken_rule():
    body = b"Hello, World"
    problems = rules.check_plaintext(500, {"content-type": "text/html"}, body)
    text = " | ".join(problems)
    for expected in ("status 500", "Server", "Date", "Content-Type", "Content-Length", "body"):
        assert expected in text


def test_unserved_responses_skip_server_and_date_only():
    body = b"Hello, World!"
    bare = {"content-type": "text/plain", "content-length": "13"}
    assert rules.check_plaintext(200, bare, body, served=False) == []
    assert len(rules.check_plaintext(200, bare, body)) == 2


def test_content_length_must_match_the_body():
    body = b"Hello, World!"
    problems = rules.check_plaintext(
        200, headers("text/plain", body, **{"content-length": "99"}), body
    )
    assert problems == ["Content-Length 99 but 13 body bytes"]
    chunked = {**SERVED, "content-type": "text/plain", "transfer-encoding": "chunked"}
    assert rules.check_plaintext(200, chunked, body) == []


def test_json_compares_the_parsed_object():
    body = b'{"message":"Hello, World!"}'
    assert rules.check_json(200, headers("application/json", body), body) == []
    wrong = b'{"message":"Hello"}'
    assert rules.check_json(200, headers("application/json", wrong), wrong) != []
    garbage = b"not json"
    assert "not JSON" in rules.check_json(200, headers("application/json", garbage), garbage)[0]


@pytest.mark.parametrize(
    ("world", "ok"),
    [
        ({"id": 1, "randomNumber": 10000}, True),
        ({"id": 0, "randomNumber": 5}, False),
        ({"id": 3, "randomnumber": 5}, False),
        ({"id": "3", "randomNumber": 5}, False),
        ({"id": 3, "randomNumber": 10001}, False),
        ([3, 5], False),
    ],
)
def test_db_checks_keys_and_ranges(world, ok):
    body = json.dumps(world).encode()
    assert (rules.check_db(200, headers("application/json", body), body) == []) is ok


def test_worlds_checks_the_count():
    body = json.dumps([{"id": i, "randomNumber": i} for i in range(1, 21)]).encode()
    assert rules.check_worlds(200, headers("application/json", body), body, 20) == []
    problems = rules.check_worlds(200, headers("application/json", body), body, 1)
    assert problems == ["20 worlds, expected 1"]
    single = b'{"id": 1, "randomNumber": 2}'
    assert rules.check_worlds(200, headers("application/json", single), single, 1) != []


def test_fortunes_accepts_the_sorted_escaped_page():
    body = fortunes_page(rules.expected_fortunes())
    assert rules.check_fortunes(200, headers("text/html; charset=utf-8", body), body) == []


def test_fortunes_rejects_a_missing_extra_row():
    rows = [row for row in rules.expected_fortunes() if row[0] != 0]
    body = fortunes_page(rows)
    problems = rules.check_fortunes(200, headers("text/html; charset=utf-8", body), body)
    assert any("rows differ" in p for p in problems)


def test_fortunes_rejects_unsorted_rows():
    body = fortunes_page(sorted(rules.expected_fortunes()))
    problems = rules.check_fortunes(200, headers("text/html; charset=utf-8", body), body)
    assert any("rows differ" in p for p in problems)


def test_fortunes_rejects_unescaped_markup():
    body = fortunes_page(rules.expected_fortunes(), escape=False)
    problems = rules.check_fortunes(200, headers("text/html; charset=utf-8", body), body)
    assert "fortune 11 is not escaped" in problems


def test_fortunes_requires_utf8_html():
    body = fortunes_page(rules.expected_fortunes())
    problems = rules.check_fortunes(200, headers("text/html", body), body)
    assert any("Content-Type" in p for p in problems)
    latin = body.decode().encode("utf-16")
    assert "body is not UTF-8" in rules.check_fortunes(
        200, headers("text/html; charset=utf-8", latin), latin
    )
