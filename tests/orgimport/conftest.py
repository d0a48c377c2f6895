"""The org-import tests run on SQLite and on PostgreSQL (``db``)."""

from __future__ import annotations

import pytest

from gridbot.storage.database import Database


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Database:
    fixture = "database" if request.param == "sqlite" else "pg_database"
    database: Database = request.getfixturevalue(fixture)
    return database
