"""Gunicorn configuration for apps served through the shim: ``-c python:wsgi_shim.gunicorn_conf``.

The hooks give every worker process the app's lifespan at the right moments:

- ``post_worker_init``: the app is loaded in the worker (after the fork, with
  or without ``--preload``); startup runs before the worker accepts anything.
  If it fails, the worker exits with Gunicorn's ``WORKER_BOOT_ERROR`` (3),
  which makes the arbiter stop with the error shown instead of respawning.
- ``worker_exit``: SIGTERM, ``max_requests`` recycling and ordinary exits all
  pass here; shutdown runs before the process goes.

Without this file the shim still works: startup then runs on the first
request and shutdown at interpreter exit.

``header_map = "drop"``: a header spelled with underscores (``X_Forwarded_Proto``)
cannot be told apart from its dashed twin once in the environ, so it is
dropped, as Django's runserver does (Gunicorn's default, pinned here).
"""

from __future__ import annotations

import sys
from typing import Any

header_map = "drop"
control_socket_disable = True


def _shim_of(worker: Any) -> Any:
    app = getattr(worker, "wsgi", None)
    return app if callable(getattr(app, "startup", None)) else None


def post_worker_init(worker: Any) -> None:
    """Run the lifespan startup in the new worker; a failure stops Gunicorn."""
    shim = _shim_of(worker)
    if shim is None:
        return
    from wsgi_shim.lifespan import LifespanFailure

    try:
        shim.startup()
    except LifespanFailure as exc:
        worker.log.error("Lifespan startup failed, stopping: %s", exc)
        sys.exit(3)


def worker_exit(server: Any, worker: Any) -> None:
    """Run the lifespan shutdown as the worker leaves."""
    shim = _shim_of(worker)
    if shim is not None:
        shim.shutdown()
