"""BAD_INPUT rows 28, 29 and 42 through the app: repeated, disguised and oversized headers.

Parsed headers are capped (``CYCLE_MAX_HEADER_VALUE``, 8190 bytes): a value, or
the repeats of one header joined, past the cap is a bad request when the app
reads it, and the join stops growing at the cap (linear work). Nothing keyed
on client input is memoised without a bound.
"""

from __future__ import annotations

import pytest

from asgi_cycle.http import _meta
from asgi_cycle.test import AsyncClient

from .conftest import assert_unchanged_and_serving


@pytest.mark.parametrize("path_kind", ["asgi"])
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ([("Accept-Language", "en")] * 10_000, 400),
        ([("Accept-Language", "en" * 50)] * 90, 400),
        ([("Accept-Language", "en")] * 50, 200),
        ([("Cookie", f"c{i}=1") for i in range(3000)], 400),
    ],
    ids=["10000-copies", "90-long-copies", "50-copies", "3000-cookie-headers"],
)
async def test_row_28_copies_of_one_header_are_joined_with_a_cap(
    client: AsyncClient, headers: list[tuple[str, str]], status: int
) -> None:
    """Row 28: 10,000 copies of one header -> 400 once joined past the cap, linear work.

    Anchor: Django CVE-2025-14550 (quadratic header joining). Fifty short copies
    stay under the cap and are served. ASGI only in process: httpx's WSGI test
    transport keeps only the last copy, whereas gunicorn joins them (the wire
    test in ``test_wire.py`` covers the shim under gunicorn).
    """
    response = await client.get("/bad/echo/", headers=headers)
    assert response.status_code == status
    await assert_unchanged_and_serving(client)


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_29_underscore_header_is_dropped_by_the_core(client: AsyncClient) -> None:
    """Row 29: ``X_Forwarded_Proto`` next to ``X-Forwarded-Proto`` is dropped, never merged.

    Anchor: Django CVE-2026-3902. ASGI only: in a WSGI environ the two names are
    already one key, so the server must drop it (gunicorn's ``header_map="drop"``,
    covered in ``test_wire.py``).
    """
    with_secure = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}
    from asgi_cycle.test import override_settings

    with override_settings(**with_secure):
        alone = await client.get("/bad/echo/", headers=[("X_Forwarded_Proto", "https")])
        both = await client.get(
            "/bad/echo/",
            headers=[("X-Forwarded-Proto", "http"), ("X_Forwarded_Proto", "https")],
        )
    assert (alone.json()["forwarded_proto"], alone.json()["secure"]) == (None, False)
    assert (both.json()["forwarded_proto"], both.json()["secure"]) == ("http", False)
    await assert_unchanged_and_serving(client)


async def test_row_42_long_accept_language_and_language_cookie(client: AsyncClient) -> None:
    """Row 42: an 8 kB ``Accept-Language`` and a 600-character language cookie are served.

    Anchors: Django CVE-2023-23969, CVE-2024-39614 (Accept-Language parsing). No
    language negotiation happens here; the values are only carried, bounded by the cap.
    """
    language = ",".join(f"x{i:04d}-AB;q=0.{i % 9 + 1}" for i in range(500))[:8000]
    response = await client.get(
        "/bad/echo/",
        headers={"Accept-Language": language, "Cookie": "django_language=" + "x" * 600},
    )
    assert response.status_code == 200
    assert response.json()["accept_language"] == len(language)
    assert response.json()["cookies"] == 1
    over = await client.get("/bad/echo/", headers={"Accept-Language": "x" * 10_000})
    assert over.status_code == 400
    await assert_unchanged_and_serving(client)


async def test_row_42_pathological_accept_is_bounded(client: AsyncClient) -> None:
    """Rows 12/42: an 8 kB ``Accept`` of thousands of ranges is parsed with a bound (the
    first 100 ranges), and the preferred type is still found."""
    accept = ",".join(["x/y;q=0.1;a=b"] * 550 + ["application/json"])[:8100]
    response = await client.get("/bad/echo/", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.json()["preferred"] in (None, "application/json")
    plain = await client.get("/bad/echo/", headers={"Accept": "application/json"})
    assert plain.json()["preferred"] == "application/json"


@pytest.mark.parametrize("path_kind", ["asgi"])
async def test_row_42_header_names_are_not_memoised_without_bound(client: AsyncClient) -> None:
    """Row 42: 2,000 requests with fresh 500-character header names leave the one cache
    keyed on client input (header name -> META key) at its bound of 512 entries."""
    for i in range(2000):
        name = f"X-{i:05d}-" + "n" * 500
        response = await client.get("/bad/echo/", headers={name: "1"})
        assert response.status_code == 200
    assert len(_meta._META_NAMES) <= 512
    await assert_unchanged_and_serving(client)
