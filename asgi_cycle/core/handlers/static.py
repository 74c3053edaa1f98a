"""Static files at ``STATIC_URL``, served before the onion (the article's step 2).

Files are looked up in ``STATIC_ROOT``, then each of ``STATICFILES_DIRS``, then
``<app>/static/`` for every installed app, and served by starlette's
``StaticFiles`` (path-traversal and symlink checks, ETag, Last-Modified, Range,
HEAD). A path found nowhere falls through to the onion, which answers 404
like any other unknown URL. Set ``CYCLE_SERVE_STATIC = False`` when a web
server in front serves ``STATIC_ROOT`` itself.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from asgi_cycle.conf import settings
from asgi_cycle.types import Receive, Scope, Send


def static_directories() -> list[Path]:
    """The folders searched for static files, in order."""
    folders: list[Path] = []
    if settings.STATIC_ROOT:
        folders.append(Path(settings.STATIC_ROOT))
    folders.extend(Path(d) for d in settings.STATICFILES_DIRS)
    for app in settings.INSTALLED_APPS:
        spec = importlib.util.find_spec(app)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                folders.append(Path(location) / "static")
    return [f for f in folders if f.is_dir()]


class StaticFilesServer:
    """Serves ``STATIC_URL`` from the static folders; None from ``from_settings`` if off."""

    def __init__(self, prefix: str, folders: list[Path]) -> None:
        from starlette.staticfiles import StaticFiles

        self.prefix = prefix
        self.apps = [StaticFiles(directory=folder) for folder in folders]

    @classmethod
    def from_settings(cls) -> StaticFilesServer | None:
        """Build from the settings, or return None when there is nothing to serve."""
        prefix = settings.STATIC_URL
        if not getattr(settings, "CYCLE_SERVE_STATIC", True) or not prefix:
            return None
        if "://" in prefix or not prefix.startswith("/"):
            return None  # served from another host
        folders = static_directories()
        if not folders:
            return None
        return cls(prefix if prefix.endswith("/") else prefix + "/", folders)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Send the file if one matches the path; return whether a response was sent."""
        from starlette.exceptions import HTTPException

        relative = scope["path"][len(self.prefix) :]
        if not relative or "\x00" in relative:
            return False
        for app in self.apps:
            try:
                response = await app.get_response(relative, scope)
            except HTTPException as exc:
                if exc.status_code == 404:
                    continue
                if exc.status_code == 405:
                    return False  # let the onion answer 405/404 for non-GET methods
                raise
            await response(scope, receive, send)
            return True
        return False


__all__ = ["StaticFilesServer", "static_directories"]
