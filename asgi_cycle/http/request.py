"""``HttpRequest`` (Django's API) and ``ASGIRequest``, built lazily from an ASGI scope.

``ASGIRequest(scope, body_file)`` only stores a few attributes; ``META``,
``headers``, ``COOKIES`` and ``GET`` are computed on first access and cached.
``await request.aparse_body()`` parses a POSTed form; a parse error is kept and
raised on the first access to ``POST`` or ``FILES`` (as Django raises on access).
"""

from __future__ import annotations

import codecs
import io
from functools import cached_property
from itertools import chain
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import anyio

from asgi_cycle.conf import settings
from asgi_cycle.core import signing
from asgi_cycle.core.exceptions import (
    BadRequest,
    DisallowedHost,
    ImproperlyConfigured,
    RequestDataTooBig,
    SuspiciousOperation,
)
from asgi_cycle.http._hosts import (
    _ACCEPTED,
    _ACCEPTED_RAW,
    DEBUG_ALLOWED_HOSTS,
    remember_accepted,
    split_domain_port,
    validate_host,
)
from asgi_cycle.http._meta import GuardedMeta, add_headers
from asgi_cycle.http.cookie import parse_cookie
from asgi_cycle.http.headers import HttpHeaders, MediaType, parse_accept_header
from asgi_cycle.http.querydict import QueryDict
from asgi_cycle.types import Scope
from asgi_cycle.utils.datastructures import MultiValueDict
from asgi_cycle.utils.encoding import escape_uri_path, iri_to_uri
from asgi_cycle.utils.http import parse_header_parameters

RAISE_ERROR: Any = object()


class UnreadablePostError(OSError):
    """The request body could not be read."""


class RawPostDataException(Exception):
    """``body`` was asked for after the body stream had been consumed."""


class _MetaAttribute:
    """``request.META``: built on first read by ``_build_meta``; assignable and deletable.

    A data descriptor rather than a cached_property, so that hot paths can ask
    whether META exists (``request._meta is None``) without reading ``__dict__``,
    which on CPython 3.11+ turns the instance's inline attributes into a real dict
    and slows every later attribute access. The value is mirrored in ``__dict__``,
    where a cached_property would have left it.
    """

    def __get__(self, request: Any, owner: Any = None) -> Any:
        if request is None:
            return self
        meta = request._meta
        if meta is None:
            meta = request._meta = request._build_meta()
            request.__dict__["META"] = meta
        return meta

    def __set__(self, request: Any, value: Any) -> None:
        request._meta = value
        request.__dict__["META"] = value

    def __delete__(self, request: Any) -> None:
        request._meta = None
        request.__dict__.pop("META", None)


class _ResolverMatchAttribute:
    """``request.resolver_match``: set by the handler, or built on first read.

    For a static route the handler leaves ``(match, resolver, path, kwargs)`` in
    ``_pending_match`` instead of copying the resolver's shared match on every
    request; the first read makes the request's own copy (with the very kwargs
    dict the view hooks and the view were given), as ``resolve()`` would.
    """

    def __get__(self, request: Any, owner: Any = None) -> Any:
        if request is None:
            return self
        match = request._resolver_match
        if match is None:
            pending = request._pending_match
            if pending is not None:
                shared, resolver, path, kwargs = pending
                match = shared.copy()
                match.kwargs = kwargs
                match._tried_source = (resolver, path)
                request._resolver_match = match
                request._pending_match = None
        return match

    def __set__(self, request: Any, value: Any) -> None:
        request._resolver_match = value
        request._pending_match = None


_NO_SESSION: Any = object()


