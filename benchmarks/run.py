"""The benchmark runner: `python -m benchmarks.run --quick|--full`.

Theory of operation:
1. Prepare the TechEmpower tables in an SQLite file (and, in full mode, PostgreSQL).
2. Start every target with one worker pinned to CPU 0, then validate every test
   it serves against the TechEmpower rules; a target that breaks a rule is not timed.
3. Time each test with wrk (pinned to CPU 1, loopback, 64 connections, bounded
   duration), interleaving the targets A B C A B C, and keep every round so the
   report shows medians and spreads.
4. Run the in-process harness, then the memory curves on fresh servers.
5. Write `benchmarks/RESULTS.md`, `benchmarks/results.png` and the raw JSON.
The exit status is 1 when any target failed to start or to validate.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks import dataset, inprocess, memory, procs, report
from benchmarks.loadgen import ensure_wrk, run_wrk, wrk_command
from benchmarks.targets import BY_NAME, INPROCESS, TARGETS, Target
from benchmarks.validate import validate

HERE = Path(__file__).resolve().parent
WORKDIR = HERE / ".work"
# Its own database, so the suite never touches tables that tests use.
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/tfb")


@dataclass(frozen=True)
class Mode:
    """How long and how often to measure."""

    name: str
    rounds: int
    seconds: float
    warmup: float
    tests: tuple[str, ...]
    inprocess_seconds: float
    inprocess_repeats: int
    memory_requests: int
    memory_step: float
    memory_cap: float  # seconds of load at most per memory curve
    postgres: bool


# Quick: short windows, two rounds, the four tests the targets name; under 5 minutes.
QUICK = Mode("quick", 2, 1, 1, ("plaintext", "json", "db", "fortunes"), 0.1, 7, 20000, 1, 8, False)
FULL = Mode(
    "full",
    3,
    10,
    3,
    ("plaintext", "json", "db", "queries", "fortunes", "updates"),
    0.5,
    9,
    100_000,
    5,
    600,
    True,
)
PATHS = {"queries": "/queries?queries=20", "updates": "/updates?queries=20"}
INPROCESS_PATHS = ("/plaintext", "/json")
MEMORY_TARGETS = ("cycle", "django-async", "cycle-wsgi", "django-sync")
DB_TESTS = ("db", "queries", "fortunes", "updates")


PEERS = ("django", "fastapi", "falcon", "matplotlib", "psycopg")


def ensure_requirements() -> None:
    """Install benchmarks/requirements.txt with pip when a peer package is missing, saying so."""
    missing = [name for name in PEERS if importlib.util.find_spec(name) is None]
    if not missing:
        return
    print(f"missing {', '.join(missing)}: pip install -r benchmarks/requirements.txt", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-r", str(HERE / "requirements.txt")],
        check=True,
    )
    importlib.invalidate_caches()


class Progress:
    """One line per step, with the elapsed time."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def __call__(self, text: str) -> None:
        print(f"[{time.monotonic() - self.start:6.1f}s] {text}", flush=True)


def start_and_validate(
    targets: list[Target],
    url: str,
    tests: tuple[str, ...],
    say: Progress,
    failures: dict[str, list[str]],
) -> dict[str, procs.Server]:
    """Start each target and validate it; return the servers that passed."""
    servers: dict[str, procs.Server] = {}
    for target in targets:
        try:
            server = procs.start(target, url, WORKDIR)
        except RuntimeError as exc:
            failures[target.name] = [f"did not start: {str(exc)[-800:]}"]
            say(f"FAIL {target.name}: did not start (log {WORKDIR / (target.name + '.log')})")
            continue
        wanted = target.tests
        problems = validate(server.base_url, wanted, url)
        if problems:
            failures[target.name] = problems
            say(f"FAIL {target.name}: {len(problems)} rule(s) broken, e.g. {problems[0]}")
            server.stop()
            continue
        say(f"ok   {target.name}: {', '.join(wanted)} follow the TechEmpower rules")
        servers[target.name] = server
    return servers


