"""StreamingHttpResponse (sync and async, never buffered) and FileResponse."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from asgi_cycle.http import FileResponse, StreamingHttpResponse


def test_sync_stream_is_lazy_and_encoded():
    produced = []

    def gen() -> Iterator[Any]:
        for part in ("a", b"b", "é"):
            produced.append(part)
            yield part

    response = StreamingHttpResponse(gen())
    assert response.streaming and not response.is_async
    assert produced == []  # nothing consumed at construction
    iterator = iter(response.streaming_content)
    assert next(iterator) == b"a"
    assert produced == ["a"]
    assert list(iterator) == [b"b", "é".encode()]
    assert b"content-length" not in dict(response.asgi_headers())


def test_content_is_not_available():
    response = StreamingHttpResponse([b"x"])
    with pytest.raises(AttributeError, match="streaming_content"):
        _ = response.content
    with pytest.raises(AttributeError):
        _ = response.text
    assert response.getvalue() == b"x"


def test_closing_the_response_closes_the_generator():
    closed = []

    def gen() -> Iterator[Any]:
        try:
            yield b"1"
            yield b"2"
        finally:
            closed.append(True)

    response = StreamingHttpResponse(gen())
    next(iter(response.streaming_content))
    response.close()
    assert closed == [True]


async def test_async_stream_yields_chunk_by_chunk_and_closes():
    seen = []
    closed = []

    async def agen() -> AsyncIterator[Any]:
        try:
            for part in (b"x", "y", b"z"):
                seen.append(part)
                yield part
        finally:
            closed.append(True)

    response = StreamingHttpResponse(agen())
    assert response.is_async
    stream = response.streaming_content
    assert await stream.__anext__() == b"x"
    assert seen == [b"x"]
    assert await stream.__anext__() == b"y"
    await stream.aclose()  # what the handler does when the client leaves
    assert closed == [True]
    assert seen == [b"x", "y"]


async def test_async_iteration_of_both_kinds():
    async def agen() -> AsyncIterator[Any]:
        yield b"a"
        yield b"b"

    assert [part async for part in StreamingHttpResponse(agen())] == [b"a", b"b"]
    assert [part async for part in StreamingHttpResponse(iter([b"c", "d"]))] == [b"c", b"d"]


def test_sync_iteration_of_async_content_collects_it():
    async def agen() -> AsyncIterator[Any]:
        yield b"a"
        yield "b"

    assert StreamingHttpResponse(agen()).getvalue() == b"ab"


def test_file_response_headers_and_blocks(tmp_path):
    data = b"0123456789" * 20_000
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    handle = path.open("rb")
    response = FileResponse(handle)
    assert response.file_to_stream is handle
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    blocks = list(response.streaming_content)
    assert [len(b) for b in blocks] == [65536, 65536, 65536, 200_000 - 3 * 65536]
    assert b"".join(blocks) == data
    response.close()
    assert handle.closed


def test_file_response_attachment_and_explicit_type(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"x")
    with path.open("rb") as handle:
        response = FileResponse(
            handle, as_attachment=True, filename="out.csv", content_type="text/csv"
        )
        assert response["Content-Type"] == "text/csv"
        assert response["Content-Disposition"] == 'attachment; filename="out.csv"'
        response.close()


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        ("naïve.txt", "attachment; filename*=utf-8''na%C3%AFve.txt"),
        ('a"b.txt', "attachment; filename*=utf-8''a%22b.txt"),
        ("a;b.txt", "attachment; filename*=utf-8''a%3Bb.txt"),
        ("a\\b.txt", "attachment; filename*=utf-8''a%5Cb.txt"),
        ("x\r\ny.txt", "attachment; filename*=utf-8''x%0D%0Ay.txt"),
        ("plain name.txt", 'attachment; filename="plain name.txt"'),
    ],
)
def test_file_response_disposition_is_rfc6266_encoded(filename, disposition):
    # BAD_INPUT 45: user-derived names with quotes or ';' never break the header.
    response = FileResponse(io.BytesIO(b"x"), as_attachment=True, filename=filename)
    assert response["Content-Disposition"] == disposition


def test_file_response_in_memory_and_compressed_types():
    buffer = io.BytesIO(b"abcdef")
    buffer.seek(2)
    response = FileResponse(buffer)
    assert response["Content-Length"] == "4"
    assert response["Content-Type"] == "application/octet-stream"
    assert "Content-Disposition" not in response
    assert b"".join(response.streaming_content) == b"cdef"
    gz = FileResponse(io.BytesIO(b""), filename="a.tar.gz")
    assert gz["Content-Type"] == "application/gzip"
    unknown = FileResponse(io.BytesIO(b""), filename="a.unknownext")
    assert unknown["Content-Type"] == "application/octet-stream"


def test_file_response_over_a_plain_iterable():
    response = FileResponse([b"a", b"b"])
    assert response.file_to_stream is None
    assert response.getvalue() == b"ab"
