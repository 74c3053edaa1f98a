"""migrate: creates what is missing, is idempotent, and refuses to hide drift."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from asgi_cycle.db import DatabaseWrapper
from asgi_cycle.db.migrate import SchemaDriftError, amigrate, migrate

REPO = Path(__file__).resolve().parents[2]


def shop_tables() -> list[sa.Table]:
    metadata = sa.MetaData()
    category = sa.Table(
        "shop_category",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, unique=True),
    )
    product = sa.Table(
        "shop_product",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("category_id", sa.Integer, sa.ForeignKey("shop_category.id"), nullable=True),
        sa.UniqueConstraint("name", "category_id", name="shop_product_name_cat_uniq"),
        sa.Index("shop_product_price_idx", "price"),
    )
    return [product, category]  # deliberately children first


async def run(db: DatabaseWrapper, tables: list[sa.Table]) -> tuple[list[str], str]:
    out = io.StringIO()
    done = await amigrate(stdout=out, tables=tables)
    return done, out.getvalue()


async def test_creates_tables_indexes_and_constraints_then_is_idempotent(
    db: DatabaseWrapper,
) -> None:
    tables = shop_tables()
    done, output = await run(db, tables)
    assert done == [
        "Created table shop_category",
        "Created table shop_product",
        "Created index shop_product_price_idx",
    ]
    assert output.splitlines() == done
    again, output = await run(db, shop_tables())
    assert again == []
    assert output == "No changes.\n"

    # The constraints are real: ids start at 1, FKs and unique sets are enforced.
    cat = await db.execute("INSERT INTO shop_category (name) VALUES ('books') RETURNING id")
    assert cat == 1
    await db.execute(
        "INSERT INTO shop_product (name, price, category_id) VALUES ('a', 1.5, :c)", {"c": cat}
    )
    with pytest.raises(Exception, match="(?i)unique"):
        await db.execute(
            "INSERT INTO shop_product (name, price, category_id) VALUES ('a', 2, :c)", {"c": cat}
        )
    with pytest.raises(Exception, match="(?i)foreign key"):
        await db.execute("INSERT INTO shop_product (name, price, category_id) VALUES ('b', 1, 99)")
    with pytest.raises(Exception, match="(?i)unique"):
        await db.execute("INSERT INTO shop_category (name) VALUES ('books')")


async def test_adds_tables_for_new_models_and_missing_indexes(db: DatabaseWrapper) -> None:
    product, category = shop_tables()
    await run(db, [category])
    done, _ = await run(db, [product, category])
    assert done == ["Created table shop_product", "Created index shop_product_price_idx"]
    await db.execute("DROP INDEX shop_product_price_idx")
    done, _ = await run(db, [product, category])
    assert done == ["Created index shop_product_price_idx"]


async def test_drift_is_listed_and_nothing_is_created(db: DatabaseWrapper) -> None:
    await db.execute(
        "CREATE TABLE shop_category (id INTEGER PRIMARY KEY, title VARCHAR(50), name TEXT)"
    )
    with pytest.raises(SchemaDriftError) as caught:
        await run(db, shop_tables())
    differences = caught.value.differences
    assert (
        "table 'shop_category': column 'name' is TEXT in the database but VARCHAR(50) in the model"
        in differences
    )
    assert (
        "table 'shop_category': column 'name' is NULL in the database but NOT NULL in the model"
        in differences
    )
    assert (
        "table 'shop_category': column 'title' is in the database but not in the model"
        in differences
    )
    assert "table 'shop_category': unique constraint on ['name'] is missing" in differences
    assert "nothing was changed" in str(caught.value)
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if db.vendor == "sqlite"
        else "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    )
    assert [r["name"] for r in tables] == ["shop_category"]  # shop_product not created


async def test_missing_column_is_drift(db: DatabaseWrapper) -> None:
    await db.execute("CREATE TABLE shop_category (id INTEGER PRIMARY KEY)")
    with pytest.raises(SchemaDriftError) as caught:
        await run(db, [shop_tables()[1]])
    assert caught.value.differences[0] == (
        "table 'shop_category': column 'name' (VARCHAR(50)) is missing"
    )


def test_sync_migrate_from_a_script(sync_db: DatabaseWrapper) -> None:
    out = io.StringIO()
    assert migrate(stdout=out, tables=shop_tables())[0] == "Created table shop_category"
    assert migrate(stdout=out, tables=shop_tables()) == []
    assert out.getvalue().endswith("No changes.\n")


def write_project(root: Path, db_url: str, extra_field: str = "") -> dict[str, str]:
    (root / "store").mkdir(exist_ok=True)
    (root / "store" / "__init__.py").write_text("")
    (root / "store" / "models.py").write_text(
        textwrap.dedent(
            f"""
            from asgi_cycle.db import models

            class Shelf(models.Model):
                label = models.CharField(max_length=20, unique=True)
            {extra_field}
            class Book(models.Model):
                title = models.CharField(max_length=80, db_index=True)
                price = models.DecimalField(max_digits=8, decimal_places=2)
                shelf = models.ForeignKey(Shelf, models.CASCADE)
            """
        )
    )
    (root / "projsettings.py").write_text(
        textwrap.dedent(
            f"""
            SECRET_KEY = "x"
            INSTALLED_APPS = ["store"]
            DATABASES = {{"default": {{"URL": {db_url!r}}}}}
            """
        )
    )
    env = dict(os.environ, ASGI_CYCLE_SETTINGS="projsettings", PYTHONPATH=str(REPO))
    return env


def cli(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asgi_cycle", "migrate", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_command_migrates_installed_apps(db_url: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    env = write_project(root, db_url)
    first = cli(root, env)
    assert first.returncode == 0, first.stderr
    created = first.stdout.splitlines()
    assert "Created table store_shelf" in created
    assert "Created table store_book" in created
    assert created.index("Created table store_shelf") < created.index("Created table store_book")
    assert any(line.startswith("Created index") for line in created)
    second = cli(root, env, "--database", "default")
    assert (second.returncode, second.stdout) == (0, "No changes.\n"), second.stderr

    # A new field on an existing model is drift: listed, exit 1, nothing changed.
    env = write_project(root, db_url, extra_field="    width = models.IntegerField(default=1)\n")
    third = cli(root, env)
    assert third.returncode == 1
    assert "table 'store_shelf': column 'width' (INTEGER) is missing" in third.stderr


def test_command_rejects_an_unknown_alias(db_url: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    env = write_project(root, db_url)
    result = cli(root, env, "--database", "nope")
    assert result.returncode != 0
    assert "'nope' is not in settings.DATABASES" in result.stderr + result.stdout
