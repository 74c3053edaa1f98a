"""``asgi-cycle migrate``: create the tables of every model of INSTALLED_APPS."""

from __future__ import annotations

import argparse
import sys

help = "Create tables, indexes and constraints for every model of INSTALLED_APPS."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--database", default="default", help="the DATABASES alias to migrate (default: default)"
    )


def handle(args: argparse.Namespace) -> int:
    """Migrate; print what was created, or the differences that stopped it (exit 1)."""
    from asgi_cycle.db import adisconnect_all
    from asgi_cycle.db.migrate import SchemaDriftError, migrate
    from asgi_cycle.utils.asyncio import run_sync

    try:
        migrate(using=args.database, stdout=sys.stdout)
    except SchemaDriftError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        run_sync(adisconnect_all())
    return 0