class _SessionAttribute:
    """``request.session``: set as usual, or built on first read from a factory.

    ``SessionMiddleware`` leaves a factory in ``_session_factory`` instead of
    building a store for every request; the first read builds it (most
    requests never read it). Without a session or a factory the attribute is
    missing, as a plain attribute would be, so ``hasattr(request, "session")``
    still tells whether the middleware ran.
    """

    def __get__(self, request: Any, owner: Any = None) -> Any:
        if request is None:
            return self
        session = request._session
        if session is _NO_SESSION:
            factory = request._session_factory
            if factory is None:
                raise AttributeError(
                    f"{type(request).__name__!r} object has no attribute 'session'"
                )
            request._session_factory = None
            session = request._session = factory(request)
        return session

    def __set__(self, request: Any, value: Any) -> None:
        request._session = value
        request._session_factory = None

    def __delete__(self, request: Any) -> None:
        if request._session is _NO_SESSION and request._session_factory is None:
            raise AttributeError("session")
        request._session = _NO_SESSION
        request._session_factory = None


class HttpRequest:
    """An HTTP request: Django's attributes and methods."""

    _encoding: str | None = None
    _upload_handlers: list[Any] = []
    _body_stream: IO[bytes] | None = None
    _read_started = False
    _post: QueryDict | None = None
    _files: MultiValueDict[str, Any] | None = None
    _post_error: Exception | None = None
    resolver_match: Any = _ResolverMatchAttribute()
    _resolver_match: Any = None
    _pending_match: tuple[Any, Any, str, dict[str, Any]] | None = None
    urlconf: Any = None
    #: Set by SessionMiddleware (see _SessionAttribute); not one of Django's names.
    session: Any = _SessionAttribute()
    _session: Any = _NO_SESSION
    _session_factory: Any = None

    def __init__(self) -> None:
        self.path = ""
        self.path_info = ""
        self.method: str | None = None
        self._stream = io.BytesIO()

    @property
    def _stream(self) -> IO[bytes]:
        # An empty body's stream is made only if someone reads it (most GETs never do).
        stream = self._body_stream
        if stream is None:
            stream = self._body_stream = io.BytesIO()
        return stream

    @_stream.setter
    def _stream(self, value: IO[bytes]) -> None:
        self._body_stream = value

    def __repr__(self) -> str:
        if self.method is None or not self.get_full_path():
            return f"<{type(self).__name__}>"
        return f"<{type(self).__name__}: {self.method} {self.get_full_path()!r}>"

    # -- lazily derived attributes (ASGIRequest overrides the builders) ------------

    #: The WSGI-style environment: ``REQUEST_METHOD``, ``HTTP_*`` headers, etc.
    META: Any = _MetaAttribute()
    _meta: dict[str, Any] | None = None

    def _build_meta(self) -> dict[str, Any]:
        """META's value on first read (ASGIRequest builds it from the scope)."""
        return {}

    @cached_property
    def GET(self) -> QueryDict:
        """The query string's parameters."""
        return QueryDict(mutable=True, encoding=self._encoding)

    @cached_property
    def COOKIES(self) -> dict[str, str]:
        """The request's cookies, by name."""
        return parse_cookie(self.META.get("HTTP_COOKIE", ""))

    @cached_property
    def headers(self) -> HttpHeaders:
        """The HTTP headers, case-insensitive (``request.headers["User-Agent"]``)."""
        return HttpHeaders(self.META)

    @cached_property
    def _content_type_and_params(self) -> tuple[str, dict[str, str]]:
        return parse_header_parameters(self.META.get("CONTENT_TYPE", ""))

    @property
    def content_type(self) -> str:
        """The body's media type, lower-cased, without parameters."""
        return self._content_type_and_params[0]

    @content_type.setter
    def content_type(self, value: str) -> None:
        self._content_type_and_params = (value, self.content_params)

    @property
    def content_params(self) -> dict[str, str]:
        """The parameters of the ``Content-Type`` header."""
        return self._content_type_and_params[1]

    @content_params.setter
    def content_params(self, value: dict[str, str]) -> None:
        self._content_type_and_params = (self.content_type, value)

    @property
    def encoding(self) -> str | None:
        """The charset for decoding form data (from ``Content-Type``, else the default)."""
        if self._encoding is None:
            charset = self.content_params.get("charset")
            if charset:
                try:
                    codecs.lookup(charset)
                except LookupError:
                    pass
                else:
                    self._encoding = charset
        return self._encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        """Set the charset; ``GET`` (and a urlencoded ``POST``) are decoded again."""
        self._encoding = value
        self.__dict__.pop("GET", None)
        if self._post is not None and hasattr(self, "_body") and not self._post_error:
            if self.content_type == "application/x-www-form-urlencoded":
                self._post = QueryDict(self._body, encoding=value)

    @property
    def scheme(self) -> str:
        """``http`` or ``https``, honouring ``SECURE_PROXY_SSL_HEADER``."""
        proxy_header = settings.SECURE_PROXY_SSL_HEADER
        if proxy_header:
            try:
                header, secure_value = proxy_header
            except ValueError:
                raise ImproperlyConfigured(
                    "The SECURE_PROXY_SSL_HEADER setting must be a tuple containing two values."
                ) from None
            header_value = self.META.get(header)
            if header_value is not None:
                # A proxy chain appends values: the first is the one the client used.
                first = header_value.split(",", 1)[0].strip()
                return "https" if first == secure_value else "http"
        return self._get_scheme()

    def _get_scheme(self) -> str:
        return "http"

    def is_secure(self) -> bool:
        """Whether the request came over HTTPS."""
        return self.scheme == "https"

    # -- host, port, paths --------------------------------------------------------

    def _get_raw_host(self) -> str:
        meta = self.META
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
            return str(meta["HTTP_X_FORWARDED_HOST"])
        if "HTTP_HOST" in meta:
            return str(meta["HTTP_HOST"])
        # HTTP/1.0 without Host: the server's own address.
        host = str(meta.get("SERVER_NAME", ""))
        port = self.get_port()
        if port != ("443" if self.is_secure() else "80"):
            host = f"{host}:{port}"
        return host

    def get_host(self) -> str:
        """The validated host (with port if given) or ``DisallowedHost``."""
        host = self._get_raw_host()
        allowed_hosts: Any = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed_hosts:
            allowed_hosts = DEBUG_ALLOWED_HOSTS
        if _ACCEPTED.get(host) is allowed_hosts:  # passed before, against these very settings
            return host
        domain, _port = split_domain_port(host)
        if domain and validate_host(domain, allowed_hosts):
            remember_accepted(host, allowed_hosts)
            return host
        message = f"Invalid HTTP_HOST header: {host!r}."
        if domain:
            message += f" You may need to add {domain!r} to ALLOWED_HOSTS."
        else:
            message += " The domain name provided is not valid according to RFC 1034/1035."
        raise DisallowedHost(message)

    def get_port(self) -> str:
        """The port the request came to (``X-Forwarded-Port`` if allowed)."""
        meta = self.META
        if settings.USE_X_FORWARDED_PORT and "HTTP_X_FORWARDED_PORT" in meta:
            return str(meta["HTTP_X_FORWARDED_PORT"])
        return str(meta.get("SERVER_PORT", ""))

    def _query_string(self) -> str:
        return str(self.META.get("QUERY_STRING", ""))

    def _get_full_path(self, path: str, force_append_slash: bool) -> str:
        query = self._query_string()
        slash = "/" if force_append_slash and not path.endswith("/") else ""
        return f"{escape_uri_path(path)}{slash}{'?' + iri_to_uri(query) if query else ''}"

    def get_full_path(self, force_append_slash: bool = False) -> str:
        """The path with the query string, URI-escaped."""
        return self._get_full_path(self.path, force_append_slash)

    def get_full_path_info(self, force_append_slash: bool = False) -> str:
        """Like ``get_full_path`` for ``path_info`` (without the script prefix)."""
        return self._get_full_path(self.path_info, force_append_slash)

    @cached_property
    def _current_scheme_host(self) -> str:
        return f"{self.scheme}://{self.get_host()}"

    def build_absolute_uri(self, location: str | None = None) -> str:
        """The absolute URI of ``location`` (default: this request's full path)."""
        location = f"//{self.get_full_path()}" if location is None else str(location)
        bits = urlsplit(location)
        if not (bits.scheme and bits.netloc):
            if (
                bits.path.startswith("/")
                and not bits.scheme
                and not bits.netloc
                and "/./" not in bits.path
                and "/../" not in bits.path
            ):
                # Absolute path on this host: skip urljoin, which collapses "//".
                location = self._current_scheme_host + location.removeprefix("//")
            else:
                location = urljoin(self._current_scheme_host + self.path, location)
        return str(iri_to_uri(location))

    def get_signed_cookie(
        self, key: str, default: Any = RAISE_ERROR, salt: str = "", max_age: Any = None
    ) -> Any:
        """The value of a cookie set by ``set_signed_cookie``; ``default`` if bad or absent."""
        try:
            cookie_value = self.COOKIES[key]
        except KeyError:
            if default is not RAISE_ERROR:
                return default
            raise
        try:
            return signing.get_cookie_signer(salt=key + salt).unsign(cookie_value, max_age=max_age)
        except signing.BadSignature:
            if default is not RAISE_ERROR:
                return default
            raise

    @cached_property
    def accepted_types(self) -> list[MediaType]:
        """The ``Accept`` header's media ranges, best first."""
        return parse_accept_header(self.headers.get("Accept", "*/*"))

    def accepts(self, media_type: str) -> bool:
        """Whether the client accepts ``media_type``."""
        return any(accepted.match(media_type) for accepted in self.accepted_types)

    def get_preferred_type(self, media_types: list[str]) -> str | None:
        """The first of ``media_types`` the client prefers most, or None."""
        for accepted in self.accepted_types:
            for media_type in media_types:
                if accepted.match(media_type):
                    return media_type
        return None

    # -- body ---------------------------------------------------------------------

    @property
    def body(self) -> bytes:
        """The raw body, read once (not after the stream was read or a multipart parse)."""
        if not hasattr(self, "_body"):
            if self._read_started:
                raise RawPostDataException(
                    "You cannot access body after reading from request's data stream"
                )
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and _stream_size(self._stream) > limit:
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                )
            try:
                self._body = self._stream.read()
            except OSError as exc:
                raise UnreadablePostError(*exc.args) from exc
            finally:
                self._stream.close()
            self._stream = io.BytesIO(self._body)
        return self._body

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        """Read from the body stream."""
        self._read_started = True
        try:
            return self._stream.read(*args, **kwargs)
        except OSError as exc:
            raise UnreadablePostError(*exc.args) from exc

    def readline(self, *args: Any, **kwargs: Any) -> bytes:
        """Read a line from the body stream."""
        self._read_started = True
        try:
            return self._stream.readline(*args, **kwargs)
        except OSError as exc:
            raise UnreadablePostError(*exc.args) from exc

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def readlines(self) -> list[bytes]:
        """Every remaining line of the body stream."""
        return list(self)

    @property
    def POST(self) -> QueryDict:
        """The form fields of a POSTed urlencoded or multipart body."""
        if self._post is None:
            self._load_post_and_files()
        self._raise_post_error()
        return self._post  # type: ignore[return-value]

    @POST.setter
    def POST(self, value: QueryDict) -> None:
        self._post = value

    @property
    def FILES(self) -> MultiValueDict[str, Any]:
        """The uploaded files of a multipart body."""
        if self._files is None:
            self._load_post_and_files()
        self._raise_post_error()
        return self._files  # type: ignore[return-value]

    @FILES.setter
    def FILES(self, value: MultiValueDict[str, Any]) -> None:
        self._files = value

    def _raise_post_error(self) -> None:
        error = self._post_error
        if error is not None:
            # Raised once, as Django does; afterwards POST and FILES read as empty.
            self._post_error = None
            raise error

    def _load_post_and_files(self) -> None:
        """Parse the body synchronously (for requests whose body was not parsed async)."""
        if self.method != "POST":
            self._post, self._files = QueryDict(encoding=self._encoding), MultiValueDict()
            return
        if self.content_type == "multipart/form-data":
            from asgi_cycle.utils.asyncio import async_to_sync

            async_to_sync(self.aparse_body)()
            return
        self._parse_urlencoded(lambda: self.body)

    def _parse_urlencoded(self, read: Any) -> None:
        self._files = MultiValueDict()
        if self.content_type != "application/x-www-form-urlencoded":
            self._post = QueryDict(encoding=self._encoding)
            return
        try:
            self._post = QueryDict(read(), encoding=self.encoding)
        except (BadRequest, SuspiciousOperation) as exc:
            self._mark_post_parse_error(exc)

    def _mark_post_parse_error(self, exc: Exception) -> None:
        self._post = QueryDict(encoding=self._encoding)
        self._files = MultiValueDict()
        self._post_error = exc

    async def aparse_body(self) -> None:
        """Parse a POSTed urlencoded or multipart body into ``POST`` and ``FILES``.

        Errors are kept and raised on the first access to ``POST``/``FILES``:
        the handler calls this before the onion, so raising here would bypass
        the exception-to-response layer. Other methods and content types leave
        ``POST`` empty, as Django does.
        """
        if self._post is not None or self.method != "POST":
            return
        content_type = "form"
        try:
            # Inside the try: a Content-Type over the header cap raises BadRequest here.
            content_type = self.content_type
            if content_type == "multipart/form-data":
                from asgi_cycle.http.multipartparser import aparse_multipart

                self._read_started = True
                self._post, self._files = await aparse_multipart(
                    self._stream, self.content_params, self.encoding
                )
            elif content_type == "application/x-www-form-urlencoded":
                if not hasattr(self, "_body") and not isinstance(self._stream, io.BytesIO):
                    # A body spooled to disk is read off the event loop.
                    await anyio.to_thread.run_sync(lambda: self.body)
                self._parse_urlencoded(lambda: self.body)
            else:
                self._parse_urlencoded(bytes)
        except (BadRequest, SuspiciousOperation) as exc:
            self._mark_post_parse_error(exc)
        except (ValueError, LookupError) as exc:
            # A parser tripping over malformed input is the client's fault: 400.
            error = BadRequest(f"Malformed {content_type} body: {exc}")
            error.__cause__ = exc
            self._mark_post_parse_error(error)
        except Exception as exc:  # e.g. OSError: raised inside the onion, as a 500 page
            self._mark_post_parse_error(exc)

    def close(self) -> None:
        """Close uploaded files and the body stream."""
        if self._files:
            for upload in chain.from_iterable(values for _, values in self._files.lists()):
                upload.close()
        stream = self._body_stream
        if stream is not None:
            stream.close()


