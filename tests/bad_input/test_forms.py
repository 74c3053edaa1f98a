"""BAD_INPUT rows 6-15: hostile urlencoded and multipart forms.

Every refused form is refused whole: the write view (``/bad/form/``) never
runs, so the database keeps its three demo products, and the app answers the
next request. Open file descriptors are counted around the multipart tests
so that a refused upload cannot leave a temporary file open.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from asgi_cycle.test import AsyncClient, override_settings
from tests.servers.procs import Server

from .conftest import DEMO, assert_server_serves, assert_unchanged_and_serving, product_names
from .wire import exchange, request

BOUNDARY = "badInputBoundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
FORM = "application/x-www-form-urlencoded"


def part(name: str, value: bytes, filename: str | None = None, extra: str = "") -> bytes:
    """One multipart part (no trailing delimiter)."""
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n{extra}\r\n"
    return head.encode("utf-8", "surrogateescape") + value + b"\r\n"


def multipart(parts: Sequence[bytes]) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


VALID = [part("name", b"Mug"), part("price", b"4.50")]


def open_files() -> set[str]:
    """Unlinked files this process holds open: the temporary files of uploads."""
    gc.collect()
    names = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.endswith(" (deleted)"):
            names.add(f"{fd}:{target}")
    return names


@pytest.fixture
def no_fd_leak() -> Iterator[None]:
    """Fail if the test leaves more file descriptors open than it found."""
    before = open_files()
    yield
    assert open_files() <= before


async def test_row_06_too_many_urlencoded_fields_is_400(client: AsyncClient) -> None:
    """Row 6: 10,000 urlencoded fields -> 400 (``TooManyFieldsSent``).

    Anchors: Django ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (probed 400); Starlette
    GHSA-82w8-qh3p-5jfq.
    """
    body = "name=Mug&price=1&" + "&".join(f"a{i}=1" for i in range(10_000))
    response = await client.post("/bad/form/", content=body, headers={"Content-Type": FORM})
    assert response.status_code == 400
    # 1,001 fields keep the request line under 4094 bytes (row 26 answers 414 past it).
    query = await client.get("/bad/echo/?" + "a=1&" * 1001)
    assert query.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.usefixtures("no_fd_leak")
@pytest.mark.parametrize("kind", ["fields", "files"])
async def test_row_07_thousands_of_empty_parts_is_400(client: AsyncClient, kind: str) -> None:
    """Row 7: 5,000 empty fields, or 500 files (spooled to disk), -> 400; files closed.

    Anchors: Django CVE-2023-24580; Starlette CVE-2023-30798; Werkzeug CVE-2023-25577.
    """
    if kind == "fields":
        parts = [part(f"f{i}", b"") for i in range(5000)]
    else:
        parts = [part(f"f{i}", b"x" * 64, filename=f"{i}.txt") for i in range(500)]
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=16):
        response = await client.post(
            "/bad/form/", content=multipart([*VALID, *parts]), headers={"Content-Type": MULTIPART}
        )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.usefixtures("no_fd_leak")
async def test_row_08_one_huge_field_is_413(client: AsyncClient) -> None:
    """Row 8: one 3 MB non-file field (over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) -> 413.

    Anchors: Starlette CVE-2024-47874 (``max_part_size``); Werkzeug CVE-2024-49767.
    Decision: 413, the same answer as any body over the data limit.
    """
    body = multipart([part("name", b"M" * 3_000_000), part("price", b"1")])
    response = await client.post("/bad/form/", content=body, headers={"Content-Type": MULTIPART})
    assert response.status_code == 413
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        'multipart/form-data; boundary=""',
        "multipart/form-data; boundary=" + "b" * 71,
        "multipart/form-data; boundary=bad\x7fchar",
        "multipart/form-data; boundary=ends-with-space ",
        "multipart/form-data; boundary=other",
    ],
    ids=["none", "empty", "empty-quoted", "too-long", "control-char", "space", "mismatch"],
)
async def test_row_09_missing_or_invalid_boundary_is_400(
    client: AsyncClient, content_type: str
) -> None:
    """Row 9: ``multipart/form-data`` with no, invalid or wrong boundary -> 400.

    Anchor: Django ``MultiPartParserError`` (probed 400).
    """
    response = await client.post(
        "/bad/form/", content=multipart(VALID), headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.usefixtures("no_fd_leak")
@pytest.mark.parametrize(
    "body",
    [
        multipart(VALID)[: -len(f"--{BOUNDARY}--\r\n")],  # no closing delimiter
        multipart(VALID)[:-10],  # cut inside the closing delimiter
        b"".join(VALID)[:-3],  # cut inside the last value
        b"".join(VALID) + f"--{BOUNDARY}\r\nContent-Dispo".encode(),  # cut in part headers
        b"".join([*VALID, part("doc", b"y" * 5000, filename="a.txt")])[:-100],  # cut in a file
    ],
    ids=["no-close", "cut-close", "cut-value", "cut-headers", "cut-file"],
)
async def test_row_10_truncated_multipart_is_400(client: AsyncClient, body: bytes) -> None:
    """Row 10: a multipart body without its closing delimiter -> 400, nothing stored.

    Decision: rejected. Django 5.2 returned 200 with 0 fields (probed); a form cut
    short is half a form, so it is refused rather than acted on.
    """
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=16):
        response = await client.post(
            "/bad/form/", content=body, headers={"Content-Type": MULTIPART}
        )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize("where", ["preamble", "epilogue"])
async def test_row_11_megabytes_of_crlf_around_the_form(client: AsyncClient, where: str) -> None:
    """Row 11: 2 MB of CR/LF before the first boundary, or after the last, is harmless.

    Anchors: python-multipart CVE-2024-53981, CVE-2026-40347; Werkzeug CVE-2023-46136.
    Decision: preamble and epilogue are legal MIME (RFC 2046) and are skipped, so
    the form is accepted (201) exactly once; the parse is linear (python-multipart's
    fixed parser), which this test would notice as a 120 s timeout otherwise.
    """
    filler = b"\r\n" * 1_000_000
    body = multipart(VALID)
    body = filler + body if where == "preamble" else body + filler
    response = await client.post("/bad/form/", content=body, headers={"Content-Type": MULTIPART})
    assert response.status_code == 201
    assert await product_names() == [*DEMO, "Mug"]


@pytest.mark.parametrize(
    "content_type",
    [
        FORM + ";" * 5000,
        FORM + "; a=" + '"\\\\' * 2500 + '"',
        FORM + "".join(f'; p{i}="\\"x\\""' for i in range(500)),
    ],
    ids=["semicolons", "backslashes", "quoted-params"],
)
async def test_row_12_pathological_content_type_parameters(
    client: AsyncClient, content_type: str
) -> None:
    """Row 12: a Content-Type under the header cap but full of ``;``, quotes, backslashes.

    Anchors: python-multipart CVE-2024-24762; Django CVE-2026-84429;
    ``multipart`` CVE-2026-28356. Parsed in linear time: the media type is still
    understood and the form is accepted (201).
    """
    assert len(content_type) <= 8190
    response = await client.post(
        "/bad/form/", content=b"name=Mug&price=4.50", headers={"Content-Type": content_type}
    )
    assert response.status_code == 201
    assert await product_names() == [*DEMO, "Mug"]


async def test_row_12_content_type_over_the_cap_is_400(client: AsyncClient) -> None:
    """Row 12: a 100 kB Content-Type (over ``CYCLE_MAX_HEADER_VALUE``) -> 400."""
    response = await client.post(
        "/bad/form/",
        content=b"name=Mug&price=4.50",
        headers={"Content-Type": FORM + ";" + "a=b;" * 25_000},
    )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


async def test_row_12_repeated_content_type_is_400(client: AsyncClient) -> None:
    """Row 12: two Content-Type headers are joined, name no known type: the form is not read.

    The view then finds no name and answers 400; nothing is stored.
    """
    response = await client.post(
        "/bad/form/",
        content=b"name=Mug&price=4.50",
        headers=[("Content-Type", FORM), ("Content-Type", MULTIPART)],
    )
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


async def test_row_13_base64_part_padded_with_whitespace(client: AsyncClient) -> None:
    """Row 13: a ``Content-Transfer-Encoding: base64`` part padded with 1 MB of spaces.

    Anchor: Django CVE-2026-33033 (quadratic base64 decode). The part is handled in
    linear time; its value is not a valid product name, so the form is refused (400).
    """
    padded = b"TXVn" + b" \r\n" * 350_000
    body = multipart(
        [part("name", padded, extra="Content-Transfer-Encoding: base64\r\n"), VALID[1]]
    )
    response = await client.post("/bad/form/", content=body, headers={"Content-Type": MULTIPART})
    assert response.status_code == 400
    await assert_unchanged_and_serving(client)


@pytest.mark.usefixtures("no_fd_leak")
@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\x.ini", "x.ini"),
        ("/abs/path/a.txt", "a.txt"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("a" * 400 + ".txt", "a" * 251 + ".txt"),
        ("..", None),
    ],
    ids=["traversal", "windows", "absolute", "nul", "long", "dotdot"],
)
async def test_row_14_upload_filename_is_reduced_to_a_basename(
    client: AsyncClient, filename: str, stored: str | None
) -> None:
    """Row 14: hostile upload file names become a safe base name (or the file is skipped).

    Anchors: python-multipart CVE-2026-24486; Django upload-name sanitising,
    CVE-2024-39330.
    """
    body = multipart([part("doc", b"content", filename=filename)])
    response = await client.post("/bad/echo/", content=body, headers={"Content-Type": MULTIPART})
    assert response.status_code == 200
    files = response.json()["files"]
    if stored is None:
        assert files == {}
    else:
        assert files == {"doc": [[stored, 7]]}
    await assert_unchanged_and_serving(client)


@pytest.mark.usefixtures("no_fd_leak")
async def test_row_15_upload_crossing_the_spool_threshold(client: AsyncClient) -> None:
    """Row 15: a 3 MB upload past ``FILE_UPLOAD_MAX_MEMORY_SIZE`` arrives whole.

    Anchors: Starlette CVE-2025-54121; Django ticket #36281. The body and the
    file are spooled to disk by worker threads (``read_body``, starlette's
    ``UploadFile``); this checks the result is intact on both paths and that the
    loop served another request in the meantime.
    """
    payload = bytes(range(256)) * 12_000
    body = multipart([*VALID, part("doc", payload, filename="big.bin")])
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=64 * 1024):
        response = await client.post(
            "/bad/echo/", content=body, headers={"Content-Type": MULTIPART}
        )
    assert response.status_code == 200
    assert response.json()["files"] == {"doc": [["big.bin", len(payload)]]}
    await assert_unchanged_and_serving(client)


#: (path, thread id) of every file opened under the watched folder, while one is set.
_opened: list[tuple[str, int]] = []
_watched: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _watched and isinstance(args[0], str):
        if args[0].startswith(_watched[0]):
            _opened.append((args[0], threading.get_ident()))


sys.addaudithook(_audit)  # audit hooks cannot be removed: this one is inert unless watching


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_15_spooling_to_disk_happens_off_the_event_loop(
    client: AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 15: every temporary file of a large upload is opened by a worker thread, never
    by the event loop's thread (the body spill and the file part's rollover alike).

    Anchors: Starlette CVE-2025-54121; Django ticket #36281. Seen through Python's
    audit hook for ``open``, with the temporary folder pointed at a fresh directory.
    ASGI only: under the shim the loop is the WSGI thread's own, where blocking is allowed.
    """
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    payload = b"z" * 3_000_000
    body = multipart([*VALID, part("doc", payload, filename="big.bin")])
    loop_thread = threading.get_ident()
    _opened.clear()
    _watched.append(str(spool))
    try:
        with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=64 * 1024):
            response = await client.post(
                "/bad/echo/", content=body, headers={"Content-Type": MULTIPART}
            )
    finally:
        _watched.clear()
    assert response.status_code == 200
    assert response.json()["files"] == {"doc": [["big.bin", len(payload)]]}
    assert len(_opened) >= 2, _opened  # the spilled body and the spooled file part
    assert all(thread != loop_thread for _, thread in _opened), _opened


@pytest.mark.servers
@pytest.mark.parametrize(
    "content_type",
    [FORM + ";" * 5000, FORM + "; a=" + '"\\\\' * 2500 + '"'],
    ids=["semicolons", "backslashes"],
)
def test_row_12_pathological_content_type_on_real_servers(
    server: Server, content_type: str
) -> None:
    """Row 12 on the wire: both servers pass the header on and the form is still read."""
    body = b"name=Mug&price=4.50"
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    result = exchange(
        server.port, request("POST", "/bad/echo/", [*headers, ("Connection", "close")], body)
    )
    assert result.statuses == [200], result.raw[:300]
    assert json.loads(result.responses[0].body)["post"] == {"name": ["Mug"], "price": ["4.50"]}
    assert_server_serves(server)
