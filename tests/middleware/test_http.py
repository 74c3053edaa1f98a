"""ConditionalGetMiddleware: ETags, Last-Modified, 304 and 412."""

from __future__ import annotations

import pytest

from asgi_cycle.http import HttpResponse, StreamingHttpResponse
from asgi_cycle.middleware.http import ConditionalGetMiddleware

from .utils import call, make_request, serve

LAST_MODIFIED = "Mon, 02 Jan 2023 00:00:00 GMT"


def page(request):
    response = HttpResponse("content")
    response.set_cookie("kept", "1")
    return response


def dated(request):
    response = HttpResponse("content")
    response["Last-Modified"] = LAST_MODIFIED
    return response


async def etag_of(mode: str) -> str:
    response = await call(ConditionalGetMiddleware, make_request(), page, mode)
    return str(response["ETag"])


async def test_etag_added_and_matching_gives_304(mode):
    etag = await etag_of(mode)
    assert etag.startswith('"') and len(etag) == 34
    request = make_request(headers={"If-None-Match": etag})
    response = await call(ConditionalGetMiddleware, request, page, mode)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response.cookies["kept"].value == "1"


async def test_weak_comparison_and_lists(mode):
    etag = await etag_of(mode)
    request = make_request(headers={"If-None-Match": f'"other", W/{etag}'})
    response = await call(ConditionalGetMiddleware, request, page, mode)
    assert response.status_code == 304


async def test_non_matching_etag_gives_200(mode):
    request = make_request(headers={"If-None-Match": '"nope"'})
    response = await call(ConditionalGetMiddleware, request, page, mode)
    assert response.status_code == 200
    assert response.content == b"content"


async def test_if_match_failure_gives_412(mode):
    request = make_request(headers={"If-Match": '"nope"'})
    response = await call(ConditionalGetMiddleware, request, page, mode)
    assert response.status_code == 412


@pytest.mark.parametrize(
    ("since", "status"),
    [
        (LAST_MODIFIED, 304),
        ("Tue, 03 Jan 2023 00:00:00 GMT", 304),
        ("Sun, 01 Jan 2023 00:00:00 GMT", 200),
        ("not a date", 200),
    ],
)
async def test_if_modified_since(mode, since, status):
    request = make_request(headers={"If-Modified-Since": since})
    response = await call(ConditionalGetMiddleware, request, dated, mode)
    assert response.status_code == status


async def test_only_get_is_handled(mode):
    etag = await etag_of(mode)
    for method in ("HEAD", "POST"):
        request = make_request(method, headers={"If-None-Match": etag})
        response = await call(ConditionalGetMiddleware, request, page, mode)
        assert response.status_code == 200
        assert "ETag" not in response.headers


async def test_no_store_and_streaming_get_no_etag(mode):
    def no_store(request):
        response = HttpResponse("content")
        response["Cache-Control"] = "private, no-store"
        return response

    def streaming(request):
        return StreamingHttpResponse(iter([b"a"]))

    for view in (no_store, streaming):
        response = await call(ConditionalGetMiddleware, make_request(), view, mode)
        assert "ETag" not in response.headers


async def test_errors_are_not_made_conditional(mode):
    def error(request):
        response = HttpResponse("gone", status=404)
        response["ETag"] = '"x"'
        return response

    request = make_request(headers={"If-None-Match": '"x"'})
    response = await call(ConditionalGetMiddleware, request, error, mode)
    assert response.status_code == 404


async def test_end_to_end(path_kind):
    async with serve(["asgi_cycle.middleware.http.ConditionalGetMiddleware"], path_kind) as client:
        first = await client.get("/big/")
        etag = first.headers["ETag"]
        second = await client.get("/big/", headers={"If-None-Match": etag})
        assert second.status_code == 304
        assert second.content == b""
        dated_response = await client.get(
            "/last-modified/", headers={"If-Modified-Since": LAST_MODIFIED}
        )
        assert dated_response.status_code == 304
        nostore = await client.get("/nostore/")
        assert "ETag" not in nostore.headers
