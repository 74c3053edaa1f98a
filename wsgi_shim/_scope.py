"""WSGI environ -> ASGI ``http`` scope: pure logic, no I/O.

Replaces ``a2wsgi.asgi.build_scope`` because that one loses information the
ASGI path has: it has no ``raw_path``, raises ``UnicodeDecodeError`` (a 500)
on a path that is not UTF-8 and ``UnicodeEncodeError`` on a query string that
is not ASCII, and takes ``scope["server"]`` from the ``Host`` header when the
server put it in ``SERVER_NAME``.

PEP 3333 strings are "bytes in latin-1 clothing": ``PATH_INFO`` and
``QUERY_STRING`` are re-encoded with latin-1 to get the bytes back, exactly as
Uvicorn hands them over.
"""

from __future__ import annotations

import importlib
import re
import socket
from typing import Any
from urllib.parse import quote

from asgi_cycle.types import RawHeaders, Scope

#: ASGI ``asgi`` key: one shared dict, as servers do (apps only read it).
_ASGI_VERSION = {"version": "3.0", "spec_version": "2.4"}

#: Response headers a WSGI application must not set (PEP 3333): the server frames.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)


_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/\-._~:@!$&'()*+,;=]")

#: Environ key -> header name (``HTTP_X_FOO`` -> ``b"x-foo"``), or ``b""`` for a key
#: that is not a request header; filled as keys are seen (the keys are few).
_HEADER_NAMES: dict[str, bytes] = {}
_CGI_DUPLICATES = frozenset({"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"})


def _header_name(key: str) -> bytes:
    if key[:5] != "HTTP_" or key in _CGI_DUPLICATES:
        name = b""
    else:
        name = key[5:].lower().replace("_", "-").encode("latin-1")
    if len(_HEADER_NAMES) < 512:  # a client sending endless new names cannot grow it
        _HEADER_NAMES[key] = name
    return name


# Files handed over whole are given to the server's wsgi.file_wrapper (sendfile).
_EXTENSIONS: dict[str, Any] = {"http.response.pathsend": {}}
_EXTENSIONS_SENDFILE: dict[str, Any] = {
    "http.response.pathsend": {},
    "http.response.zerocopysend": {},
}


class BadEnviron(ValueError):
    """The environ describes a request that cannot be turned into a scope (answer 400)."""


def build_scope(environ: dict[str, Any], state: dict[str, Any], strict: bool = True) -> Scope:
    """The ASGI ``http`` scope for one WSGI environ (``state``: the lifespan's, copied).

    A path that is not UTF-8 raises ``BadEnviron`` when ``strict``; otherwise it is
    decoded with replacement characters, as Uvicorn does, and ``raw_path`` keeps
    the real bytes, so an app that checks (``asgi_cycle``'s handler does) answers
    exactly as it would under Uvicorn.
    """
    script_name: str = environ.get("SCRIPT_NAME", "")
    path_info: str = environ.get("PATH_INFO", "")
    root_path = _text(script_name, strict) if script_name else ""
    path = root_path + (path_info if path_info.isascii() else _text(path_info, strict))

    headers: RawHeaders = []
    names = _HEADER_NAMES
    for key, value in environ.items():
        try:
            name = names[key]
        except KeyError:
            name = _header_name(key)
        if name:
            try:
                headers.append((name, value.encode("latin-1")))
            except UnicodeEncodeError:  # not PEP 3333: real text, see _bytes()
                headers.append((name, value.encode("utf-8")))
    content_type = environ.get("CONTENT_TYPE")
    if content_type:
        headers.append((b"content-type", _bytes(content_type)))
    content_length = environ.get("CONTENT_LENGTH")
    if content_length:
        headers.append((b"content-length", _bytes(content_length)))

    protocol: str = environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    query: str = environ.get("QUERY_STRING", "")
    scope: Scope = {
        "type": "http",
        "asgi": _ASGI_VERSION,
        "http_version": protocol[5:] if protocol[:5] == "HTTP/" else "1.1",
        "method": environ["REQUEST_METHOD"],
        "scheme": environ.get("wsgi.url_scheme", "http"),
        "path": path,
        "raw_path": _raw_path(environ, script_name + path_info),
        "query_string": _bytes(query) if query else b"",
        "root_path": root_path,
        "headers": headers,
        "server": _server(environ),
        "client": _client(environ),
        "extensions": _EXTENSIONS_SENDFILE if "wsgi.file_wrapper" in environ else _EXTENSIONS,
        "state": state.copy(),
        "wsgi_environ": environ,
    }
    return scope


