"""``asgi-cycle runserver [ADDR:PORT]``: the development server (Uvicorn, autoreload)."""

from __future__ import annotations

import argparse
import os

help = "Serve the app with Uvicorn for development, reloading on code changes."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "addrport", nargs="?", default="127.0.0.1:8000", help="ADDR:PORT or PORT (127.0.0.1:8000)"
    )
    parser.add_argument("--app", default="app.asgi:application", help="ASGI app (module:attr)")
    parser.add_argument("--noreload", action="store_true", help="do not reload on changes")


def split_addrport(value: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """``"8000"`` -> (default_host, 8000); ``"0.0.0.0:80"`` -> ("0.0.0.0", 80); IPv6 in []."""
    host, sep, port = value.rpartition(":")
    if not sep:
        host, port = default_host, value
    host = host.strip("[]") or default_host
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SystemExit(f"'{value}' is not a valid port or ADDR:PORT (example: 127.0.0.1:8000).")
    return host, int(port)


def handle(args: argparse.Namespace) -> int:
    """Run Uvicorn until interrupted."""
    import uvicorn

    host, port = split_addrport(args.addrport)
    print(f"Serving {args.app} at http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(
        args.app,
        host=host,
        port=port,
        reload=not args.noreload,
        reload_dirs=[os.getcwd()],
        log_level="info",
    )
    return 0