def _stream_size(stream: IO[bytes]) -> int:
    """Bytes left in ``stream`` from its current position."""
    if isinstance(stream, io.BytesIO):
        return stream.getbuffer().nbytes - stream.tell()
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
    except (OSError, ValueError):
        return 0
    return end - here


def _scope_host(scope: Scope) -> bytes | None:
    """The value of the scope's one Host header; None if it has none or several."""
    found: bytes | None = None
    for name, value in scope.get("headers", ()):
        if len(name) == 4 and (name == b"host" or name.lower() == b"host"):
            if found is not None:
                return None
            found = value
    return found


class ASGIRequest(HttpRequest):
    """A request built from an ASGI ``scope`` and a body file positioned at 0.

    ``body_file`` None stands for an empty body (its stream is made when read).
    """

    script_name = ""

    def __init__(self, scope: Scope, body_file: IO[bytes] | None = None) -> None:
        self.scope = scope
        if body_file is not None:
            self._body_stream = body_file
        self.method = scope["method"].upper()
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        if not root_path:
            self.path = self.path_info = path  # script_name: the class's ""
            return
        # ASGI's path includes root_path; servers before that rule sent it without.
        self.script_name = root_path
        if path == root_path or path.startswith(root_path.rstrip("/") + "/"):
            self.path_info = path[len(root_path.rstrip("/")) :] or "/"
            self.path = path
        else:
            self.path_info = path
            self.path = root_path.rstrip("/") + path

    def _get_scheme(self) -> str:
        return str(self.scope.get("scheme") or "http")

    #: Whether the class keeps ASGIRequest's _get_raw_host (get_host may then read the
    #: scope inline).
    _scope_host_ok = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._scope_host_ok = cls._get_raw_host is ASGIRequest._get_raw_host

    def _get_raw_host(self) -> str:
        # get_host() runs on every request (CommonMiddleware): read the one Host header
        # from the scope rather than build all of META. Anything unusual (no Host, two,
        # one over the length cap, X-Forwarded-Host in use) takes META's path.
        if self._meta is None and not settings.USE_X_FORWARDED_HOST:
            found = _scope_host(self.scope)
            if found is not None:
                cap = settings.CYCLE_MAX_HEADER_VALUE
                if cap is None or len(found) <= cap:
                    return found.decode("latin-1")
        return super()._get_raw_host()

    def get_host(self) -> str:
        """The validated host (with port if given) or ``DisallowedHost``."""
        # A Host accepted before against the ALLOWED_HOSTS in force returns at once:
        # _get_raw_host's scope read and HttpRequest.get_host's table look-up, inline.
        if self._meta is None and self._scope_host_ok and not settings.USE_X_FORWARDED_HOST:
            found: bytes | None = None
            for name, value in self.scope.get("headers", ()):
                if len(name) == 4 and (name == b"host" or name.lower() == b"host"):
                    if found is not None:
                        break
                    found = value
            else:
                if found is not None:
                    accepted = _ACCEPTED_RAW.get(found)  # (host, ALLOWED_HOSTS it passed)
                    if accepted is not None:
                        allowed = settings.ALLOWED_HOSTS
                        if allowed and accepted[1] is allowed:
                            cap = settings.CYCLE_MAX_HEADER_VALUE
                            if cap is None or len(found) <= cap:
                                return accepted[0]
        return super().get_host()

    def _query_string(self) -> str:
        raw = self.scope.get("query_string", b"")
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)

    @cached_property
    def GET(self) -> QueryDict:
        """The query string's parameters (lenient decoding, field-count limit)."""
        raw = self.scope.get("query_string", b"")
        return QueryDict(raw, encoding=self._encoding)

    def _build_meta(self) -> dict[str, Any]:
        """The WSGI-style environment, built from the scope on first access."""
        scope = self.scope
        meta: dict[str, Any] = {
            "REQUEST_METHOD": self.method,
            "QUERY_STRING": self._query_string(),
            "SCRIPT_NAME": self.script_name,
            "PATH_INFO": self.path_info,
            "SERVER_PROTOCOL": "HTTP/" + str(scope.get("http_version", "1.1")),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
        }
        client = scope.get("client")
        if client:
            meta["REMOTE_ADDR"] = client[0]
            meta["REMOTE_HOST"] = client[0]
            meta["REMOTE_PORT"] = client[1]
        server = scope.get("server")
        if server:
            meta["SERVER_NAME"] = str(server[0])
            meta["SERVER_PORT"] = "0" if server[1] is None else str(server[1])
        else:
            meta["SERVER_NAME"] = "unknown"
            meta["SERVER_PORT"] = "0"
        refused = add_headers(meta, scope.get("headers", ()), settings.CYCLE_MAX_HEADER_VALUE)
        if refused:
            return GuardedMeta(meta, refused)
        return meta

    @cached_property
    def headers(self) -> HttpHeaders:
        """The HTTP headers, case-insensitive."""
        meta = self.META
        refused = meta.refused if isinstance(meta, GuardedMeta) else ()
        return HttpHeaders(dict(meta), refused) if refused else HttpHeaders(meta)

    @cached_property
    def COOKIES(self) -> dict[str, str]:
        """The request's cookies, by name."""
        return parse_cookie(self.META.get("HTTP_COOKIE", ""))


__all__ = [
    "ASGIRequest",
    "HttpHeaders",
    "HttpRequest",
    "MediaType",
    "QueryDict",
    "RawPostDataException",
    "UnreadablePostError",
    "split_domain_port",
    "validate_host",
]
