"""The ``orm`` fixture: the test app's tables on the engine's ``db`` connection.

``db`` (``tests/db/conftest.py``) gives a fresh SQLite file or a fresh PostgreSQL
schema per test; this adds the tables. Test modules import it
(``from tests.db.testapp.fixtures import orm``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from . import schema


@pytest.fixture
async def orm(db: Any) -> AsyncIterator[Any]:
    """The default connection with the test app's tables created."""
    await schema.create_all(db)
    yield db
