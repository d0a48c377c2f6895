"""Fixtures shared by every test package.

``database``: a fresh, migrated SQLite file per test. ``pg_url``: the PostgreSQL server of
``scripts/with-postgres`` (skips without one, fails when GRIDBOT_REQUIRE_PG=1).
``pg_database``: a fresh, migrated PostgreSQL database per test.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gridbot.storage.database import Database
from gridbot.storage.migrate import upgrade


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = sqlite_url(tmp_path / "gridbot.db")
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("GRIDBOT_TEST_PG_URL")
    if url:
        return url
    if os.environ.get("GRIDBOT_REQUIRE_PG") == "1":
        pytest.fail("GRIDBOT_REQUIRE_PG=1 but GRIDBOT_TEST_PG_URL is not set")
    pytest.skip("no PostgreSQL: set GRIDBOT_TEST_PG_URL (scripts/with-postgres does)")


async def _admin(pg_url: str, statement: str) -> None:
    engine = create_async_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


@pytest.fixture
async def empty_pg_url(pg_url: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on the test server, dropped after the test."""
    name = f"gridbot_{uuid.uuid4().hex[:12]}"
    await _admin(pg_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def pg_database(empty_pg_url: str) -> AsyncIterator[Database]:
    await asyncio.to_thread(upgrade, empty_pg_url)
    db = Database(empty_pg_url)
    try:
        yield db
    finally:
        await db.dispose()
