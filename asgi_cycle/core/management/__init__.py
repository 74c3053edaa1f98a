"""The ``asgi-cycle`` command line (also ``python -m asgi_cycle``).

Each command is a module in ``asgi_cycle.core.management.commands`` defining
``help``, ``add_arguments(parser)`` and ``handle(args) -> int``. The working
directory is put first on ``sys.path``, as ``manage.py`` has it, so that
``ASGI_CYCLE_SETTINGS=app.settings`` and ``INSTALLED_APPS`` import from it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from asgi_cycle import __version__
from asgi_cycle.core.exceptions import ImproperlyConfigured

COMMANDS_PACKAGE = "asgi_cycle.core.management.commands"


def command_names() -> list[str]:
    """Every available command, sorted."""
    package = importlib.import_module(COMMANDS_PACKAGE)
    return sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="asgi-cycle",
        description="Run asgi_cycle commands. The settings module comes from "
        "ASGI_CYCLE_SETTINGS (default: app.settings).",
    )
    parser.add_argument("--version", action="version", version=f"asgi_cycle {__version__}")
    parser.add_argument("--settings", help="settings module to use instead of ASGI_CYCLE_SETTINGS")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names():
        module = importlib.import_module(f"{COMMANDS_PACKAGE}.{name}")
        command = sub.add_parser(name, help=module.help, description=module.help)
        module.add_arguments(command)
        command.set_defaults(handle=module.handle)
    return parser


def execute(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.settings:
        os.environ["ASGI_CYCLE_SETTINGS"] = args.settings
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.handle(args))
    except ImproperlyConfigured as exc:
        print(f"asgi-cycle {args.command}: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


__all__ = ["command_names", "execute"]
