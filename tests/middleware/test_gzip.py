"""GZipMiddleware: when to compress, streaming (sync and async), headers, BREACH padding."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator

import anyio.to_thread
import httpx
import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http import HttpResponse, StreamingHttpResponse
from asgi_cycle.middleware.gzip import GZipMiddleware, compress_sequence, compress_string
from asgi_cycle.test import Client, override_settings

from .urls import BIG
from .utils import URLCONF, call, make_request, serve

ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}


def big(request):
    response = HttpResponse(BIG)
    response["ETag"] = '"abc"'
    return response


def test_compress_string_is_valid_gzip_with_random_padding():
    outputs = {compress_string(BIG, max_random_bytes=100) for _ in range(20)}
    assert all(gzip.decompress(out) == BIG for out in outputs)
    # The file name length varies, so the compressed length does too.
    assert len({len(out) for out in outputs}) > 1
    assert gzip.decompress(compress_string(b"")) == b""


def test_compress_sequence_yields_per_chunk():
    chunks = [BIG[:300], b"", BIG[300:]]
    pieces = list(compress_sequence(iter(chunks)))
    assert len(pieces) == 3  # one per non-empty chunk, plus the trailer
    # Every piece but the trailer decompresses on its own (sync flush).
    partial = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(pieces[0])
    assert partial == BIG[:300]
    assert gzip.decompress(b"".join(pieces)) == BIG


async def test_compresses_when_accepted(mode):
    response = await call(GZipMiddleware, make_request(headers=ACCEPT), big, mode)
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.content) == BIG
    assert response["Content-Length"] == str(len(response.content))
    assert response["ETag"] == 'W/"abc"'


async def test_not_accepted_still_varies(mode):
    response = await call(GZipMiddleware, make_request(), big, mode)
    assert "Content-Encoding" not in response.headers
    assert response["Vary"] == "Accept-Encoding"
    assert response.content == BIG


async def test_short_bodies_are_left_alone(mode):
    def short(request):
        return HttpResponse(b"x" * 199)

    response = await call(GZipMiddleware, make_request(headers=ACCEPT), short, mode)
    assert "Content-Encoding" not in response.headers
    assert "Vary" not in response.headers


async def test_incompressible_bodies_are_left_alone(mode):
    import os

    noise = os.urandom(400)

    def random_body(request):
        return HttpResponse(noise)

    response = await call(GZipMiddleware, make_request(headers=ACCEPT), random_body, mode)
    assert "Content-Encoding" not in response.headers
    assert response.content == noise


async def test_existing_encoding_is_left_alone(mode):
    def encoded(request):
        response = HttpResponse(BIG)
        response["Content-Encoding"] = "br"
        return response

    response = await call(GZipMiddleware, make_request(headers=ACCEPT), encoded, mode)
    assert response["Content-Encoding"] == "br"
    assert response.content == BIG


async def test_sync_streaming(mode):
    def streaming(request):
        return StreamingHttpResponse(iter([BIG[:500], BIG[500:]]))

    response = await call(GZipMiddleware, make_request(headers=ACCEPT), streaming, mode)
    assert response["Content-Encoding"] == "gzip"
    assert "Content-Length" not in response.headers
    assert gzip.decompress(b"".join(response.streaming_content)) == BIG


async def test_async_streaming(mode):
    async def chunks() -> AsyncIterator[bytes]:
        yield BIG[:500]
        yield BIG[500:]

    def streaming(request):
        return StreamingHttpResponse(chunks())

    response = await call(GZipMiddleware, make_request(headers=ACCEPT), streaming, mode)
    assert response.is_async
    assert response["Content-Encoding"] == "gzip"
    body = b"".join([chunk async for chunk in response.streaming_content])
    assert gzip.decompress(body) == BIG


@pytest.mark.parametrize("url", ["/big/", "/stream/", "/astream/"])
async def test_end_to_end_asgi(url):
    async with serve(["asgi_cycle.middleware.gzip.GZipMiddleware"]) as client:
        response = await client.get(url, headers={"Accept-Encoding": "gzip"})
        plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.content == BIG  # httpx decodes gzip
    assert "Content-Encoding" not in plain.headers
    assert plain.content == BIG


@pytest.mark.parametrize("url", ["/big/", "/stream/", "/astream/"])
async def test_end_to_end_wsgi(url):
    # The sync client: its WSGI transport hands back the raw (still gzipped) body.
    with override_settings(
        MIDDLEWARE=["asgi_cycle.middleware.gzip.GZipMiddleware"], ROOT_URLCONF=URLCONF
    ):
        app = get_asgi_application()

        def fetch() -> tuple[httpx.Response, httpx.Response]:
            with Client(app, wsgi=True) as client:
                return (
                    client.get(url, headers={"Accept-Encoding": "gzip"}),
                    client.get(url, headers={"Accept-Encoding": "identity"}),
                )

        response, plain = await anyio.to_thread.run_sync(fetch)
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.content == BIG
    assert "Content-Encoding" not in plain.headers
    assert plain.content == BIG
