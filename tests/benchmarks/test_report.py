"""wrk's report is parsed, and the issue's targets are judged from one run's figures."""

from __future__ import annotations

import pytest

from benchmarks import report
from benchmarks.loadgen import parse

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:41234/plaintext
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.55ms    2.10ms  40.12ms   91.23%
    Req/Sec    14.10k     1.02k   15.50k    75.00%
  Latency Distribution
     50%    3.71ms
     75%    4.80ms
     90%    6.33ms
     99%   13.71ms
  28235 requests in 2.02s, 3.93MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  13971.13
Transfer/sec:      1.95MB
"""


def test_parse_reads_rate_errors_and_latency():
    result = parse(WRK_OUTPUT)
    assert result.requests == 28235
    assert result.seconds == pytest.approx(2.02)
    assert result.rps == pytest.approx(13971.13)
    assert result.errors == 12
    assert result.latency_p50_ms == pytest.approx(3.71)
    assert result.latency_p99_ms == pytest.approx(13.71)


def test_parse_converts_latency_units():
    text = WRK_OUTPUT.replace("13.71ms", "1.20s").replace("3.71ms", "850.00us")
    result = parse(text)
    assert result.latency_p50_ms == pytest.approx(0.85)
    assert result.latency_p99_ms == pytest.approx(1200.0)


def test_parse_rejects_unreadable_output():
    with pytest.raises(ValueError):
        parse("unable to connect to 127.0.0.1:1 Connection refused")


def runs(*values):
    return [{"rps": v, "errors": 0} for v in values]


def results(cycle_rps, starlette_rps):
    return {
        "load": {
            "sqlite": {"plaintext": {"cycle": runs(*cycle_rps), "starlette": runs(*starlette_rps)}}
        },
        "inprocess": {
            "/plaintext": {
                "cycle": {"us": 5.0},
                "starlette": {"us": 10.0},
                "cycle-bare": {"us": 6.0},
                "falcon-asgi": {"us": 4.0},
            }
        },
        "memory": {
            "cycle": {"points": [[0, 100], [50, 110], [100, 110]]},
            "django-async": {"points": [[0, 90], [50, 150], [100, 160]]},
        },
        "extras": {},
    }


def verdicts(found):
    return dict(report.targets(found))


def test_targets_use_the_median_of_rounds():
    found = verdicts(results([900, 1000, 5000], [1000, 1000, 1000]))
    assert found["default stack on Uvicorn ≥ 1.0× Starlette, plaintext"] == "**met** (1.00×)"
    found = verdicts(results([900, 950, 5000], [1000, 1000, 1000]))
    assert found["default stack on Uvicorn ≥ 1.0× Starlette, plaintext"] == "**not met** (0.95×)"


def test_targets_compare_inprocess_microseconds_lower_is_better():
    found = verdicts(results([1], [1]))
    assert found["in-process plaintext, default stack ≤ 1.0× Starlette µs"] == "**met** (0.50×)"
    assert found["in-process plaintext, empty stack ≤ Falcon µs"] == "**not met** (1.50×)"


def test_targets_report_untimed_tests_as_not_measured():
    found = verdicts(results([1], [1]))
    assert found["default stack on Uvicorn ≥ 1.0× Starlette, db"] == "not measured"


def test_memory_targets_compare_final_rss_and_flatness():
    found = verdicts(results([1], [1]))
    key = "final RSS: cycle (100 requests) ≤ django-async (100 requests)"
    assert found[key].startswith("**met** (0.69×)")
    assert found["RSS of cycle flat (second-half growth ≤ 5%)"] == "**met** (+0.0%)"
