"""``asgi-cycle check``: find configuration mistakes before serving."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

help = "Check the settings, apps, middleware, URLconf, templates and databases."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("--no-database", action="store_true", help="skip connecting")


def _settings() -> list[str]:
    from asgi_cycle.conf import settings

    problems = []
    try:
        settings.SECRET_KEY  # noqa: B018 - reading it validates it
    except Exception as exc:
        problems.append(str(exc))
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        problems.append(
            "ALLOWED_HOSTS is empty and DEBUG is off: every request will get 400. "
            "List the host names the site answers to."
        )
    if not settings.ROOT_URLCONF:
        problems.append("ROOT_URLCONF is not set: name the module holding urlpatterns.")
    return problems


def _apps() -> list[str]:
    from asgi_cycle.conf import settings

    problems = []
    for app in settings.INSTALLED_APPS:
        try:
            importlib.import_module(app)
        except ImportError as exc:
            problems.append(f"INSTALLED_APPS entry {app!r} cannot be imported: {exc}")
    return problems


def _middleware_and_urls() -> list[str]:
    from asgi_cycle.core.asgi import get_asgi_application
    from asgi_cycle.urls.checks import check_url_config

    get_asgi_application()
    return check_url_config()


def _templates() -> list[str]:
    from asgi_cycle.template import engines

    engines.all()
    return []


def _databases() -> list[str]:
    from asgi_cycle import db
    from asgi_cycle.utils.asyncio import async_to_sync

    async def ping() -> None:
        await db.aconnect_all()
        await db.adisconnect_all()

    async_to_sync(ping)()
    return []


def handle(args: argparse.Namespace) -> int:
    """Run every check; print what is wrong; exit 1 if anything is."""
    checks: list[tuple[str, Callable[[], list[str]]]] = [
        ("settings", _settings),
        ("apps", _apps),
        ("middleware and URLconf", _middleware_and_urls),
        ("templates", _templates),
    ]
    if not args.no_database:
        checks.append(("databases", _databases))
    problems: list[str] = []
    for name, check in checks:
        try:
            found = check()
        except Exception as exc:
            found = [f"{type(exc).__name__}: {exc}"]
        problems.extend(f"[{name}] {p}" for p in found)
    for problem in problems:
        print(problem)
    # Django's check ids: "urls.W002" is a warning, "urls.E007" an error.
    errors = [p for p in problems if ".W0" not in p.split(":", 1)[0]]
    if problems:
        print(f"System check identified {len(problems)} issue(s), {len(errors)} error(s).")
        return 1 if errors else 0
    print("System check identified no issues.")
    return 0
