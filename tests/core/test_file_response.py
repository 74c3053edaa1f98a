"""FileResponse hands its file to the WSGI server's file_wrapper (sendfile) when offered.

The WSGI app is called directly with an environ whose ``wsgi.file_wrapper``
records what it is given, as Gunicorn's does; without one, or when a middleware
has replaced the stream (GZip), the body is streamed in blocks instead.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http import FileResponse
from asgi_cycle.test import override_settings
from asgi_cycle.urls import path
from wsgi_shim import to_wsgi

DATA = bytes(range(256)) * 1024


def download(request):
    return FileResponse(open(request.GET["path"], "rb"), as_attachment=True, filename="d.bin")


urlpatterns = [path("download/", download)]


class FileWrapper:
    """A server's wsgi.file_wrapper that remembers the files it was handed."""

    handed: list[int] = []

    def __init__(self, file, block_size=8192):
        self.file = file
        FileWrapper.handed.append(file.fileno())

    def __iter__(self):
        while chunk := self.file.read(65536):
            yield chunk

    def close(self):
        self.file.close()


def call(app, query: str, wrapper: bool, headers: dict[str, str] | None = None):
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/download/",
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()},
    }
    if wrapper:
        environ["wsgi.file_wrapper"] = FileWrapper
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"] = status
        started["headers"] = {name.lower(): value for name, value in response_headers}

    body_iter = app(environ, start_response)
    try:
        body = b"".join(body_iter)
    finally:
        getattr(body_iter, "close", lambda: None)()
    return started, body


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    target = tmp_path / "data.bin"
    target.write_bytes(DATA)
    return target


@pytest.mark.parametrize("wrapper", [True, False])
def test_file_response_uses_the_servers_file_wrapper_when_offered(data_file, wrapper):
    FileWrapper.handed.clear()
    with override_settings(ROOT_URLCONF=__name__):
        app = to_wsgi(get_asgi_application())
        started, body = call(app, f"path={data_file}", wrapper)
        app.shutdown()
    assert started["status"] == "200 OK"
    assert started["headers"]["content-length"] == str(len(DATA))
    assert body == DATA
    assert len(FileWrapper.handed) == (1 if wrapper else 0)


def test_gzip_replaced_stream_is_not_handed_over(data_file):
    FileWrapper.handed.clear()
    middleware = ["asgi_cycle.middleware.gzip.GZipMiddleware"]
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=middleware):
        app = to_wsgi(get_asgi_application())
        started, body = call(app, f"path={data_file}", True, {"Accept-Encoding": "gzip"})
        app.shutdown()
    assert started["headers"]["content-encoding"] == "gzip"
    assert gzip.decompress(body) == DATA
    assert FileWrapper.handed == []
