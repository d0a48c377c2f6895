"""Every storage test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from gridbot.storage.database import Database

from .factories import Seed, seed_org


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Database:
    fixture = "database" if request.param == "sqlite" else "pg_database"
    database: Database = request.getfixturevalue(fixture)
    return database


@pytest.fixture
async def seed(db: Database) -> Seed:
    return await seed_org(db)
