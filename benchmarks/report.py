"""Turn one run's figures into `RESULTS.md` (tables, versions, commands, targets) and a chart."""

from __future__ import annotations

import datetime
import os
import platform
import re
import statistics
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.loadgen import wrk_version
from benchmarks.targets import BY_NAME

PACKAGES = (
    "asgi_cycle",
    "uvicorn",
    "uvloop",
    "httptools",
    "gunicorn",
    "starlette",
    "fastapi",
    "falcon",
    "django",
    "databases",
    "aiosqlite",
    "asyncpg",
    "psycopg",
    "sqlalchemy",
    "jinja2",
    "a2wsgi",
)
LOAD_TESTS = ("plaintext", "json", "db", "queries", "fortunes", "updates")
FLAT = 0.05  # at most 5 % RSS growth over the second half of the memory run


def now() -> str:
    """The UTC time, to the second."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def environment(mode: str, command: str) -> dict[str, Any]:
    """Versions, machine and commit of this run."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    ).stdout.strip()
    return {
        "mode": mode,
        "command": command,
        "started": now(),
        "python": platform.python_version(),
        "versions": versions,
        "wrk": wrk_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "commit": commit,
        "load_before": os.getloadavg(),
    }


def rps(results: dict[str, Any], test: str, target: str, db: str = "sqlite") -> float | None:
    """Median req/s of `target` on `test`, or None when it was not timed."""
    runs = results["load"].get(db, {}).get(test, {}).get(target)
    return statistics.median(r["rps"] for r in runs) if runs else None


def _us(results: dict[str, Any], target: str, path: str = "/plaintext") -> float | None:
    found = results["inprocess"].get(path, {}).get(target)
    return float(found["us"]) if found else None


def _verdict(ratio: float | None, want: float, lower_is_better: bool = False) -> str:
    if ratio is None:
        return "not measured"
    met = ratio <= want if lower_is_better else ratio >= want
    return ("**met**" if met else "**not met**") + f" ({ratio:.2f}×)"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def targets(results: dict[str, Any]) -> list[tuple[str, str]]:
    """The issue's targets, each with its verdict and figure from this run."""
    rows: list[tuple[str, str]] = []
    timed = [t for t in LOAD_TESTS if t in results["load"].get("sqlite", {})]
    for test in ("plaintext", "json", "db", "fortunes"):
        r = _ratio(rps(results, test, "cycle"), rps(results, test, "starlette"))
        rows.append((f"default stack on Uvicorn ≥ 1.0× Starlette, {test}", _verdict(r, 1.0)))
    for db in results["load"]:
        for test in ("db", "fortunes"):
            r = _ratio(rps(results, test, "cycle", db), rps(results, test, "raw", db))
            rows.append((f"{test} ({db}) ≥ 2× raw ASGI + `databases`", _verdict(r, 2.0)))
    r = _ratio(_us(results, "cycle"), _us(results, "starlette"))
    rows.append(
        (
            "in-process plaintext, default stack ≤ 1.0× Starlette µs",
            _verdict(r, 1.0, lower_is_better=True),
        )
    )
    r = _ratio(_us(results, "cycle-bare"), _us(results, "falcon-asgi"))
    rows.append(
        ("in-process plaintext, empty stack ≤ Falcon µs", _verdict(r, 1.0, lower_is_better=True))
    )
    for test in timed:
        r = _ratio(rps(results, test, "cycle"), rps(results, test, "django-async"))
        rows.append((f"≥ 10× Django async (both on Uvicorn), {test}", _verdict(r, 10.0)))
    for test in timed:
        r = _ratio(rps(results, test, "cycle"), rps(results, test, "django-sync"))
        rows.append(
            (
                f"≥ 2× Django sync on Gunicorn, ours as deployed (default stack, Uvicorn), {test}",
                _verdict(r, 2.0),
            )
        )
    for test in timed:
        r = _ratio(rps(results, test, "cycle-wsgi"), rps(results, test, "django-sync"))
        rows.append((f"≥ 2× Django sync, both on Gunicorn sync, {test}", _verdict(r, 2.0)))
    for ours, what in (("cycle-wsgi-bare", "no middleware"), ("cycle-wsgi", "default stack")):
        for test in ("plaintext", "json"):
            r = _ratio(rps(results, test, ours), rps(results, test, "falcon-wsgi"))
            rows.append(
                (f"WSGI shim on Gunicorn ({what}) ≥ 0.9× Falcon WSGI, {test}", _verdict(r, 0.9))
            )
    shim = re.search(r"added cost = ([\d.]+)", results["extras"].get("shim_cost", ""))
    rows.append(
        (
            "shim's in-process added cost ≤ ¼ of a2wsgi's (`benchmarks.shim_cost`)",
            _verdict(float(shim.group(1)) if shim else None, 0.25, lower_is_better=True),
        )
    )
    memory = results["memory"]
    for ours, theirs in (("cycle", "django-async"), ("cycle-wsgi", "django-sync")):
        if ours in memory and theirs in memory:
            a, b = memory[ours]["points"][-1], memory[theirs]["points"][-1]
            rows.append(
                (
                    f"final RSS: {ours} ({a[0]:,} requests) ≤ {theirs} ({b[0]:,} requests)",
                    _verdict(a[1] / b[1], 1.0, lower_is_better=True)
                    + f" {a[1] / 1024:.1f} vs {b[1] / 1024:.1f} MiB",
                )
            )
        if ours in memory:
            growth = _growth(memory[ours]["points"])
            rows.append(
                (
                    f"RSS of {ours} flat (second-half growth ≤ {FLAT:.0%})",
                    ("**met**" if growth <= FLAT else "**not met**") + f" ({growth:+.1%})",
                )
            )
    return rows


