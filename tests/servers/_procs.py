"""Server command lines for the shim's tests: uWSGI, and Gunicorn with the shim's hooks."""

from __future__ import annotations

from collections.abc import Sequence

from .procs import BIN, ROOT

#: Gunicorn options that load the shim's hooks (lifespan per worker).
SHIM_CONF = ["-c", "python:wsgi_shim.gunicorn_conf"]


def uwsgi_command(app: str, port: int, extra: Sequence[str] = ()) -> list[str]:
    """uWSGI serving the WSGI ``app`` (module:attr) over HTTP on 127.0.0.1:``port``."""
    return [
        str(BIN / "uwsgi"),
        "--http-socket",
        f"127.0.0.1:{port}",
        "--module",
        app,
        "--master",
        "--processes",
        "1",
        "--threads",
        "2",
        "--die-on-term",
        "--need-app",
        "--disable-logging",
        "--chdir",
        str(ROOT),
        *extra,
    ]


__all__ = ["SHIM_CONF", "uwsgi_command"]
