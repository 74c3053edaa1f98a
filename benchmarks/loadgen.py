"""wrk, the load generator: install it when missing, run it pinned, parse its report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from benchmarks.procs import CLIENT_CPU, pinned


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reports."""

    requests: int
    seconds: float
    rps: float
    errors: int  # socket errors + non-2xx/3xx responses
    latency_p50_ms: float
    latency_p99_ms: float


def ensure_wrk() -> str:
    """Path of wrk; installs Debian's package (saying so) when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing Debian's package (apt-get install -y wrk)", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still missing after apt-get install wrk")
    return found


def wrk_version() -> str:
    """wrk's version line."""
    out = subprocess.run([ensure_wrk(), "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * (60000.0 if unit == "m" else _UNITS[unit])


def parse(output: str) -> WrkResult:
    """Parse wrk's text report (run with --latency)."""
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not total or not rps:
        raise ValueError(f"unreadable wrk output:\n{output}")
    seconds = float(total.group(2)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[total.group(3)]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non2xx.group(1)) if non2xx else 0
    p50 = re.search(r"\s50%\s+(\S+)", output)
    p99 = re.search(r"\s99%\s+(\S+)", output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=seconds,
        rps=float(rps.group(1)),
        errors=errors,
        latency_p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        latency_p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
    )


def wrk_command(url: str, seconds: float, connections: int = 64) -> list[str]:
    """The wrk command line: one thread on the client core, bounded duration."""
    return pinned(
        [
            ensure_wrk(),
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "8s",
            "--latency",
            url,
        ],
        CLIENT_CPU,
    )


def run_wrk(url: str, seconds: float, connections: int = 64) -> WrkResult:
    """Load `url` (loopback) for `seconds` and return wrk's figures."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load is only ever sent to 127.0.0.1")
    out = subprocess.run(
        wrk_command(url, seconds, connections),
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    return parse(out.stdout)
