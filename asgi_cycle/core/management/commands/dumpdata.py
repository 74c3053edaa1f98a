"""``asgi-cycle dumpdata [app[.Model] ...]``: print objects as a JSON fixture."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

help = "Output the objects of the named apps or models (all by default) as a JSON fixture."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("labels", nargs="*", metavar="app_label[.ModelName]")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print with N spaces")
    parser.add_argument("-o", "--output", default=None, help="write to this file, not stdout")


def handle(args: argparse.Namespace) -> int:
    """Dump the rows ordered by pk; exit 1 for an unknown app or model."""
    from asgi_cycle import db
    from asgi_cycle.db.models import fixtures
    from asgi_cycle.utils.asyncio import run_sync

    fixtures.import_app_models()
    try:
        entries = run_sync(fixtures.adump(args.labels))
    except fixtures.FixtureError as exc:
        print(f"dumpdata: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close_all()
    text = fixtures.dumps(entries, indent=args.indent)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0
