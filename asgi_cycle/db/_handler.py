"""``connections``: the ``DatabaseWrapper`` for each ``settings.DATABASES`` alias."""

from __future__ import annotations

import os
from collections.abc import Iterator

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.db._config import parse_database_settings
from asgi_cycle.db.connection import DatabaseWrapper

__all__ = ["ConnectionHandler", "connections"]


class ConnectionHandler:
    """``connections[alias]``: the wrapper for each ``settings.DATABASES`` entry."""

    def __init__(self) -> None:
        self._wrappers: dict[str, DatabaseWrapper] = {}

    def __getitem__(self, alias: str) -> DatabaseWrapper:
        wrapper = self._wrappers.get(alias)
        if wrapper is not None:
            return wrapper
        databases = settings.DATABASES
        if alias not in databases:
            configured = ", ".join(repr(a) for a in databases) or "none"
            raise ImproperlyConfigured(
                f"The database alias {alias!r} is not in settings.DATABASES "
                f"(configured: {configured}). Add it, e.g. DATABASES = {{{alias!r}: "
                "{'URL': 'sqlite:///db.sqlite3'}}."
            )
        wrapper = DatabaseWrapper(parse_database_settings(alias, databases[alias]))
        self._wrappers[alias] = wrapper
        return wrapper

    def __contains__(self, alias: object) -> bool:
        return alias in settings.DATABASES

    def __iter__(self) -> Iterator[str]:
        return iter(settings.DATABASES)

    def all(self, initialized_only: bool = False) -> list[DatabaseWrapper]:
        """Every configured wrapper (only those already built with ``initialized_only``)."""
        if initialized_only:
            return list(self._wrappers.values())
        return [self[alias] for alias in settings.DATABASES]

    def reset(self) -> list[DatabaseWrapper]:
        """Forget every wrapper (settings changed); return them so the caller can close them."""
        wrappers, self._wrappers = list(self._wrappers.values()), {}
        return wrappers


connections = ConnectionHandler()

# Pools inherited through fork() belong to the parent: their loops have no thread
# here and their sockets/threads are the parent's. The child forgets them (kept
# referenced, so finalisers never run on the parent's resources) and connects anew.
_inherited: list[object] = []


def _forget_pools_after_fork() -> None:
    for wrapper in connections._wrappers.values():
        _inherited.append((wrapper._backends, wrapper._connecting))
        wrapper._backends, wrapper._connecting = {}, {}


os.register_at_fork(after_in_child=_forget_pools_after_fork)
