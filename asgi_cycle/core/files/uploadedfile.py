"""Uploaded files (``request.FILES`` values) with Django's API.

The file name is sanitised when set (BAD_INPUT 14): only the base name is
kept (``/`` and ``\\`` both separate directories, HTML entities decoded
first), NUL, control and invisible format characters are dropped, and the
result is at most 255 characters, extension kept. ``.`` and ``..`` are
refused with ``SuspiciousFileOperation``.
"""

from __future__ import annotations

import html
import io
import os
from typing import Any

from asgi_cycle.core.exceptions import SuspiciousFileOperation
from asgi_cycle.core.files.base import File

MAX_NAME_LENGTH = 255


def sanitize_file_name(name: str) -> str:
    """The base name of an uploaded file's name, printable characters only, capped."""
    # Some browsers send HTML entities in names; decoding them first means an
    # entity-encoded slash ("&#47;") is split like a real one.
    name = html.unescape(name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Drops NUL, CR/LF and invisible format characters such as the RTL override.
    name = "".join(c for c in name if c.isprintable()).strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        ext = ext[:MAX_NAME_LENGTH]
        name = stem[: MAX_NAME_LENGTH - len(ext)] + ext
    return name


class UploadedFile(File):
    """A file uploaded in a multipart form: ``name``, ``size``, ``content_type``, ``charset``."""

    def __init__(
        self,
        file: Any = None,
        name: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        charset: str | None = None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(file, name)
        if size is not None:
            self.size = size
        self.content_type = content_type
        self.charset = charset
        self.content_type_extra = content_type_extra

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name} ({self.content_type})>"

    @property
    def name(self) -> str | None:
        """The sanitised base name given by the client."""
        return self._name

    @name.setter
    def name(self, value: str | None) -> None:
        if value is not None:
            value = sanitize_file_name(value)
            if value in {"", ".", ".."}:
                raise SuspiciousFileOperation(f"Could not derive file name from {value!r}")
        self._name = value


class InMemoryUploadedFile(UploadedFile):
    """An uploaded file held in memory."""

    def open(self, mode: str | None = None) -> InMemoryUploadedFile:
        """Rewind."""
        self.file.seek(0)
        return self

    def chunks(self, chunk_size: int | None = None) -> Any:
        """The content from the start, in chunks."""
        self.file.seek(0)
        return super().chunks(chunk_size)

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """A file in memory is always read in one go."""
        return False


class SimpleUploadedFile(InMemoryUploadedFile):
    """An in-memory upload built from bytes (handy in tests)."""

    def __init__(self, name: str, content: bytes | None, content_type: str = "text/plain") -> None:
        content = content or b""
        super().__init__(io.BytesIO(content), name, content_type, len(content))


__all__ = [
    "InMemoryUploadedFile",
    "SimpleUploadedFile",
    "UploadedFile",
    "sanitize_file_name",
]
