"""What a shim worker imports: only what its requests need.

Each test serves requests through the WSGI callable in a fresh interpreter and
looks at ``sys.modules``; the project is ``tests/wsgi_shim/footprint_project.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

SERVE = textwrap.dedent(
    """
    import io, json, sys, threading
    from wsgi_shim import get_wsgi_application

    application = get_wsgi_application()
    bodies = []
    for path in sys.argv[1:]:
        environ = {
            "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/" + path,
            "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http", "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        statuses = []
        body = b"".join(application(environ, lambda s, h, e=None: statuses.append(s)))
        assert statuses == ["200 OK"], (path, statuses, body)
        bodies.append(body.decode())
    print(json.dumps({
        "bodies": bodies,
        "modules": sorted(sys.modules),
        "main": threading.get_ident(),
        "alive": [thread.ident for thread in threading.enumerate()],
    }))
    """
)


def serve(tmp_path: Path, *paths: str) -> dict[str, Any]:
    """Serve ``paths`` in order through the shim in a new interpreter; what it saw."""
    env = {
        **os.environ,
        "ASGI_CYCLE_SETTINGS": "tests.wsgi_shim.footprint_project",
        "FOOTPRINT_DB": str(tmp_path / "footprint.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVE, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_async_views_do_not_import_the_thread_backend(tmp_path: Path) -> None:
    result = serve(tmp_path, "plaintext", "plaintext")
    assert result["bodies"] == ["Hello, World!", "Hello, World!"]
    assert "anyio._backends._asyncio" not in result["modules"]


def test_an_orm_read_on_sqlite_does_not_import_databases(tmp_path: Path) -> None:
    # The SQLite backend runs the ORM's reads itself; ``databases`` (and the click
    # its core imports) are only needed for Records.
    result = serve(tmp_path, "plaintext", "query", "query")
    assert result["bodies"] == ["Hello, World!", "42", "42"]
    for module in ("databases", "databases.core", "click", "anyio._backends._asyncio"):
        assert module not in result["modules"], module


def test_records_import_databases_when_asked_for(tmp_path: Path) -> None:
    result = serve(tmp_path, "query", "records", "records")
    assert result["bodies"] == ["42", "42", "42"]
    assert "databases.backends.common.records" in result["modules"]


def test_sync_view_runs_in_a_worker_thread_that_outlives_the_request(tmp_path: Path) -> None:
    result = serve(tmp_path, "plaintext", "sync-thread", "sync-thread", "sync-thread")
    first, *others = (int(body) for body in result["bodies"][1:])
    assert first != result["main"]
    # The loop's root task owns the thread, not the first request's task: it is
    # reused by the later requests and still alive after the last one.
    assert others == [first, first]
    assert first in result["alive"]
    assert "anyio._backends._asyncio" in result["modules"]
