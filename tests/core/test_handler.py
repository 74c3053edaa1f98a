"""The handler: the onion, the view call, exception mapping and body handling.

Every scenario runs through the ASGI app and through the WSGI shim (the
``path_kind`` fixture), except where a test checks which thread ran the code.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from asgi_cycle.core import signals
from asgi_cycle.core.asgi import get_asgi_application
from asgi_cycle.test import AsyncClient, override_settings

from .urls_handler import events, threads

URLCONF = "tests.core.urls_handler"
MW = "tests.core.middleware_samples."
TEMPLATES = [
    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": [str(Path(__file__).parent / "templates")],
    }
]


@pytest.fixture(autouse=True)
def clear_events():
    events.clear()
    threads.clear()
    with override_settings(ROOT_URLCONF=URLCONF, TEMPLATES=TEMPLATES):
        yield


async def test_all_async_chain_never_leaves_the_event_loop():
    with override_settings(MIDDLEWARE=[MW + "AsyncOnly", MW + "Hybrid", MW + "AsyncOnly"]):
        app = get_asgi_application()
    async with AsyncClient(app) as client:
        response = await client.get("/async/")
    assert response.text == "async view"
    loop_thread = threading.get_ident()
    assert threads == {"async": loop_thread, "hybrid": loop_thread, "view": loop_thread}


async def test_sync_view_runs_in_a_worker_thread():
    app = get_asgi_application()
    async with AsyncClient(app) as client:
        response = await client.get("/sync/")
    assert response.text == "sync view"
    assert threads["view"] != threading.get_ident()


async def test_hook_order_with_sync_and_async_middleware_mixed(path_kind):
    with override_settings(
        MIDDLEWARE=[MW + "AsyncOnly", MW + "SyncOnly", MW + "NotUsed", MW + "Hybrid"]
    ):
        app = get_asgi_application()
    assert app.middleware_in_use == [MW + "AsyncOnly", MW + "SyncOnly", MW + "Hybrid"]
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        response = await client.get("/async/")
    assert response.status_code == 200
    assert events == [
        "async in",
        "sync in",
        "hybrid in (async)",
        "async process_view",
        "sync process_view",
        "view",
        "hybrid out (async)",
        "sync out",
        "async out",
    ]


async def test_process_view_can_answer_instead_of_the_view(path_kind):
    with override_settings(MIDDLEWARE=[MW + "ShortCircuitView"]):
        app = get_asgi_application()
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        response = await client.get("/sync/")
    assert response.text == "from process_view"
    assert "view" not in events


async def test_process_exception_can_answer(path_kind):
    with override_settings(MIDDLEWARE=[MW + "ExceptionRescuer"]):
        app = get_asgi_application()
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        response = await client.get("/500/")
    assert (response.status_code, response.text) == (299, "rescued ValueError")


async def test_process_template_response_changes_context_before_render(path_kind):
    with override_settings(MIDDLEWARE=[MW + "TemplateContextChanger"]):
        app = get_asgi_application()
    async with AsyncClient(app, wsgi=path_kind == "wsgi") as client:
        response = await client.get("/template/")
    assert response.text.strip() == "Hello middleware"


async def test_views_receive_converted_kwargs(path_kind):
    async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
        response = await client.get("/convert/42/a-slug/")
    assert response.text == "int:42 a-slug"


EXCEPTION_CASES = [
    ("/404/", 404),
    ("/403/", 403),
    ("/400/", 400),
    ("/suspicious/", 400),
    ("/host/", 400),
    ("/500/", 500),
    ("/none/", 500),
    ("/no-such-page/", 404),
]


@pytest.mark.parametrize(("url", "status"), EXCEPTION_CASES)
async def test_exceptions_map_to_status_and_leak_nothing_when_debug_off(path_kind, url, status):
    async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
        response = await client.get(url)
    assert response.status_code == status
    assert "SECRET-DETAIL" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("url", "status"), EXCEPTION_CASES)
async def test_exceptions_map_to_status_with_details_when_debug_on(path_kind, url, status):
    with override_settings(DEBUG=True):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            response = await client.get(url)
    assert response.status_code == status
    if status in (400, 500) and url != "/none/":
        assert "SECRET-DETAIL" in response.text
        assert "Traceback" in response.text
    if url == "/none/":
        assert "didn&#x27;t return an HttpResponse object" in response.text
    if url == "/no-such-page/":
        assert "convert/&lt;int:id&gt;/&lt;slug:slug&gt;/" in response.text


async def test_unexpected_exception_sends_got_request_exception():
    seen = []

    def receiver(sender, request, **kwargs):
        seen.append(request.path)

    signals.got_request_exception.connect(receiver)
    try:
        async with AsyncClient(get_asgi_application()) as client:
            await client.get("/500/")
    finally:
        signals.got_request_exception.disconnect(receiver)
    assert seen == ["/500/"]


async def test_request_started_and_finished_are_sent(path_kind):
    seen = []

    async def started(sender, scope, **kwargs):
        seen.append(("started", scope["path"]))

    def finished(sender, **kwargs):
        seen.append(("finished", None))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            await client.get("/sync/")
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert seen == [("started", "/sync/"), ("finished", None)]


async def test_urlconf_error_handlers_are_used(path_kind):
    with override_settings(ROOT_URLCONF="tests.core.urls_custom_handlers"):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            missing = await client.get("/nothing/")
            boom = await client.get("/boom/")
    assert (missing.status_code, missing.text) == (404, "custom not found")
    assert (boom.status_code, boom.text) == (500, "custom server error")


async def test_body_and_form_reach_the_view(path_kind):
    async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
        echoed = await client.post("/echo/", content=b"raw bytes \x00\xff")
        form = await client.post("/form/", data={"b": "2", "a": "1"})
    assert echoed.content == b"raw bytes \x00\xff"
    assert form.text == "a=1,b=2"


async def test_body_over_the_limit_is_refused_with_413(path_kind):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            honest = await client.post("/echo/", content=b"x" * 101)

            async def chunked():
                for _ in range(5):
                    yield b"y" * 30

            sneaky = await client.post("/echo/", content=chunked())
            fits = await client.post("/echo/", content=b"z" * 100)
    assert honest.status_code == 413
    assert sneaky.status_code == 413
    assert fits.status_code == 200


async def test_large_body_is_spooled_and_still_reaches_the_view(path_kind):
    body = bytes(range(256)) * 400
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1000):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            response = await client.post("/echo/", content=body)
    assert response.content == body


@pytest.mark.parametrize("url", ["/stream-async/", "/stream-sync/"])
async def test_streaming_responses_send_every_chunk(path_kind, url):
    async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
        response = await client.get(url)
    expected = "chunk0;chunk1;chunk2;" if "async" in url else "part0;part1;part2;"
    assert response.text == expected


async def test_head_sends_headers_without_body(path_kind):
    async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
        response = await client.head("/sync/")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len("sync view"))


async def test_root_path_is_the_script_prefix_for_reverse():
    import httpx

    transport = httpx.ASGITransport(app=get_asgi_application(), root_path="/mount")
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        mounted = await client.get("/mount/where/")
    async with AsyncClient(get_asgi_application()) as client:
        plain = await client.get("/where/")
    assert mounted.text == "/mount/where/ /where/ /mount/where/"
    assert plain.text == "/where/ /where/ /where/"


async def test_debug_page_survives_a_request_whose_headers_are_malformed(path_kind):
    # Reading META raises BadRequest for a header past CYCLE_MAX_HEADER_VALUE; the DEBUG
    # page for that very error must still render (400, not a crash into 500).
    with override_settings(DEBUG=True, CYCLE_MAX_HEADER_VALUE=64):
        async with AsyncClient(get_asgi_application(), wsgi=path_kind == "wsgi") as client:
            response = await client.get("/meta/", headers={"X-Long": "v" * 200})
    assert response.status_code == 400
    assert "Traceback" in response.text
