"""Streaming responses: sync or async iterators sent chunk by chunk, and files."""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

from asgi_cycle.http.response import HttpResponseBase
from asgi_cycle.utils.http import content_disposition_header

# Compression "encodings" mimetypes reports; the file is sent as that archive type.
_COMPRESSED_TYPES = {
    "br": "application/x-brotli",
    "bzip2": "application/x-bzip",
    "compress": "application/x-compress",
    "gzip": "application/gzip",
    "xz": "application/x-xz",
}


class StreamingHttpResponse(HttpResponseBase):
    """A response whose body is an iterator or async iterator, never buffered.

    ``streaming_content`` yields bytes; ``is_async`` says which kind it is.
    The iterator's ``close`` (sync) or ``aclose`` (async) runs when the body
    is finished or abandoned.
    """

    streaming = True

    def __init__(self, streaming_content: Any = (), *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.streaming_content = streaming_content

    def __repr__(self) -> str:
        content_type = self.headers.get("Content-Type", "")
        return f'<{type(self).__qualname__} status_code={self.status_code}, "{content_type}">'

    @property
    def content(self) -> bytes:
        """Not available: read ``streaming_content`` instead."""
        raise AttributeError(
            f"This {type(self).__name__} instance has no `content` attribute. Use "
            "`streaming_content` instead."
        )

    @property
    def text(self) -> str:
        """Not available: read ``streaming_content`` instead."""
        raise AttributeError(f"This {type(self).__name__} instance has no `text` attribute.")

    @property
    def streaming_content(self) -> Any:
        """The body as an iterator (or async iterator when ``is_async``) of bytes."""
        if self.is_async:
            return self._aiterate(self._iterator)
        return map(self.make_bytes, self._iterator)

    @streaming_content.setter
    def streaming_content(self, value: Any) -> None:
        self._set_streaming_content(value)

    def _set_streaming_content(self, value: Any) -> None:
        try:
            self._iterator: Any = iter(value)
            self.is_async = False
        except TypeError:
            self._iterator = aiter(value)
            self.is_async = True
        if hasattr(value, "close"):
            self._resource_closers.append(value.close)

    async def _aiterate(self, iterator: AsyncIterator[Any]) -> AsyncIterator[bytes]:
        try:
            async for part in iterator:
                yield self.make_bytes(part)
        finally:
            # Closing the wrapper closes the user's generator too (its finally runs now).
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()

    def __iter__(self) -> Iterator[bytes]:
        if self.is_async:
            from asgi_cycle.utils.asyncio import async_to_sync

            # A sync consumer of async content must buffer it (as Django does).
            async def collect() -> list[bytes]:
                return [part async for part in self.streaming_content]

            return iter(async_to_sync(collect)())
        return iter(self.streaming_content)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.is_async:
            async for part in self.streaming_content:
                yield part
            return
        from asgi_cycle.utils.asyncio import sync_to_async

        done = object()
        step = sync_to_async(next)
        iterator = iter(self.streaming_content)
        while True:
            part = await step(iterator, done)
            if part is done:
                return
            yield part

    def getvalue(self) -> bytes:
        """The whole body, consumed and joined."""
        return b"".join(self)


class FileResponse(StreamingHttpResponse):
    """Stream a file in ``block_size`` blocks, with length, type and disposition set.

    The file object stays reachable as ``file_to_stream`` (for a WSGI server's
    ``wsgi.file_wrapper``) and is closed when the response is closed.
    """

    block_size = 64 * 1024

    def __init__(
        self, *args: Any, as_attachment: bool = False, filename: str = "", **kwargs: Any
    ) -> None:
        self.as_attachment = as_attachment
        self.filename = filename
        self._no_explicit_content_type = kwargs.get("content_type") is None
        self.file_to_stream: Any = None
        super().__init__(*args, **kwargs)

    def _set_streaming_content(self, value: Any) -> None:
        if not hasattr(value, "read"):
            self.file_to_stream = None
            super()._set_streaming_content(value)
            return
        self.file_to_stream = filelike = value
        if hasattr(filelike, "close"):
            self._resource_closers.append(filelike.close)
        block_size = self.block_size
        self.set_headers(filelike)
        super()._set_streaming_content(iter(lambda: filelike.read(block_size), b""))

    def set_headers(self, filelike: Any) -> None:
        """Set Content-Length, Content-Type and Content-Disposition from the file."""
        name = getattr(filelike, "name", "")
        name = name if isinstance(name, str) else ""
        seekable = hasattr(filelike, "seek") and (
            not hasattr(filelike, "seekable") or filelike.seekable()
        )
        if hasattr(filelike, "tell"):
            if seekable:
                start = filelike.tell()
                filelike.seek(0, io.SEEK_END)
                self.headers["Content-Length"] = filelike.tell() - start
                filelike.seek(start)
            elif hasattr(filelike, "getbuffer"):
                self.headers["Content-Length"] = filelike.getbuffer().nbytes - filelike.tell()
            elif name and os.path.exists(name):
                self.headers["Content-Length"] = os.path.getsize(name) - filelike.tell()
        filename = os.path.basename(self.filename or name)
        if self._no_explicit_content_type:
            content_type = "application/octet-stream"
            if filename:
                guessed, encoding = mimetypes.guess_type(filename)
                content_type = _COMPRESSED_TYPES.get(encoding or "", guessed) or content_type
            self.headers["Content-Type"] = content_type
        disposition = content_disposition_header(self.as_attachment, filename)
        if disposition:
            self.headers["Content-Disposition"] = disposition


__all__ = ["FileResponse", "StreamingHttpResponse"]
