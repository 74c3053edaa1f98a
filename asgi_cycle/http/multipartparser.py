"""Parse a ``multipart/form-data`` body into ``POST`` and ``FILES``.

The body file is fed in chunks to starlette's ``MultiPartParser`` (itself on
python-multipart), with Django's limits on top:

* more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields -> ``TooManyFieldsSent``;
* more than ``DATA_UPLOAD_MAX_NUMBER_FILES`` files -> ``TooManyFilesSent``;
* a field, or all fields together, over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
  -> ``RequestDataTooBig`` (file parts do not count, as in Django);
* no or invalid boundary, malformed framing, a part without a name -> ``BadRequest``;
* a body that ends before the closing delimiter -> ``BadRequest``. Django
  accepts such a truncated form as partial (BAD_INPUT 10); a half-sent
  form is more likely a broken client than a deliberate one, so it is refused.

Files are spooled to temporary files (in memory up to
``FILE_UPLOAD_MAX_MEMORY_SIZE``, then in ``FILE_UPLOAD_TEMP_DIR``; disk writes
run in a worker thread) and every one is closed if parsing fails.
"""

from __future__ import annotations

import io
import math
import re
import sys
import tempfile
from collections.abc import AsyncGenerator
from typing import IO, Any

import anyio
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from asgi_cycle.core.files.uploadedfile import UploadedFile, sanitize_file_name
from asgi_cycle.http.querydict import QueryDict
from asgi_cycle.utils.datastructures import MultiValueDict
from asgi_cycle.utils.http import parse_header_parameters

#: Bytes read from the body file per parser step.
CHUNK_SIZE = 64 * 1024

# RFC 2046 5.1.1: 1 to 70 characters, not ending with a space.
_BOUNDARY_RE = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")


class MultiPartParserError(BadRequest):
    """The multipart body is malformed."""


class _LimitedParser(MultiPartParser):
    """starlette's parser with Django's counting rules and truncation detection."""

    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        *,
        max_fields: int | None,
        max_files: int | None,
        max_field_bytes: int | None,
        spool_max_size: int,
        temp_dir: str | None,
    ) -> None:
        super().__init__(
            headers,
            stream,
            max_files=math.inf,
            max_fields=math.inf,
            max_part_size=sys.maxsize if max_field_bytes is None else max_field_bytes,
        )
        self.spool_max_size = spool_max_size
        self.temp_dir = temp_dir
        self.limit_fields = max_fields
        self.limit_files = max_files
        self.limit_field_bytes = max_field_bytes
        self.fields = 0
        self.files = 0
        self.field_bytes = 0
        self.ended = False
        #: Every upload opened, finished or not (a truncated body leaves one unfinished).
        self.uploads: list[UploadFile] = []

    def on_headers_finished(self) -> None:
        """Count the part as a field or a file once its headers are known."""
        super().on_headers_finished()
        if self._current_part.file is None:
            self.fields += 1
            if self.limit_fields is not None and self.fields > self.limit_fields:
                raise TooManyFieldsSent(
                    "The number of GET/POST parameters exceeded "
                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
                )
        else:
            upload = self._current_part.file
            if self.temp_dir is not None:
                # starlette spools to the default temp dir; FILE_UPLOAD_TEMP_DIR says where.
                upload.file.close()
                upload.file = tempfile.SpooledTemporaryFile(  # type: ignore[assignment]
                    max_size=self.spool_max_size, dir=self.temp_dir
                )
            self.uploads.append(upload)
            self.files += 1
            if self.limit_files is not None and self.files > self.limit_files:
                raise TooManyFilesSent(
                    "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
                )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        """Count field bytes against DATA_UPLOAD_MAX_MEMORY_SIZE, then store them."""
        if self._current_part.file is None and self.limit_field_bytes is not None:
            self.field_bytes += end - start
            if self.field_bytes > self.limit_field_bytes:
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                )
        super().on_part_data(data, start, end)

    def on_end(self) -> None:
        """The closing delimiter was seen: the body is complete."""
        self.ended = True


async def _chunks(body_file: IO[bytes], counter: list[int]) -> AsyncGenerator[bytes, None]:
    in_memory = isinstance(body_file, io.BytesIO)
    while True:
        if in_memory:
            chunk = body_file.read(CHUNK_SIZE)
        else:
            # A body spooled to disk is read off the event loop.
            chunk = await anyio.to_thread.run_sync(body_file.read, CHUNK_SIZE)
        if not chunk:
            return
        counter[0] += len(chunk)
        yield chunk


def _boundary(content_params: dict[str, str]) -> str:
    boundary = content_params.get("boundary")
    if not boundary:
        raise MultiPartParserError("Invalid boundary in multipart: None")
    if not _BOUNDARY_RE.fullmatch(boundary):
        raise MultiPartParserError(f"Invalid boundary in multipart: {boundary[:80]!r}")
    return boundary


async def aparse_multipart(
    body_file: IO[bytes], content_params: dict[str, str], encoding: str | None
) -> tuple[QueryDict, MultiValueDict[str, Any]]:
    """``(POST, FILES)`` for a multipart body; raises ``BadRequest`` subclasses on bad input."""
    boundary = _boundary(content_params)
    charset = encoding or str(settings.DEFAULT_CHARSET)
    # The parser reads boundary and charset back from a Content-Type header.
    content_type = f'multipart/form-data; boundary="{boundary}"; charset={charset}'
    counter = [0]
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    parser = _LimitedParser(
        Headers({"content-type": content_type}),
        _chunks(body_file, counter),
        max_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        max_files=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        max_field_bytes=limit,
        spool_max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        temp_dir=settings.FILE_UPLOAD_TEMP_DIR,
    )
    try:
        form = await parser.parse()
    except BaseException as exc:
        # Every upload opened so far is closed, whatever stopped the parse.
        for opened in parser.uploads:
            opened.file.close()
        if isinstance(exc, MultiPartException):
            raise MultiPartParserError(exc.message) from exc
        raise
    items = form.multi_items()
    if counter[0] and not parser.ended:
        for opened in parser.uploads:
            opened.file.close()
        raise MultiPartParserError("Truncated multipart body: the closing boundary is missing.")
    post = QueryDict(mutable=True, encoding=encoding)
    files: MultiValueDict[str, Any] = MultiValueDict()
    for name, value in items:
        if isinstance(value, str):
            post.appendlist(name, value)
            continue
        uploaded = _uploaded_file(value)
        if uploaded is None:
            value.file.close()
        else:
            files.appendlist(name, uploaded)
    post._mutable = False
    return post, files


def _uploaded_file(upload: UploadFile) -> UploadedFile | None:
    """Wrap starlette's upload; None for a part whose name sanitises to nothing."""
    name = sanitize_file_name(upload.filename or "")
    if name in {"", ".", ".."}:
        # As Django: a file input left empty, or a name that is only a path, is skipped.
        return None
    raw_type = upload.headers.get("content-type", "")
    content_type, params = parse_header_parameters(raw_type) if raw_type else ("", {})
    charset = params.pop("charset", None)
    return UploadedFile(
        file=upload.file,
        name=name,
        content_type=content_type or None,
        size=upload.size,
        charset=charset,
        content_type_extra=params,
    )


__all__ = ["MultiPartParserError", "aparse_multipart"]
