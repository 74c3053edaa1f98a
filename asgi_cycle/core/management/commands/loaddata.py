"""``asgi-cycle loaddata FILE.json ...``: save the objects of JSON fixtures (by pk)."""

from __future__ import annotations

import argparse
import sys

help = "Load objects from Django-style JSON fixtures; updates rows with the same pk."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("fixtures", nargs="+", metavar="FILE.json", help="fixture files")


def handle(args: argparse.Namespace) -> int:
    """Load each fixture in its own transaction; exit 1 on the first bad one."""
    from asgi_cycle import db
    from asgi_cycle.db.models import fixtures
    from asgi_cycle.utils.asyncio import run_sync

    fixtures.import_app_models()
    total = 0
    try:
        for path in args.fixtures:
            total += run_sync(fixtures.aload(fixtures.read_fixture(path)))
    except fixtures.FixtureError as exc:
        print(f"loaddata: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close_all()
    count = len(args.fixtures)
    print(f"Installed {total} object(s) from {count} fixture(s)")
    return 0
