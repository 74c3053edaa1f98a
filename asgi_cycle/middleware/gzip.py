"""``GZipMiddleware``: gzip responses for clients that accept it.

Rules, as Django's: bodies under 200 bytes are left alone; a response that
already has a Content-Encoding is left alone; ``Vary: Accept-Encoding`` is added
whenever compression was considered; a body is only replaced when gzip makes it
shorter; a strong ETag becomes weak (the bytes changed, the resource did not).

Streaming responses, sync or async iterators alike, are compressed chunk by
chunk as one gzip stream: each chunk is flushed (``Z_SYNC_FLUSH``) so that the
client receives data as the view produces it, and Content-Length is removed.

BREACH mitigation (as Django 4.2+): the gzip header carries a file name of
random length (0-99 bytes), so the compressed size of a page no longer leaks,
byte by byte, how well a secret in it compresses against attacker input.
"""

from __future__ import annotations

import re
import secrets
import struct
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from asgi_cycle.utils.cache import patch_vary_headers
from asgi_cycle.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

re_accepts_gzip = re.compile(r"\bgzip\b")
_FNAME = 0x08
_OS_UNKNOWN = 255
_MIN_LENGTH = 200


class GzipStream:
    """One gzip member written piece by piece (header, deflate data, CRC32 + size)."""

    def __init__(self, max_random_bytes: int = 0, compresslevel: int = 6) -> None:
        self._compressor = zlib.compressobj(compresslevel, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._crc = 0
        self._size = 0
        flags = _FNAME if max_random_bytes else 0
        # Magic, deflate, flags, mtime 0 (reproducible bytes), no extra flags, OS unknown.
        header = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 0, 0, _OS_UNKNOWN)
        if max_random_bytes:
            header += b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
        self._header: bytes | None = header

    def _take_header(self) -> bytes:
        header, self._header = self._header, None
        return header or b""

    def compress(self, data: bytes, flush: bool = False) -> bytes:
        """Compress ``data``; with ``flush`` return everything it produced so far."""
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        out = self._compressor.compress(data)
        if flush:
            out += self._compressor.flush(zlib.Z_SYNC_FLUSH)
        return self._take_header() + out

    def finish(self) -> bytes:
        """The end of the stream: the rest of the deflate data and the trailer."""
        tail = self._compressor.flush(zlib.Z_FINISH)
        trailer = struct.pack("<II", self._crc & 0xFFFFFFFF, self._size & 0xFFFFFFFF)
        return self._take_header() + tail + trailer


def compress_string(data: bytes, *, max_random_bytes: int = 0) -> bytes:
    """``data`` as a complete gzip file."""
    stream = GzipStream(max_random_bytes)
    return stream.compress(data) + stream.finish()


def compress_sequence(sequence: Iterable[bytes], *, max_random_bytes: int = 0) -> Iterator[bytes]:
    """Gzip a sync iterator of chunks, yielding a compressed piece per chunk."""
    stream = GzipStream(max_random_bytes)
    try:
        for chunk in sequence:
            if chunk:
                yield stream.compress(bytes(chunk), flush=True)
        yield stream.finish()
    finally:
        close = getattr(sequence, "close", None)
        if close is not None:
            close()


async def acompress_sequence(
    sequence: AsyncIterable[bytes], *, max_random_bytes: int = 0
) -> AsyncIterator[bytes]:
    """Gzip an async iterator of chunks, yielding a compressed piece per chunk."""
    stream = GzipStream(max_random_bytes)
    try:
        async for chunk in sequence:
            if chunk:
                yield stream.compress(bytes(chunk), flush=True)
        yield stream.finish()
    finally:
        aclose = getattr(sequence, "aclose", None)
        if aclose is not None:
            await aclose()


class GZipMiddleware(MiddlewareMixin):
    """Compress response bodies with gzip when the client accepts it."""

    nonblocking_hooks = True
    #: Upper bound (exclusive) of the random file-name length, for BREACH mitigation.
    max_random_bytes = 100

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Compress the body (or wrap the stream) and set the headers."""
        streaming = response.streaming
        if not streaming and len(response.content) < _MIN_LENGTH:  # type: ignore[attr-defined]
            return response
        headers = response.headers
        if "Content-Encoding" in headers:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        resp: Any = response
        if streaming:
            if getattr(resp, "is_async", False):
                resp.streaming_content = acompress_sequence(
                    resp.streaming_content, max_random_bytes=self.max_random_bytes
                )
            else:
                resp.streaming_content = compress_sequence(
                    resp.streaming_content, max_random_bytes=self.max_random_bytes
                )
            # The compressed size is unknown until the stream ends.
            if "Content-Length" in headers:
                del headers["Content-Length"]
        else:
            compressed = compress_string(resp.content, max_random_bytes=self.max_random_bytes)
            if len(compressed) >= len(resp.content):
                return response
            resp.content = compressed
            headers["Content-Length"] = str(len(compressed))
        etag = headers.get("ETag")
        if etag and etag.startswith('"'):
            headers["ETag"] = "W/" + etag
        headers["Content-Encoding"] = "gzip"
        return response


__all__ = [
    "GZipMiddleware",
    "acompress_sequence",
    "compress_sequence",
    "compress_string",
]
