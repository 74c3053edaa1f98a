"""Text profiles of the hottest paths: `python -m benchmarks.profile`.

Each profile is the in-process harness's timed loop under pyinstrument, in a child
process, written to `benchmarks/profiles/<target>-<test>.txt`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from benchmarks import dataset
from benchmarks.procs import ROOT, SERVER_CPU, pinned
from benchmarks.targets import INPROCESS

HERE = Path(__file__).resolve().parent
PROFILES = (
    ("cycle", "/plaintext"),
    ("cycle-bare", "/plaintext"),
    ("cycle", "/json"),
    ("cycle", "/db"),
    ("cycle", "/fortunes"),
    ("starlette", "/plaintext"),
)


def main() -> int:
    """Write one text profile per (target, path)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("--seconds", type=float, default=1.0, help="per repeat (3 repeats)")
    parser.add_argument("--out", type=Path, default=HERE / "profiles")
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    url = dataset.prepare_sqlite(HERE / ".work" / "profile.sqlite3")
    for target, path in PROFILES:
        out = args.out / f"{target}-{path.strip('/')}.txt"
        env = {**os.environ, **INPROCESS[target][1], "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        command = [
            sys.executable,
            "-m",
            "benchmarks.inprocess",
            target,
            path,
            "--seconds",
            str(args.seconds),
            "--repeats",
            "3",
            "--profile",
            str(out),
        ]
        done = subprocess.run(
            pinned(command, SERVER_CPU),
            cwd=ROOT,
            env=env,
            timeout=300,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print(f"{target} {path}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            return 1
        print(f"{target} {path}: {done.stdout.strip()[:60]}... -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
