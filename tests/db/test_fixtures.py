"""loaddata / dumpdata: Django's JSON fixture format, idempotent, one transaction."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from asgi_cycle.core.management import execute
from asgi_cycle.db.models import fixtures as fx
from asgi_cycle.test.utils import override_settings
from asgi_cycle.utils.asyncio import run_sync
from tests.db.testapp import fixtures, schema
from tests.db.testapp.models import Author, Book, Category, Contract, Event, Product, Publisher

orm = fixtures.orm
UTC = datetime.UTC


async def make_objects() -> None:
    tools = await Category.objects.acreate(name="Tools")
    await Product.objects.acreate(name="Hammer", price=Decimal("9.90"), category=tools)
    await Product.objects.acreate(name="Nail", price=Decimal("0.05"), active=False)
    author = await Author.objects.acreate(
        name="Ann", born=datetime.datetime(1980, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)
    )
    await Book.objects.acreate(title="First", author=author, pages=120)
    publisher = await Publisher.objects.acreate(name="Pub")
    await Contract.objects.acreate(
        publisher=publisher, author=author, amount=Decimal("12345678901234567890.5")
    )
    await Event.objects.acreate(when=datetime.datetime(2024, 1, 1, tzinfo=UTC), flag=None)


async def test_dump_format_is_djangos(orm: Any) -> None:
    await make_objects()
    entries = await fx.adump(["testapp.Product", "testapp.Author", "testapp.Book"])
    data = json.loads(fx.dumps(entries))
    hammer = data[0]
    assert hammer["model"] == "testapp.product" and hammer["pk"] == 1
    assert hammer["fields"]["name"] == "Hammer"
    assert hammer["fields"]["price"] == "9.90"
    assert hammer["fields"]["category"] == 1
    assert hammer["fields"]["active"] is True
    assert hammer["fields"]["created"].endswith("Z")
    assert "id" not in hammer["fields"]
    author = next(e for e in data if e["model"] == "testapp.author")
    assert author["fields"]["born"] == "1980-02-03T04:05:06.789Z"
    book = next(e for e in data if e["model"] == "testapp.book")
    assert book["fields"] == {"title": "First", "author": 1, "pages": 120}


async def test_round_trip_and_idempotent_load(orm: Any) -> None:
    await make_objects()
    before = fx.dumps(await fx.adump(["testapp"]))
    for model in (Contract, Book, Author, Publisher, Product, Category, Event):
        await model.objects.all().adelete()
    assert await Product.objects.acount() == 0
    loaded = await fx.aload(json.loads(before))
    assert loaded == 8
    assert fx.dumps(await fx.adump(["testapp"])) == before
    # Loading again updates the same rows: nothing new, nothing changed.
    assert await fx.aload(json.loads(before)) == 8
    assert fx.dumps(await fx.adump(["testapp"])) == before
    assert await Product.objects.acount() == 2
    contract = await Contract.objects.aget()
    assert contract.amount == Decimal("12345678901234567890.5")


async def test_load_updates_by_pk_and_new_ids_follow(orm: Any) -> None:
    await Product.objects.acreate(name="Old", price=1)
    data = [
        {"model": "testapp.product", "pk": 1, "fields": {"name": "New", "price": "2.50"}},
        {"model": "testapp.product", "pk": 7, "fields": {"name": "Seven", "price": "7"}},
    ]
    assert await fx.aload(data) == 2
    assert (await Product.objects.aget(pk=1)).name == "New"
    assert (await Product.objects.aget(pk=7)).price == Decimal("7.00")
    # auto_now fields left out of a fixture are stamped, not left NULL.
    assert (await Product.objects.aget(pk=7)).created is not None
    # The id sequence moved past the loaded keys (PostgreSQL), as SQLite's rowid does.
    assert (await Product.objects.acreate(name="next", price=1)).pk == 8


async def test_failed_load_leaves_nothing(orm: Any) -> None:
    data = [
        {"model": "testapp.author", "pk": 1, "fields": {"name": "Ann"}},
        {"model": "testapp.book", "pk": 1, "fields": {"title": None, "author": 1}},
    ]
    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError differs by backend
        await fx.aload(data)
    assert await Author.objects.acount() == 0


async def test_bad_fixtures_are_reported(orm: Any, tmp_path: Path) -> None:
    with pytest.raises(fx.FixtureError, match="No installed model"):
        await fx.aload([{"model": "testapp.nothing", "pk": 1, "fields": {}}])
    with pytest.raises(fx.FixtureError, match="no field named 'colour'"):
        await fx.aload([{"model": "testapp.author", "pk": 1, "fields": {"colour": "red"}}])
    with pytest.raises(fx.FixtureError, match="JSON list"):
        await fx.aload({"model": "testapp.author"})
    with pytest.raises(fx.FixtureError, match="No fixture named"):
        fx.read_fixture(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(fx.FixtureError, match="Problem reading"):
        fx.read_fixture(broken)
    with pytest.raises(fx.FixtureError, match="No installed app"):
        await fx.adump(["nope"])


def test_commands_round_trip(
    sync_db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_sync(schema.create_all(sync_db))
    fixture = tmp_path / "data.json"
    fixture.write_text(
        json.dumps(
            [
                {"model": "testapp.category", "pk": 1, "fields": {"name": "Tools"}},
                {
                    "model": "testapp.product",
                    "pk": 1,
                    "fields": {"name": "Saw", "price": "12.5", "category": 1},
                },
            ]
        ),
        encoding="utf-8",
    )
    with override_settings(INSTALLED_APPS=["tests.db.testapp"]):
        assert execute(["loaddata", str(fixture)]) == 0
        assert "Installed 2 object(s) from 1 fixture(s)" in capsys.readouterr().out
        assert execute(["loaddata", str(fixture)]) == 0
        capsys.readouterr()
        out = tmp_path / "out.json"
        assert execute(["dumpdata", "testapp.Product", "-o", str(out), "--indent", "2"]) == 0
        dumped = json.loads(out.read_text(encoding="utf-8"))
        assert [(e["pk"], e["fields"]["price"]) for e in dumped] == [(1, "12.50")]
        assert execute(["dumpdata", "testapp.category"]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed == [{"model": "testapp.category", "pk": 1, "fields": {"name": "Tools"}}]
        assert execute(["loaddata", str(tmp_path / "missing.json")]) == 1
        assert "No fixture named" in capsys.readouterr().err
        assert execute(["dumpdata", "nope"]) == 1
        capsys.readouterr()
        # No labels: every model of INSTALLED_APPS, and only those.
        assert execute(["dumpdata"]) == 0
        labels = {e["model"] for e in json.loads(capsys.readouterr().out)}
        assert labels == {"testapp.category", "testapp.product"}
    assert run_sync(Product.objects.acount()) == 1
