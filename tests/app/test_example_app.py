"""The example app: the article's page, the list, the CSRF-protected form, the JSON API."""

from __future__ import annotations

import re

from asgi_cycle.test import AsyncClient


async def test_product_detail_is_the_article_page(client: AsyncClient) -> None:
    response = await client.get("/products/2/")
    assert response.status_code == 200
    assert response.text == "<h1>USB-C cable</h1>\n<p>Price: $9.99</p>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_missing_and_malformed_ids_are_404(client: AsyncClient) -> None:
    for path in ("/products/999999/", "/products/abc/", "/products/" + "9" * 30 + "/"):
        response = await client.get(path)
        assert response.status_code == 404, path


async def test_product_list_renders_every_product(client: AsyncClient) -> None:
    response = await client.get("/products/")
    assert response.status_code == 200
    assert response.text.count("<li>") == 3
    assert '<a href="/products/1/">Mechanical keyboard</a>: $89.90' in response.text
    assert '<link rel="stylesheet" href="/static/css/site.css">' in response.text


async def test_append_slash_redirect_is_relative(client: AsyncClient) -> None:
    response = await client.get("/products/1")
    assert response.status_code == 301
    assert response.headers["location"] == "/products/1/"


async def test_home_redirects_to_the_list(client: AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 302
    assert response.headers["location"] == "/products/"


async def test_create_form_needs_the_csrf_token(client: AsyncClient) -> None:
    refused = await client.post("/products/new/", data={"name": "Mug", "price": "4.50"})
    assert refused.status_code == 403

    form = await client.get("/products/new/")
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None
    created = await client.post(
        "/products/new/",
        data={"name": "Mug", "price": "4.50", "csrfmiddlewaretoken": token[1]},
    )
    assert created.status_code == 302
    assert created.headers["location"] == "/products/4/"
    detail = await client.get("/products/4/")
    assert detail.text == "<h1>Mug</h1>\n<p>Price: $4.50</p>"


async def test_create_form_reports_bad_input_with_400(client: AsyncClient) -> None:
    form = await client.get("/products/new/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None
    response = await client.post(
        "/products/new/",
        data={"name": "<script>x</script>", "price": "abc", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 400
    assert "Enter a price such as 9.99." in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text
    assert "<script>x" not in response.text
    listing = await client.get("/api/products/")
    assert len(listing.json()["products"]) == 3


async def test_json_api(client: AsyncClient) -> None:
    listing = await client.get("/api/products/")
    assert listing.headers["content-type"] == "application/json"
    assert listing.json()["products"][1] == {"id": 2, "name": "USB-C cable", "price": "9.99"}
    detail = await client.get("/api/products/3/")
    assert detail.json() == {"id": 3, "name": "Desk lamp", "price": "34.50"}
    assert (await client.get("/api/products/42/")).status_code == 404
    # As in Django, CSRF's process_view refuses an unsafe method before the view's decorator.
    assert (await client.post("/api/products/")).status_code == 403
    not_allowed = await client.options("/api/products/")
    assert not_allowed.status_code == 405
    assert not_allowed.headers["allow"] == "GET"


async def test_static_files_are_served_and_traversal_is_refused(client: AsyncClient) -> None:
    css = await client.get("/static/css/site.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert b"font:" in css.content
    for path in (
        "/static/../settings.py",
        "/static/%2e%2e/settings.py",
        "/static/..%2fsettings.py",
    ):
        assert (await client.get(path)).status_code == 404, path
