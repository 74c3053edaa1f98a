"""render, redirect/resolve_url and the *_or_404 helpers against the real ORM (SQLite file)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from asgi_cycle.core.exceptions import DisallowedRedirect, MultipleObjectsReturned
from asgi_cycle.db import models
from asgi_cycle.db.migrate import amigrate
from asgi_cycle.http import Http404
from asgi_cycle.shortcuts import (
    aget_list_or_404,
    aget_object_or_404,
    get_list_or_404,
    get_object_or_404,
    redirect,
    render,
    resolve_url,
)
from asgi_cycle.template import TemplateDoesNotExist
from asgi_cycle.test.utils import override_settings
from asgi_cycle.urls import NoReverseMatch, reverse, reverse_lazy
from asgi_cycle.utils.asyncio import sync_to_async
from tests.views.requests import make_request
from tests.views.urls import archive

TEMPLATES = [
    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": [str(Path(__file__).parent / "views" / "templates")],
    }
]


class Product(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        app_label = "shortcuts"
        ordering = ["id"]

    def get_absolute_url(self):
        return reverse("product", args=[self.id])


@pytest.fixture(autouse=True)
def settings_for_shortcuts():
    with override_settings(TEMPLATES=TEMPLATES, ROOT_URLCONF="tests.views.urls"):
        yield


@pytest.fixture
async def products(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    with override_settings(DATABASES={"default": {"URL": url}}):
        from asgi_cycle.db import connections

        await amigrate(tables=[Product._meta.table], stdout=io.StringIO())
        made = [
            await Product.objects.acreate(name="Bike", price=Decimal("9.99")),
            await Product.objects.acreate(name="Bell", price=Decimal("5.00")),
            await Product.objects.acreate(name="Bell", price=Decimal("6.50")),
        ]
        try:
            yield made
        finally:
            await connections["default"].adisconnect()


# -- render ------------------------------------------------------------------------------


async def test_render_the_article_page(products):
    product = await aget_object_or_404(Product, id=1)
    response = render(make_request(), "detail.html", {"product": product})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == b"<h1>Bike</h1>\n<p>Price: $9.99</p>"


def test_render_status_content_type_and_request_context():
    response = render(
        make_request(), "form.html", status=400, content_type="text/plain; charset=utf-8"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_render_escapes_and_using():
    product = {"name": "<script>", "price": Decimal("1.00")}
    response = render(make_request(), "detail.html", {"product": product}, using="jinja2")
    assert b"<h1>&lt;script&gt;</h1>" in response.content


def test_render_missing_template():
    with pytest.raises(TemplateDoesNotExist, match="nope.html"):
        render(make_request(), "nope.html")


# -- redirect / resolve_url ---------------------------------------------------------------


def test_redirect_to_a_url_and_permanent():
    response = redirect("/somewhere/?a=1")
    assert (response.status_code, response["Location"]) == (302, "/somewhere/?a=1")
    response = redirect("https://example.com/", permanent=True)
    assert (response.status_code, response["Location"]) == (301, "https://example.com/")


def test_redirect_to_a_view_name_with_args_and_kwargs():
    assert redirect("product", 3)["Location"] == "/products/3/"
    assert redirect("archive", year=2024, month=5)["Location"] == "/archive/2024/5/"


def test_redirect_to_a_view_function_and_lazy_url():
    assert redirect(archive, 2023, 1)["Location"] == "/archive/2023/1/"
    assert redirect(reverse_lazy("product", args=[9]))["Location"] == "/products/9/"


def test_redirect_to_a_model_uses_get_absolute_url():
    assert redirect(Product(id=4, name="x", price=Decimal("1")))["Location"] == "/products/4/"


def test_resolve_url_relative_and_errors():
    assert resolve_url("./next/") == "./next/"
    assert resolve_url("../up/") == "../up/"
    assert resolve_url("some.host/path") == "some.host/path"
    with pytest.raises(NoReverseMatch):
        resolve_url("no-such-view")
    with pytest.raises(NoReverseMatch):
        resolve_url(archive)  # a view that needs arguments


def test_redirect_refuses_an_unsafe_scheme():
    with pytest.raises(DisallowedRedirect, match="protocol .javascript."):
        redirect("javascript:alert(document.cookie)")
    with pytest.raises(NoReverseMatch):  # no "/" or ".": taken for a view name, as Django does
        redirect("javascript:alert(1)")


# -- *_or_404 ------------------------------------------------------------------------------


async def test_get_object_or_404_with_model_manager_and_queryset(products):
    get = sync_to_async(get_object_or_404)
    assert (await get(Product, id=1)).name == "Bike"
    assert (await get(Product.objects, name="Bike")).price == Decimal("9.99")
    cheap = Product.objects.filter(price__lt=Decimal("6"))
    assert (await get(cheap, name="Bell")).price == Decimal("5.00")
    with pytest.raises(Http404, match=r"^No Product matches the given query\.$"):
        await get(Product, id=99)
    with pytest.raises(Http404):
        await get(cheap, name="Bike")
    with pytest.raises(MultipleObjectsReturned):
        await get(Product, name="Bell")


@pytest.mark.parametrize("big", [10**30, -(10**30), 2**63])
async def test_out_of_range_ids_are_404_not_500(products, big):
    # BAD_INPUT row 41: <int:id> accepts 30 digits; the lookup must not overflow the driver.
    with pytest.raises(Http404):
        await aget_object_or_404(Product, id=big)
    with pytest.raises(Http404):
        await sync_to_async(get_object_or_404)(Product, id=big)


async def test_aget_object_or_404(products):
    assert (await aget_object_or_404(Product, id=2)).price == Decimal("5.00")
    assert (await aget_object_or_404(Product.objects.all(), id=3)).name == "Bell"
    with pytest.raises(Http404, match="No Product matches the given query."):
        await aget_object_or_404(Product.objects, id=42)


async def test_get_list_or_404(products):
    get_list = sync_to_async(get_list_or_404)
    bells = await get_list(Product, name="Bell")
    assert [p.price for p in bells] == [Decimal("5.00"), Decimal("6.50")]
    assert len(await get_list(Product.objects)) == 3
    with pytest.raises(Http404, match="No Product matches the given query."):
        await get_list(Product.objects.filter(name="Bike"), price__gt=10)


async def test_aget_list_or_404(products):
    assert [p.id for p in await aget_list_or_404(Product, name__startswith="B")] == [1, 2, 3]
    with pytest.raises(Http404):
        await aget_list_or_404(Product, name="Horn")


@pytest.mark.parametrize(
    "helper", [get_object_or_404, get_list_or_404, aget_object_or_404, aget_list_or_404]
)
async def test_wrong_first_argument_is_a_value_error(helper):
    with pytest.raises(ValueError, match="must be a Model, Manager, or QuerySet, not 'str'"):
        result = helper("Product", id=1)
        if hasattr(result, "__await__"):
            await result
