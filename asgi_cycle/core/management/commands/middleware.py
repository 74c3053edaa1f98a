"""``asgi-cycle middleware``: the onion, outermost first, with each layer's mode."""

from __future__ import annotations

import argparse

help = "Show the middleware onion in order, and whether each layer runs sync or async."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments."""


def handle(args: argparse.Namespace) -> int:
    """Print the layers the request passes through, in and out."""
    from asgi_cycle.core.asgi import get_asgi_application

    handler = get_asgi_application()
    layers = handler.middleware_in_use
    print("request ->")
    for depth, path in enumerate(layers):
        mode = "async, on the loop" if handler.middleware_modes[path] else "sync, in a thread"
        print(f"{'  ' * depth}{path}  [{mode}]")
    print(f"{'  ' * len(layers)}URL resolver -> view")
    print("<- response (the same layers, innermost first)")
    return 0
