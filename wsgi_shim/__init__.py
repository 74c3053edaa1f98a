"""ASGI -> WSGI shim: the same lifecycle under WSGI servers.

``to_wsgi(app)`` wraps any ASGI app; ``get_wsgi_application()`` wraps the
project's own (``asgi_cycle.core.asgi.get_asgi_application()``), reading the
settings as Django's ``get_wsgi_application`` does. Nothing here creates an
event loop or a thread before the first request in a worker process.

Serving:

- Gunicorn: ``gunicorn -c python:wsgi_shim.gunicorn_conf app.wsgi:application``
  (or ``asgi-cycle serve --server gunicorn``) runs the lifespan from worker
  hooks; plain ``gunicorn app.wsgi:application`` works too (startup on the
  first request, shutdown at exit). ``--preload``, ``sync`` and ``gthread``
  workers are all fine.
- uWSGI: ``uwsgi --http-socket ADDR --module app.wsgi:application --master
  --threads N --die-on-term`` (threads, or ``--enable-threads``, so that sync
  views can use their worker threads). uWSGI merges a header spelled with
  underscores into its dashed twin (``X_Foo`` into ``X-Foo``) before the app
  sees the environ; put a proxy that drops them (nginx does by default) in front.
"""

from __future__ import annotations

from asgi_cycle.types import ASGIApp

from .shim import WSGIShim


def to_wsgi(asgi_app: ASGIApp) -> WSGIShim:
    """Wrap any ASGI app as a WSGI app (lifespan per worker, fork-safe)."""
    return WSGIShim(asgi_app)


def get_wsgi_application() -> WSGIShim:
    """The project's ASGI application, served through WSGI."""
    from asgi_cycle.conf import settings
    from asgi_cycle.core.asgi import get_asgi_application

    return WSGIShim(get_asgi_application(), body_timeout=settings.CYCLE_BODY_TIMEOUT)


__all__ = ["get_wsgi_application", "to_wsgi"]
