"""Memory: the worker's RSS sampled while a fresh server takes a mixed load.

The load cycles through /plaintext, /json, /db and /fortunes (`mixed.lua`), in
steps of wrk runs, until `total` requests have been served or the time cap is
reached (a slow target then reports fewer requests); the worker's RSS is read
from /proc after each step, giving a curve of (requests served, KiB).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import procs
from benchmarks.loadgen import parse, wrk_command
from benchmarks.targets import Target

SCRIPT = Path(__file__).with_name("mixed.lua")


@dataclass
class Curve:
    """RSS samples of one target's worker."""

    target: str
    points: list[tuple[int, int]] = field(default_factory=list)  # (requests, RSS KiB)
    errors: int = 0

    @property
    def final_kib(self) -> int:
        """RSS after the last step."""
        return self.points[-1][1]

    @property
    def late_growth(self) -> float:
        """Relative RSS growth over the second half of the run (0.0 means flat)."""
        served = self.points[-1][0]
        middle = next(kib for n, kib in self.points if n >= served / 2)
        return (self.final_kib - middle) / middle


def curve(
    target: Target,
    database_url: str,
    workdir: Path,
    total: int,
    step_seconds: float,
    max_seconds: float,
) -> Curve:
    """Serve `total` mixed requests (or load for `max_seconds`, whichever ends first)
    from a fresh server; sample RSS after each step."""
    server = procs.start(target, database_url, workdir)
    result = Curve(target.name)
    deadline = time.monotonic() + max_seconds
    try:
        result.points.append((0, server.rss_kib()))
        served = 0
        while served < total and time.monotonic() < deadline:
            command = wrk_command(server.base_url + "/", step_seconds, 64)
            command[-1:-1] = ["-s", str(SCRIPT)]
            out = subprocess.run(
                command, capture_output=True, text=True, timeout=step_seconds + 30, check=True
            )
            report = parse(out.stdout)
            served += report.requests
            result.errors += report.errors
            result.points.append((served, server.rss_kib()))
    finally:
        server.stop()
    return result
