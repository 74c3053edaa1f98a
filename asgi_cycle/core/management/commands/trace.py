"""``asgi-cycle trace METHOD PATH [--wsgi]``: one request's stages, in the terminal."""

from __future__ import annotations

import argparse

help = (
    "Send one request through the app (ASGI, or the WSGI shim with --wsgi) and print its stages."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("method", help="HTTP method, e.g. GET")
    parser.add_argument("path", help="path with query string, e.g. /products/1/")
    parser.add_argument("--wsgi", action="store_true", help="go through wsgi_shim")
    parser.add_argument("--data", help="request body (sent as-is)")
    parser.add_argument(
        "-H", "--header", action="append", default=[], help="extra header 'Name: value'"
    )
    parser.add_argument("--host", default="localhost", help="Host header (default localhost)")


def handle(args: argparse.Namespace) -> int:
    """Run the request and print the spans as an indented timeline."""
    from asgi_cycle.conf import settings
    from asgi_cycle.core.asgi import get_asgi_application
    from asgi_cycle.core.tracing import recent
    from asgi_cycle.test import Client

    settings.CYCLE_TRACE = True
    app = get_asgi_application()
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    with Client(app, wsgi=args.wsgi, base_url=f"http://{args.host}") as client:
        response = client.request(
            args.method.upper(), args.path, content=args.data, headers=headers
        )
    trace = recent.last()
    path_kind = "WSGI shim" if args.wsgi else "ASGI"
    print(f"{args.method.upper()} {args.path} via {path_kind} -> {response.status_code}")
    if trace is None:
        print("(no trace was recorded: the request never reached the handler)")
        return 1
    for span in sorted(trace.spans, key=lambda s: (s.start, -s.duration)):
        indent = "  " * max(span.depth - 1, 0)
        print(
            f"{span.start * 1000:9.3f} ms  {indent}{span.stage:<8} {span.name}"
            f"  ({span.duration * 1000:.3f} ms)"
        )
    print(f"Server-Timing: {trace.server_timing()}")
    return 0