def time_load(
    servers: dict[str, procs.Server], mode: Mode, say: Progress, db: str
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """wrk every (test, target), interleaved round by round."""
    plan = [
        (test, name)
        for test in mode.tests
        for name, s in servers.items()
        if test in s.target.tests and (db == "sqlite" or test in DB_TESTS)
    ]
    tests = list(dict.fromkeys(test for test, _ in plan))
    results: dict[str, dict[str, list[dict[str, Any]]]] = {t: {} for t in tests}
    steps, step = len(plan) * mode.rounds, 0
    for test in tests:
        names = [name for t, name in plan if t == test]
        for round_no in range(1, mode.rounds + 1):
            for name in names:
                url = servers[name].base_url + PATHS.get(test, "/" + test)
                if round_no == 1 and mode.warmup:
                    run_wrk(url, mode.warmup)
                figures = run_wrk(url, mode.seconds)
                results[test].setdefault(name, []).append(asdict(figures))
                step += 1
                say(
                    f"[{step}/{steps}] {db} {test:<9} {name:<13} round {round_no}/"
                    f"{mode.rounds}: {figures.rps:>9,.0f} req/s  p99 "
                    f"{figures.latency_p99_ms:6.1f} ms  errors {figures.errors}"
                )
    return results


def run_inprocess(
    names: list[str], mode: Mode, url: str, say: Progress, failures: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """µs per request for each in-process target and path."""
    results: dict[str, dict[str, Any]] = {}
    for path in INPROCESS_PATHS:
        for name in names:
            try:
                figures = inprocess.run(
                    name, path, mode.inprocess_seconds, mode.inprocess_repeats, url
                )
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                failures[f"in-process {name} {path}"] = [str(exc)[-800:]]
                say(f"FAIL in-process {name} {path}")
                continue
            results.setdefault(path, {})[name] = figures
            spread = max(figures["runs"]) - min(figures["runs"])
            say(
                f"in-process {path:<11} {name:<18} {figures['us']:9.1f} µs/request "
                f"(spread {spread:.1f})"
            )
    return results


def extra_figures(mode: Mode, say: Progress, server_cost: bool) -> dict[str, str]:
    """Output of the DB-engine's and the shim's own benchmarks, and (when asked, or in
    full mode) the instruction counts of `benchmarks.server_cost`."""
    found: dict[str, str] = {}
    quick = {"db_pool": ["--seconds", "2"], "shim_cost": ["--budget", "10"], "server_cost": []}
    modules = ["db_pool", "shim_cost"]
    if server_cost or mode.name == "full":
        modules.append("server_cost")  # about 4 minutes under valgrind
    for module in modules:
        if not (HERE / f"{module}.py").exists():
            continue
        say(f"running benchmarks.{module}")
        command = [sys.executable, "-m", f"benchmarks.{module}"]
        command += quick[module] if mode.name == "quick" else []
        out = subprocess.run(
            procs.pinned(command, procs.SERVER_CPU),
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            timeout=900,
            env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        )
        found[module] = (out.stdout + (out.stderr if out.returncode else "")).strip()
        say(f"benchmarks.{module}: " + " / ".join(found[module].splitlines()[-2:]))
    return found


def choose_mode(
    full: bool, rounds: int | None, seconds: float | None, memory_requests: int | None
) -> Mode:
    """The quick or full mode, with the command line's overrides."""
    mode = FULL if full else QUICK
    if rounds or seconds:
        mode = replace(mode, rounds=rounds or mode.rounds, seconds=seconds or mode.seconds)
    if memory_requests:
        mode = replace(
            mode,
            memory_requests=memory_requests,
            memory_step=FULL.memory_step,
            memory_cap=FULL.memory_cap,
        )
    return mode


def main(argv: list[str] | None = None) -> int:
    """Run the suite and write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="under 5 minutes (default)")
    group.add_argument("--full", action="store_true", help="long runs, every test, PostgreSQL")
    parser.add_argument("--targets", help="comma-separated subset of: " + ",".join(BY_NAME))
    parser.add_argument("--postgres", action="store_true", help="add the PostgreSQL pass")
    parser.add_argument("--rounds", type=int, help="override the mode's rounds")
    parser.add_argument("--seconds", type=float, help="override the mode's wrk window")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument(
        "--memory-requests",
        type=int,
        help="requests per memory curve (quick: 20,000; full: 100,000, with 5 s load steps "
        "and at most 10 minutes per target, which this option also sets)",
    )
    parser.add_argument("--no-inprocess", action="store_true")
    parser.add_argument(
        "--server-cost",
        action="store_true",
        help="add benchmarks.server_cost's instruction counts (needs valgrind; about 4 "
        "minutes; always on in full mode)",
    )
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args(argv)
    mode = choose_mode(args.full, args.rounds, args.seconds, args.memory_requests)
    chosen = [BY_NAME[n] for n in args.targets.split(",")] if args.targets else list(TARGETS)
    say = Progress()
    WORKDIR.mkdir(exist_ok=True)
    ensure_requirements()
    ensure_wrk()
    command = "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv)
    meta = report.environment(mode.name, command.strip())
    meta["server_commands"] = {
        t.name: " ".join(procs.pinned(procs.server_command(t, 0), procs.SERVER_CPU)).replace(
            sys.executable, "python"
        )
        for t in chosen
    }
    meta["wrk_command"] = " ".join(wrk_command("http://127.0.0.1:PORT/TEST", mode.seconds))
    failures: dict[str, list[str]] = {}
    load: dict[str, Any] = {}
    databases = {"sqlite": dataset.prepare_sqlite(WORKDIR / "tfb.sqlite3")}
    if (mode.postgres or args.postgres) and dataset.postgres_available(PG_URL):
        databases["postgresql"] = dataset.prepare_postgres(PG_URL)
    say(f"mode {mode.name}: {len(chosen)} targets, databases {', '.join(databases)}")
    for db, url in databases.items():
        targets = [t for t in chosen if db == "sqlite" or set(t.tests) & set(DB_TESTS)]
        servers = start_and_validate(targets, url, mode.tests, say, failures)
        try:
            load[db] = time_load(servers, mode, say, db)
        finally:
            for server in servers.values():
                server.stop()
    sqlite_url = databases["sqlite"]
    wanted = {t.name for t in chosen}
    names = [n for n in INPROCESS if n in wanted or n.removesuffix("-bare") in wanted]
    in_process = {} if args.no_inprocess else run_inprocess(names, mode, sqlite_url, say, failures)
    curves: dict[str, Any] = {}
    if not args.no_memory:
        for name in MEMORY_TARGETS:
            if name in failures or name not in {t.name for t in chosen}:
                continue
            found = memory.curve(
                BY_NAME[name],
                sqlite_url,
                WORKDIR,
                mode.memory_requests,
                mode.memory_step,
                mode.memory_cap,
            )
            curves[name] = {"points": found.points, "errors": found.errors}
            say(
                f"memory {name:<13} {found.final_kib / 1024:7.1f} MiB after "
                f"{found.points[-1][0]:,} requests (second-half growth "
                f"{found.late_growth:+.1%})"
            )
    extras = extra_figures(mode, say, args.server_cost)
    meta["finished"] = report.now()
    meta["load_after"] = os.getloadavg()
    results = {
        "meta": meta,
        "failures": failures,
        "load": load,
        "inprocess": in_process,
        "memory": curves,
        "extras": extras,
    }
    (WORKDIR / f"results-{mode.name}.json").write_text(json.dumps(results, indent=1))
    chart = Path(args.output).with_name("results.png")
    report.chart(results, chart)
    Path(args.output).write_text(report.markdown(results, chart.name))
    say(f"wrote {args.output} and {chart}")
    if failures:
        say(f"{len(failures)} failure(s): {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
