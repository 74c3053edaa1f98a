"""Every server under test: how to start it and which TechEmpower tests it answers."""

from __future__ import annotations

from dataclasses import dataclass, field

ALL_TESTS = ("plaintext", "json", "db", "queries", "fortunes", "updates")
PLAIN_TESTS = ("plaintext", "json")


@dataclass(frozen=True)
class Target:
    """One framework + server combination, as started by the runner."""

    name: str
    label: str
    server: str  # "uvicorn" or "gunicorn" (one sync worker)
    app: str  # "module:attribute"
    env: dict[str, str] = field(default_factory=dict)
    tests: tuple[str, ...] = ALL_TESTS
    ours: bool = False

    @property
    def is_asgi(self) -> bool:
        """Whether `app` is an ASGI callable (served by Uvicorn)."""
        return self.server == "uvicorn"


_CYCLE = {"ASGI_CYCLE_SETTINGS": "benchmarks.tfb.settings"}
_CYCLE_BARE = {"ASGI_CYCLE_SETTINGS": "benchmarks.tfb.settings_bare"}
_DJANGO_ASYNC = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.peers.django_tfb.settings",
    "DJANGO_TFB_MODE": "async",
}
_DJANGO_SYNC = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.peers.django_tfb.settings",
    "DJANGO_TFB_MODE": "sync",
}

TARGETS: tuple[Target, ...] = (
    Target("raw", "raw ASGI", "uvicorn", "benchmarks.peers.raw:app"),
    Target("starlette", "Starlette", "uvicorn", "benchmarks.peers.starlette_app:app"),
    Target("fastapi", "FastAPI", "uvicorn", "benchmarks.peers.fastapi_app:app"),
    Target(
        "falcon-asgi",
        "Falcon (ASGI)",
        "uvicorn",
        "benchmarks.peers.falcon_app:asgi_app",
        tests=PLAIN_TESTS,
    ),
    Target(
        "falcon-wsgi",
        "Falcon (WSGI, gunicorn)",
        "gunicorn",
        "benchmarks.peers.falcon_app:wsgi_app",
        tests=PLAIN_TESTS,
    ),
    Target(
        "django-async",
        "Django async (uvicorn)",
        "uvicorn",
        "benchmarks.peers.django_tfb.asgi:application",
        env=_DJANGO_ASYNC,
    ),
    Target(
        "django-sync",
        "Django sync (gunicorn)",
        "gunicorn",
        "benchmarks.peers.django_tfb.wsgi:application",
        env=_DJANGO_SYNC,
    ),
    Target(
        "cycle",
        "asgi_cycle (default stack)",
        "uvicorn",
        "benchmarks.tfb.asgi:application",
        env=_CYCLE,
        ours=True,
    ),
    Target(
        "cycle-bare",
        "asgi_cycle (no middleware)",
        "uvicorn",
        "benchmarks.tfb.asgi:application",
        env=_CYCLE_BARE,
        ours=True,
    ),
    Target(
        "cycle-wsgi",
        "asgi_cycle WSGI shim (gunicorn)",
        "gunicorn",
        "benchmarks.tfb.wsgi:application",
        env=_CYCLE,
        ours=True,
    ),
    # The shim's own cost against Falcon's WSGI app, which has no middleware either.
    Target(
        "cycle-wsgi-bare",
        "asgi_cycle WSGI shim, no middleware (gunicorn)",
        "gunicorn",
        "benchmarks.tfb.wsgi:application",
        env=_CYCLE_BARE,
        tests=PLAIN_TESTS,
        ours=True,
    ),
)

BY_NAME = {target.name: target for target in TARGETS}

# In-process variants: the ASGI callable called directly (no server).
INPROCESS: dict[str, tuple[str, dict[str, str]]] = {
    "raw": ("benchmarks.peers.raw:app", {}),
    "falcon-asgi": ("benchmarks.peers.falcon_app:asgi_app", {}),
    "starlette": ("benchmarks.peers.starlette_app:app", {}),
    "fastapi": ("benchmarks.peers.fastapi_app:app", {}),
    "django-async": ("benchmarks.peers.django_tfb.asgi:application", _DJANGO_ASYNC),
    "django-async-bare": (
        "benchmarks.peers.django_tfb.asgi:application",
        {**_DJANGO_ASYNC, "DJANGO_TFB_MIDDLEWARE": "0"},
    ),
    "cycle": ("benchmarks.tfb.asgi:application", _CYCLE),
    "cycle-bare": ("benchmarks.tfb.asgi:application", _CYCLE_BARE),
}
