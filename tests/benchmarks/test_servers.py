"""Real servers: the runner starts the TechEmpower app on Uvicorn and under the WSGI shim
on Gunicorn, and its validation (the one run before any timing) finds nothing to fault.
"""

from __future__ import annotations

import sqlite3

import pytest

from benchmarks import dataset, procs
from benchmarks.targets import BY_NAME
from benchmarks.validate import validate

pytestmark = pytest.mark.servers


@pytest.mark.parametrize("name", ["cycle", "cycle-bare", "cycle-wsgi", "cycle-wsgi-bare", "raw"])
def test_served_app_follows_the_techempower_rules(tmp_path, name):
    url = dataset.prepare_sqlite(tmp_path / "tfb.sqlite3")
    target = BY_NAME[name]
    server = procs.start(target, url, tmp_path, timeout=60)
    try:
        assert validate(server.base_url, target.tests, url) == []
        status, headers, _ = procs.fetch(server.base_url + "/plaintext")
        assert status == 200
        assert headers["server"] in ("uvicorn", "gunicorn")
        assert server.rss_kib() > 0
    finally:
        server.stop()
    assert server.process.poll() is not None


def test_validation_catches_a_broken_target(tmp_path):
    # A fortune missing from the database must show in the page check, before any timing.
    url = dataset.prepare_sqlite(tmp_path / "tfb.sqlite3")
    with sqlite3.connect(tmp_path / "tfb.sqlite3") as con:
        con.execute("DELETE FROM fortune WHERE id = 5")
    con.close()
    server = procs.start(BY_NAME["raw"], url, tmp_path, timeout=60)
    try:
        problems = validate(server.base_url, ("plaintext", "fortunes"), url)
    finally:
        server.stop()
    assert len(problems) == 1
    assert "/fortunes" in problems[0] and "rows differ" in problems[0]


def test_fetch_refuses_non_loopback_hosts():
    with pytest.raises(ValueError):
        procs.fetch("http://example.com/plaintext")
