"""The server-cost harness serves real requests through Uvicorn's protocol."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import server_cost

ROOT = Path(__file__).resolve().parents[2]


def serve_in_child(target: str, path: str = "/plaintext") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "benchmarks.server_cost", "--child", target, path, "3"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


PLAIN = {"content-type", "content-length"}
DEFAULT_STACK = {name.decode() for name, _ in server_cost.DEFAULT_STACK_HEADERS}


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("raw", PLAIN),
        ("raw-default-headers", PLAIN | DEFAULT_STACK),
        ("cycle", PLAIN | DEFAULT_STACK),
        ("cycle-bare", PLAIN),
    ],
)
def test_child_serves_keep_alive_requests_and_lists_the_headers(target, headers):
    """raw-default-headers sends the same header names as the default stack."""
    out = serve_in_child(target)
    assert out.returncode == 0, out.stderr
    label, _, names = out.stdout.strip().partition(": ")
    assert label == "response headers"
    assert set(names.split(", ")) == headers


def test_callgrind_total_is_read_from_valgrinds_summary():
    assert (
        server_cost.callgrind_total("==1== Events    : Ir\n==1== Collected : 1234567\n") == 1234567
    )
    with pytest.raises(RuntimeError, match="no callgrind total"):
        server_cost.callgrind_total("valgrind: command not found")


def test_without_valgrind_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(server_cost.shutil, "which", lambda name: None)
    assert server_cost.main([]) == 2
    assert "apt-get install valgrind" in capsys.readouterr().err


def test_unknown_targets_are_refused_with_the_known_ones(monkeypatch, capsys):
    monkeypatch.setattr(server_cost.shutil, "which", lambda name: "/usr/bin/valgrind")
    assert server_cost.main(["--targets", "nope"]) == 2
    assert "unknown target(s) nope" in capsys.readouterr().out
