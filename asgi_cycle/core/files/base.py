"""``File``: a Python file object with Django's helpers (``chunks``, ``size``, ``open``)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from functools import cached_property
from typing import Any


class File:
    """Wrap a file object; reading and seeking are passed through to it."""

    DEFAULT_CHUNK_SIZE = 64 * 2**10

    def __init__(self, file: Any, name: str | None = None) -> None:
        self.file = file
        if name is None:
            name = getattr(file, "name", None)
        self.name = name
        if hasattr(file, "mode"):
            self.mode = file.mode

    def __str__(self) -> str:
        return self.name or ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self or 'None'}>"

    def __bool__(self) -> bool:
        return bool(self.name)

    def __len__(self) -> int:
        return int(self.size)

    @cached_property
    def size(self) -> int:
        """The file's size in bytes."""
        if hasattr(self.file, "size"):
            return int(self.file.size)
        if hasattr(self.file, "name"):
            try:
                return os.path.getsize(self.file.name)
            except (OSError, TypeError):
                pass
        if hasattr(self.file, "tell") and hasattr(self.file, "seek"):
            position = self.file.tell()
            self.file.seek(0, os.SEEK_END)
            size = int(self.file.tell())
            self.file.seek(position)
            return size
        raise AttributeError("Unable to determine the file's size.")

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The content from the start, in chunks of ``chunk_size`` (64 KiB) bytes."""
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        try:
            self.seek(0)
        except (AttributeError, io.UnsupportedOperation):
            pass
        while True:
            data = self.read(chunk_size)
            if not data:
                break
            yield data

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """Whether ``chunks(chunk_size)`` yields more than one chunk."""
        return self.size > (chunk_size or self.DEFAULT_CHUNK_SIZE)

    def __iter__(self) -> Iterator[bytes]:
        """The content line by line (``\\n``, ``\\r\\n`` or ``\\r`` endings kept)."""
        pending: bytes | None = None
        for chunk in self.chunks():
            for line in chunk.splitlines(True):
                if pending is not None:
                    if pending.endswith(b"\r") and line != b"\n":
                        # The pending line ended with a lone CR: it is complete.
                        yield pending
                    else:
                        # Either it continues, or this is the LF of a CRLF cut by the chunk.
                        line = pending + line
                    pending = None
                # A trailing CR might be the first half of a CRLF: wait for the next chunk.
                if line.endswith(b"\n"):
                    yield line
                else:
                    pending = line
        if pending is not None:
            yield pending

    def __enter__(self) -> File:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self, mode: str | None = None) -> File:
        """Rewind an open file, or reopen a closed one by name."""
        if not self.closed:
            self.seek(0)
        elif self.name and os.path.exists(self.name):
            self.file = open(self.name, str(mode or getattr(self, "mode", "rb")))
        else:
            raise ValueError("The file cannot be reopened.")
        return self

    def close(self) -> None:
        """Close the underlying file."""
        self.file.close()

    # -- pass-through to the wrapped file ---------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether the file is closed (or missing)."""
        return not self.file or bool(self.file.closed)

    def read(self, *args: Any) -> Any:
        """Read from the file."""
        return self.file.read(*args)

    def readline(self, *args: Any) -> Any:
        """Read a line from the file."""
        return self.file.readline(*args)

    def readlines(self, *args: Any) -> Any:
        """Read the remaining lines."""
        return self.file.readlines(*args)

    def write(self, data: Any) -> Any:
        """Write to the file."""
        return self.file.write(data)

    def seek(self, *args: Any) -> Any:
        """Move the file position."""
        return self.file.seek(*args)

    def tell(self) -> int:
        """The file position."""
        return int(self.file.tell())

    def flush(self) -> None:
        """Flush the file."""
        self.file.flush()

    def readable(self) -> bool:
        """Whether the file can be read."""
        return bool(getattr(self.file, "readable", lambda: True)())

    def seekable(self) -> bool:
        """Whether the file can seek."""
        return bool(getattr(self.file, "seekable", lambda: True)())

    def writable(self) -> bool:
        """Whether the file can be written."""
        return bool(getattr(self.file, "writable", lambda: False)())


class ContentFile(File):
    """A ``File`` over bytes or text held in memory."""

    def __init__(self, content: bytes | str, name: str | None = None) -> None:
        stream: Any = io.StringIO(content) if isinstance(content, str) else io.BytesIO(content)
        super().__init__(stream, name=name)
        self.size = len(content)

    def __bool__(self) -> bool:
        return True

    def open(self, mode: str | None = None) -> ContentFile:
        """Rewind."""
        self.seek(0)
        return self

    def close(self) -> None:
        """Nothing to release."""


__all__ = ["ContentFile", "File"]
