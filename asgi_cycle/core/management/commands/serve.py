"""``asgi-cycle serve``: run the app under a production server, Uvicorn or Gunicorn.

Gunicorn serves the WSGI app (``app.wsgi:application``, the shim) with the
shim's configuration module (``wsgi_shim.gunicorn_conf``: lifespan per worker
through its hooks), so there is no config file to write by hand. ``--threads``
above 1 selects Gunicorn's ``gthread`` worker.
"""

from __future__ import annotations

import argparse
import os
import sys

help = "Serve the app with Uvicorn (ASGI) or Gunicorn (WSGI, through wsgi_shim)."

DEFAULT_APPS = {"uvicorn": "app.asgi:application", "gunicorn": "app.wsgi:application"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("--server", choices=sorted(DEFAULT_APPS), default="uvicorn")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per Gunicorn worker")
    parser.add_argument("--bind", default="127.0.0.1:8000", help="ADDR:PORT (127.0.0.1:8000)")
    parser.add_argument("--app", help="module:attr (default: app.asgi / app.wsgi application)")
    parser.add_argument("--preload", action="store_true", help="Gunicorn: load the app first")
    parser.add_argument(
        "--max-requests", type=int, default=0, help="Gunicorn: recycle workers after N requests"
    )


def command(args: argparse.Namespace) -> list[str]:
    """The server command line ``serve`` runs for ``args``."""
    app = args.app or DEFAULT_APPS[args.server]
    if args.workers < 1 or args.threads < 1:
        raise SystemExit("--workers and --threads must be at least 1.")
    bindir = os.path.dirname(sys.executable)
    if args.server == "uvicorn":
        from asgi_cycle.core.management.commands.runserver import split_addrport

        host, port = split_addrport(args.bind)
        return [
            os.path.join(bindir, "uvicorn"),
            app,
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
    argv = [
        os.path.join(bindir, "gunicorn"),
        app,
        "-c",
        "python:wsgi_shim.gunicorn_conf",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--no-control-socket",
    ]
    if args.threads > 1:
        argv += ["--worker-class", "gthread", "--threads", str(args.threads)]
    if args.preload:
        argv.append("--preload")
    if args.max_requests:
        argv += ["--max-requests", str(args.max_requests)]
    return argv


def handle(args: argparse.Namespace) -> int:
    """Replace this process with the server (signals then reach it directly)."""
    argv = command(args)
    print("Running:", " ".join(argv), flush=True)
    sys.stdout.flush()
    os.execv(argv[0], argv)
    return 0  # pragma: no cover - execv does not return