def _growth(points: list[list[int]]) -> float:
    served, final = points[-1]
    middle = next(kib for n, kib in points if n >= served / 2)
    return float((final - middle) / middle)


def _load_table(results: dict[str, Any], db: str) -> list[str]:
    tests = [t for t in LOAD_TESTS if t in results["load"][db]]
    names = [n for n in BY_NAME if any(n in results["load"][db][t] for t in tests)]
    lines = [
        "| test | " + " | ".join(BY_NAME[n].label for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for test in tests:
        cells = []
        for name in names:
            runs = results["load"][db][test].get(name)
            if not runs:
                cells.append("—")
                continue
            values = [r["rps"] for r in runs]
            errors = sum(r["errors"] for r in runs)
            cell = f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"
            cells.append(cell + (f" ⚠{errors} err" if errors else ""))
        lines.append(f"| {test} | " + " | ".join(cells) + " |")
    return lines


def markdown(results: dict[str, Any], chart_name: str) -> str:
    """The whole RESULTS.md."""
    meta = results["meta"]
    out = [
        "# Benchmark results",
        "",
        f"One run of `{meta['command']}` ({meta['mode']} mode), {meta['started']} → "
        f"{meta['finished']}, commit `{meta['commit']}`. Machine: {meta['cores']} cores "
        f"({meta['cpu']}), load average {meta['load_before'][0]:.2f} before and "
        f"{meta['load_after'][0]:.2f} after the run: other work shared the machine, so "
        "the wrk figures are noisy; the in-process figures (medians of repeats) are the "
        "stable ones. Every figure below comes from this one run.",
        "",
        f"![chart]({chart_name})",
        "",
        "## Targets (issue 5)",
        "",
        "| target | verdict (ratio from this run) |",
        "|---|---|",
        *[f"| {name} | {verdict} |" for name, verdict in targets(results)],
        "",
    ]
    if results["failures"]:
        out += ["## Failures (not timed)", ""]
        for name, problems in results["failures"].items():
            out.append(
                f"- **{name}**: " + "; ".join(p.replace("\n", " ")[:300] for p in problems[:3])
            )
        out.append("")
    for db in results["load"]:
        out += [
            f"## Requests per second, {db} (median of rounds, min–max in brackets)",
            "",
            *_load_table(results, db),
            "",
        ]
    if results["inprocess"]:
        out += [
            "## In-process: µs per request (ASGI callable called directly)",
            "",
            "| target | " + " | ".join(results["inprocess"]) + " |",
            "|---|" + "---:|" * len(results["inprocess"]),
        ]
        names = list(dict.fromkeys(n for p in results["inprocess"].values() for n in p))
        for name in names:
            cells = []
            for figures in results["inprocess"].values():
                found = figures.get(name)
                cells.append(
                    f"{found['us']:,.1f} ({min(found['runs']):,.1f}–{max(found['runs']):,.1f})"
                    if found
                    else "—"
                )
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    if results["memory"]:
        out += ["## Memory: worker RSS (MiB) vs requests served (mixed load)", ""]
        for name, curve in results["memory"].items():
            points = ", ".join(f"{n:,}: {kib / 1024:.1f}" for n, kib in curve["points"])
            out.append(f"- **{name}**: {points}")
        out.append("")
    for name, text in results["extras"].items():
        out += [f"## `python -m benchmarks.{name}`", "", "```", text, "```", ""]
    out += [
        "## How it was measured",
        "",
        f"- Command: `{meta['command']}` (`make bench-quick` / `make bench`).",
        "- Each server: one worker pinned to CPU 0 with `taskset`; wrk pinned to CPU 1; "
        "127.0.0.1 only; every response validated against the TechEmpower rules first.",
        f"- wrk: `{meta['wrk_command']}` ({meta['wrk']}), targets interleaved round by "
        "round (A B C … A B C …), warm-up before the first round.",
        "- In-process: `python -m benchmarks.inprocess TARGET PATH` in a child process "
        "pinned to CPU 0: median µs of repeats, each sized to a fixed time.",
        "- Gunicorn targets run one sync worker, which closes each connection: their "
        "figures include a TCP handshake per request, for every WSGI target alike.",
        '- "≥ 2× Django sync" is reported two ways: asgi_cycle as deployed by default '
        "(Uvicorn) against Django sync as deployed (Gunicorn), and both under Gunicorn "
        "sync, where the server's own per-connection cost is shared by every framework "
        "(Falcon's WSGI app against Django sync, in the same table, shows that ceiling).",
        "- The shim is compared with Falcon's WSGI app twice: with no middleware (the "
        "like-for-like app: Falcon's has none) and with the default stack.",
        "- ⚠ err counts wrk's socket errors and timeouts (8 s) plus non-2xx answers; the "
        "Django peer on Uvicorn opens a database connection per request "
        "(`CONN_MAX_AGE = 0`, as Django advises under ASGI), which times out under "
        "64 connections on PostgreSQL.",
        "- Servers:",
        "",
    ]
    out += [f"  - {name}: `{cmd}`" for name, cmd in meta["server_commands"].items()]
    if not meta["versions"]["django"].startswith("6"):
        out.append(
            f"- The Django peer runs Django {meta['versions']['django']}: Django 6 needs "
            f"Python ≥ 3.12 and this run used Python {meta['python']}."
        )
    out += ["", "## Versions", "", f"- Python {meta['python']}, {meta['wrk']}"]
    out += [f"- {name} {version}" for name, version in meta["versions"].items()]
    return "\n".join(out) + "\n"


def chart(results: dict[str, Any], path: Path) -> None:
    """Bar charts of req/s and in-process µs, and the memory curves, in one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    load = results["load"].get("sqlite", {})
    tests = [t for t in LOAD_TESTS if t in load]
    names = [n for n in BY_NAME if any(n in load[t] for t in tests)]
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        values = [rps(results, t, name) or 0 for t in tests]
        color = plt.get_cmap("tab20")(i % 20)  # the default cycle repeats after 10 targets
        axes[0].bar(
            [x + i * width for x in range(len(tests))], values, width, label=name, color=color
        )
    axes[0].set_xticks([x + 0.4 - width / 2 for x in range(len(tests))], tests)
    axes[0].set_yscale("log")
    axes[0].set_title("req/s, SQLite (median; higher is better)")
    axes[0].legend(fontsize=7, ncol=2)
    plain = results["inprocess"].get("/plaintext", {})
    axes[1].barh(list(plain), [f["us"] for f in plain.values()])
    axes[1].set_xscale("log")
    axes[1].set_title("in-process µs per /plaintext (lower is better)")
    for name, curve in results["memory"].items():
        xs = [n for n, _ in curve["points"]]
        axes[2].plot(xs, [kib / 1024 for _, kib in curve["points"]], marker="o", label=name)
    axes[2].set_title("worker RSS (MiB) vs requests served")
    if results["memory"]:
        axes[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
