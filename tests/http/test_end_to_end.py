"""Requests and responses through the real handler, on the ASGI app and the WSGI shim."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.http import (
    FileResponse,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from asgi_cycle.test import AsyncClient, override_settings
from asgi_cycle.urls import path

BOUNDARY = "e2eBoundary"


async def echo(request):
    files = {
        name: [
            (f.name, f.size, f.content_type, f.read().decode())
            for f in request.FILES.getlist(name)
        ]
        for name in request.FILES
    }
    return JsonResponse(
        {
            "method": request.method,
            "path": request.path,
            "get": {k: request.GET.getlist(k) for k in request.GET},
            "post": {k: request.POST.getlist(k) for k in request.POST},
            "files": files,
            "cookies": request.COOKIES,
            "host": request.get_host(),
            "absolute": request.build_absolute_uri("/x/"),
            "secure": request.is_secure(),
            "forwarded": request.headers.get("X-Forwarded-Proto"),
        }
    )


def sync_body(request):
    return HttpResponse(request.body, content_type="application/octet-stream")


def cookies(request):
    response = HttpResponse("cookies")
    response.set_cookie("a", "1", httponly=True)
    response.set_signed_cookie("s", "signed")
    return response


def read_signed(request):
    return HttpResponse(request.get_signed_cookie("s", default="bad"))


def unsafe_redirect(request):
    return HttpResponseRedirect("javascript:alert(1)")


def crlf_redirect(request):
    return HttpResponseRedirect(request.GET["next"])


def header_injection(request):
    response = HttpResponse("x")
    response["X-Echo"] = request.GET["v"]
    return response


async def astream(request):
    async def gen() -> AsyncIterator[str]:
        for part in ("a", "b", "c"):
            yield part

    return StreamingHttpResponse(gen(), content_type="text/plain")


def sstream(request):
    return StreamingHttpResponse(iter([b"1", b"2", b"3"]), content_type="text/plain")


def download(request):
    import io

    return FileResponse(io.BytesIO(b"file body"), as_attachment=True, filename='re"port;.txt')


urlpatterns = [
    path("echo/", echo),
    path("body/", sync_body),
    path("cookies/", cookies),
    path("signed/", read_signed),
    path("unsafe/", unsafe_redirect),
    path("crlf/", crlf_redirect),
    path("inject/", header_injection),
    path("astream/", astream),
    path("sstream/", sstream),
    path("download/", download),
]


@pytest.fixture
async def client(path_kind):
    with override_settings(ROOT_URLCONF="tests.http.test_end_to_end", MIDDLEWARE=[]):
        app = get_asgi_application()
        async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
            yield client


def multipart(*parts: tuple[str, bytes, str | None]) -> bytes:
    out = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        out += value + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


async def test_get_query_cookies_and_host(client):
    response = await client.get(
        "/echo/?a=1&a=2&bad=%ff", headers={"Cookie": "c=3", "X-Forwarded-Proto": "https"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["method"] == "GET"
    assert data["get"] == {"a": ["1", "2"], "bad": ["\ufffd"]}
    assert data["cookies"] == {"c": "3"}
    assert data["host"] == "testserver"
    assert data["absolute"] == "http://testserver/x/"
    assert data["secure"] is False
    assert data["forwarded"] == "https"


async def test_underscore_header_never_reaches_the_app():
    # ASGI only: a WSGI environ has already merged X_Forwarded_Proto into
    # HTTP_X_FORWARDED_PROTO before the shim sees it (the server must drop it).
    with override_settings(ROOT_URLCONF="tests.http.test_end_to_end", MIDDLEWARE=[]):
        app = get_asgi_application()
        async with AsyncClient(app) as client:
            response = await client.get("/echo/", headers=[("X_Forwarded_Proto", "https")])
    assert response.json()["forwarded"] is None


async def test_disallowed_host_is_400(client):
    response = await client.get("/echo/", headers={"Host": "evil.com"})
    assert response.status_code == 400
    response = await client.get("/echo/", headers={"Host": "a@testserver"})
    assert response.status_code == 400


async def test_header_joined_past_the_cap_is_400_when_read():
    # BAD_INPUT 28: many copies of one header; the view reads it. ASGI only: the
    # WSGI test transport keeps only the last copy of a repeated header.
    copies = [("X-Forwarded-Proto", "h" * 100)] * 200
    unread = [("X-Unread", "h" * 100)] * 200
    with override_settings(ROOT_URLCONF="tests.http.test_end_to_end", MIDDLEWARE=[]):
        app = get_asgi_application()
        async with AsyncClient(app) as client:
            assert (await client.get("/echo/", headers=copies)).status_code == 400
            assert (await client.get("/echo/", headers=unread)).status_code == 200


async def test_urlencoded_post(client):
    response = await client.post("/echo/", data={"name": ["é", "b"]})
    assert response.json()["post"] == {"name": ["é", "b"]}


async def test_multipart_post_with_files(client):
    body = multipart(("title", b"hi", None), ("doc", b"content", "../../etc/passwd"))
    response = await client.post(
        "/echo/",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    data = response.json()
    assert data["post"] == {"title": ["hi"]}
    assert data["files"] == {"doc": [["passwd", 7, None, "content"]]}


@pytest.mark.parametrize(
    "body",
    [
        multipart(("a", b"1", None))[:-20],  # truncated
        b"garbage without boundary",
    ],
)
async def test_malformed_multipart_is_400(client, body):
    response = await client.post(
        "/echo/",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 400


async def test_multipart_without_boundary_is_400(client):
    response = await client.post(
        "/echo/", content=b"x", headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 400


async def test_too_many_fields_is_400(client):
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10):
        response = await client.post("/echo/", data={f"k{i}": "v" for i in range(11)})
    assert response.status_code == 400


async def test_too_many_query_fields_is_400(client):
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10):
        response = await client.get("/echo/?" + "&".join(f"k{i}=v" for i in range(11)))
    assert response.status_code == 400


async def test_sync_view_reads_body(client):
    response = await client.post("/body/", content=b"\x00raw bytes\xff")
    assert response.content == b"\x00raw bytes\xff"
    assert response.headers["Content-Length"] == "11"


async def test_cookies_round_trip(client):
    response = await client.get("/cookies/")
    set_cookies = response.headers.get_list("set-cookie")
    assert "a=1; HttpOnly; Path=/" in set_cookies
    assert len(set_cookies) == 2
    signed = response.cookies["s"]
    ok = await client.get("/signed/", headers={"Cookie": f"s={signed}"})
    assert ok.text == "signed"
    forged = await client.get("/signed/", headers={"Cookie": "s=signed:AAAA:BBBB"})
    assert forged.text == "bad"


async def test_unsafe_redirect_is_400(client):
    assert (await client.get("/unsafe/")).status_code == 400


async def test_crlf_redirect_is_percent_encoded(client):
    response = await client.get("/crlf/?next=/a%0d%0aSet-Cookie:x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/a%0D%0ASet-Cookie:x=1"
    assert "set-cookie" not in response.headers


async def test_header_injection_is_a_server_error_not_a_split(client):
    response = await client.get("/inject/?v=a%0d%0aSet-Cookie:x=1")
    assert response.status_code == 500
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("url", ["/astream/", "/sstream/"])
async def test_streaming(client, path_kind, url):
    response = await client.get(url)
    assert response.content == (b"abc" if url == "/astream/" else b"123")
    if path_kind == "asgi":
        # The WSGI test transport buffers the body and adds a length itself.
        assert "content-length" not in response.headers


async def test_file_download(client):
    response = await client.get("/download/")
    assert response.content == b"file body"
    assert response.headers["Content-Length"] == "9"
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''re%22port%3B.txt"
    )
