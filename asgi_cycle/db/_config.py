"""Turn one ``settings.DATABASES`` entry into a validated backend configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from asgi_cycle.core.exceptions import ImproperlyConfigured

__all__ = ["DatabaseConfig", "parse_database_settings"]

SQLITE_ENGINE = "asgi_cycle.db.backends.sqlite3"
POSTGRESQL_ENGINE = "asgi_cycle.db.backends.postgresql"
_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite+aiosqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "postgresql+asyncpg": "postgresql",
}
_EXAMPLE = (
    "Set it to {'URL': 'sqlite:///db.sqlite3'} or {'URL': 'postgresql://user@host:5432/name'}, "
    f"or use 'ENGINE': '{SQLITE_ENGINE}' / '{POSTGRESQL_ENGINE}' with NAME, USER, PASSWORD, "
    "HOST and PORT."
)


@dataclass(frozen=True)
class DatabaseConfig:
    """What a backend needs: vendor, parsed URL and driver options."""

    alias: str
    vendor: str
    url: URL
    options: dict[str, Any] = field(default_factory=dict)
    atomic_requests: bool = False

    @property
    def path(self) -> str:
        """The SQLite file path (SQLite only)."""
        return str(self.url.database)


def parse_database_settings(alias: str, entry: Mapping[str, Any]) -> DatabaseConfig:
    """Validate ``DATABASES[alias]`` and return its configuration."""
    if not isinstance(entry, Mapping):
        raise ImproperlyConfigured(f"DATABASES[{alias!r}] must be a dict. {_EXAMPLE}")
    options = dict(entry.get("OPTIONS") or {})
    atomic = bool(entry.get("ATOMIC_REQUESTS", False))
    if entry.get("URL"):
        url = _parse_url(alias, str(entry["URL"]))
    elif entry.get("ENGINE"):
        url = _url_from_engine(alias, entry)
    else:
        raise ImproperlyConfigured(f"DATABASES[{alias!r}] has neither URL nor ENGINE. {_EXAMPLE}")
    vendor = _SCHEMES[url.drivername]
    if vendor == "sqlite":
        name = url.database
        if (
            not name
            or name == ":memory:"
            or name.startswith("file::memory:")
            or (url.query.get("mode") == "memory")
        ):
            raise ImproperlyConfigured(
                f"DATABASES[{alias!r}] names an in-memory SQLite database. Each pooled "
                "connection would see its own empty database, so it is refused: use a file, "
                "e.g. 'sqlite:///db.sqlite3' (a temporary directory works for tests)."
            )
    return DatabaseConfig(alias, vendor, url, options, atomic)


def _parse_url(alias: str, raw: str) -> URL:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"DATABASES[{alias!r}]['URL'] = {raw!r} is not a database URL ({exc}). {_EXAMPLE}"
        ) from exc
    if url.drivername not in _SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASES[{alias!r}]['URL'] uses the unsupported scheme {url.drivername!r}; "
            "use 'sqlite:///path' or 'postgresql://...'."
        )
    if _SCHEMES[url.drivername] == "postgresql" and not url.database:
        raise ImproperlyConfigured(
            f"DATABASES[{alias!r}]['URL'] = {raw!r} names no database: "
            "add it after the host, e.g. 'postgresql://user@127.0.0.1:5432/test'."
        )
    return url


def _url_from_engine(alias: str, entry: Mapping[str, Any]) -> URL:
    engine = str(entry["ENGINE"])
    name = entry.get("NAME")
    if engine == SQLITE_ENGINE:
        if not name:
            raise ImproperlyConfigured(
                f"DATABASES[{alias!r}] uses {SQLITE_ENGINE} without NAME: "
                "set NAME to the database file path."
            )
        return URL.create("sqlite", database=str(name))
    if engine == POSTGRESQL_ENGINE:
        if not name:
            raise ImproperlyConfigured(
                f"DATABASES[{alias!r}] uses {POSTGRESQL_ENGINE} without NAME: "
                "set NAME to the database name."
            )
        port = entry.get("PORT")
        return URL.create(
            "postgresql",
            username=entry.get("USER") or None,
            password=entry.get("PASSWORD") or None,
            host=entry.get("HOST") or "127.0.0.1",
            port=int(port) if port else None,
            database=str(name),
        )
    raise ImproperlyConfigured(
        f"DATABASES[{alias!r}]['ENGINE'] = {engine!r} is not supported. {_EXAMPLE}"
    )
