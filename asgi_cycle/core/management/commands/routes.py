"""``asgi-cycle routes``: every URL pattern of ROOT_URLCONF with its view and name."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import Any

help = "List the URL patterns of ROOT_URLCONF in resolution order, with views and names."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("--urlconf", help="urlconf module (default: ROOT_URLCONF)")


def walk(
    patterns: Sequence[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, str]]:
    """Yield (route, view dotted name, url name) for every pattern, depth first."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if hasattr(entry, "url_patterns"):
            ns = getattr(entry, "namespace", None)
            yield from walk(entry.url_patterns, route, f"{namespace}{ns}:" if ns else namespace)
        else:
            callback = entry.callback
            view = f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield route, view, name


def handle(args: argparse.Namespace) -> int:
    """Print the table."""
    from asgi_cycle.urls import get_resolver

    rows = list(walk(get_resolver(args.urlconf).url_patterns))
    width = max((len(r[0]) for r in rows), default=5)
    for route, view, name in rows:
        print(f"/{route:<{width}}  {view}" + (f"  [{name}]" if name else ""))
    return 0