def _bytes(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        # Not PEP 3333 (some test transports pass real text): keep what was meant.
        return value.encode("utf-8")


def _text(value: str, strict: bool) -> str:
    """A PEP 3333 path string as the text the client meant (UTF-8), or BadEnviron."""
    if value.isascii():
        return value
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return value  # already real text (a non-PEP 3333 caller)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not strict:
            return raw.decode("utf-8", "replace")
        raise BadEnviron(f"The request path is not valid UTF-8: {raw!r}") from exc


def _raw_path(environ: dict[str, Any], path: str) -> bytes:
    # Gunicorn keeps the request target in RAW_URI, uWSGI (and CGI) in REQUEST_URI.
    target: str | None = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if target:
        if target[:1] != "/":  # absolute-form target: "http://host/path?q"
            scheme_end = target.find("://")
            slash = target.find("/", scheme_end + 3) if scheme_end >= 0 else -1
            target = target[slash:] if slash >= 0 else "/"
        cut = target.find("?")
        return _bytes(target if cut < 0 else target[:cut])
    if path.isascii() and _NEEDS_QUOTING.search(path) is None:
        return path.encode("ascii")  # the common case, without quote()'s cost
    return quote(_bytes(path), safe="/:@!$&'()*+,;=~").encode("ascii")


def _server(environ: dict[str, Any]) -> tuple[str, int] | None:
    # SERVER_NAME comes from the Host header under Gunicorn, and is the machine's
    # name under uWSGI; ASGI's "server" is the address the connection came in on.
    sock = environ.get("gunicorn.socket")
    if sock is not None:
        address = _local_address(sock)
        if address is not None:
            return address
    elif "uwsgi.version" in environ:
        address = _uwsgi_local_address()
        if address is not None:
            return address
    name = environ.get("SERVER_NAME")
    if not name:
        return None
    try:
        return (name, int(environ.get("SERVER_PORT") or 0))
    except ValueError:
        return (name, 0)


def _local_address(sock: socket.socket) -> tuple[str, int] | None:
    try:
        address = sock.getsockname()
    except OSError:
        return None
    if isinstance(address, tuple):
        return (str(address[0]), int(address[1]))
    return None


def _uwsgi_local_address() -> tuple[str, int] | None:
    try:
        uwsgi = importlib.import_module("uwsgi")  # only importable inside a uWSGI worker
        sock = socket.socket(fileno=uwsgi.connection_fd())
    except (ImportError, OSError):
        return None
    try:
        return _local_address(sock)
    finally:
        sock.detach()  # the descriptor belongs to uWSGI


def _client(environ: dict[str, Any]) -> tuple[str, int] | None:
    address = environ.get("REMOTE_ADDR")
    if not address:
        return None
    try:
        return (address, int(environ.get("REMOTE_PORT") or 0))
    except ValueError:
        return (address, 0)


def wsgi_headers(headers: RawHeaders) -> list[tuple[str, str]]:
    """ASGI response headers as WSGI ``(name, value)`` strings, hop-by-hop ones dropped."""
    names = _RESPONSE_NAMES
    result = []
    for name, value in headers:
        text = names.get(name, "")
        if text == "":
            text = _response_name(name)
        if text is not None:
            result.append((text, value.decode("latin-1")))
    return result


#: Response header name -> WSGI name, or None for a hop-by-hop header (filled as seen).
_RESPONSE_NAMES: dict[bytes, str | None] = {}


def _response_name(name: bytes) -> str | None:
    text = name.decode("latin-1")
    result = None if text.lower() in HOP_BY_HOP else text
    if len(_RESPONSE_NAMES) < 512:
        _RESPONSE_NAMES[name] = result
    return result


__all__ = ["HOP_BY_HOP", "BadEnviron", "build_scope", "wsgi_headers"]
