"""The asgi-cycle command line on the example app (real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "ASGI_CYCLE_SETTINGS": "app.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "asgi_cycle", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_routes_lists_patterns_in_order_with_views_and_names(tmp_path: Path) -> None:
    done = run("routes", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert lines[0] == ["/", "app.views.home", "[home]"]
    assert ["/products/<int:id>/", "app.views.product_detail", "[product-detail]"] in lines
    assert len(lines) == 6


def test_middleware_shows_the_onion_and_each_layers_mode(tmp_path: Path) -> None:
    done = run("middleware", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "request ->"
    # The article's timer is sync only; Security, outside it, joins it in the worker thread
    # rather than adding a hop between the two (Django's rule); the layers inside are async.
    assert lines[1] == "asgi_cycle.middleware.security.SecurityMiddleware  [sync, in a thread]"
    assert lines[2] == "  app.middleware.RequestTimerMiddleware  [sync, in a thread]"
    assert lines[3].endswith("SessionMiddleware  [async, on the loop]")
    assert lines[-2].strip() == "URL resolver -> view"


def test_check_passes_on_the_example_app(tmp_path: Path) -> None:
    done = run("check", tmp_path=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "System check identified no issues.")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty and DEBUG is off"),
        ({"SECRET_KEY": ""}, "SECRET_KEY setting must not be empty"),
    ],
)
def test_check_reports_configuration_mistakes(tmp_path: Path, env, expected) -> None:
    done = run("check", "--no-database", tmp_path=tmp_path, **env)
    assert done.returncode == 1
    assert expected in done.stdout


def test_unknown_settings_module_is_a_clear_error(tmp_path: Path) -> None:
    done = run("routes", tmp_path=tmp_path, ASGI_CYCLE_SETTINGS="no_such_settings")
    assert done.returncode == 2
    assert "Set the environment variable ASGI_CYCLE_SETTINGS" in done.stderr
