"""Fixtures shared by every test package.

``database``: a fresh, migrated SQLite file per test. ``pg_url``: the PostgreSQL server of
``scripts/with-postgres`` (skips without one, fails when GRIDBOT_REQUIRE_PG=1).
``redis_url``: the Redis server of ``scripts/with-redis``, alike. ``pg_database``:
PostgreSQL at head with every table emptied before each test (one database
per session, migrated once). ``empty_pg_url``: a fresh, empty PostgreSQL database per test.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

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


def _server_url(variable: str, what: str, script: str) -> str:
    """The URL a wrapper script exported; without it the test is skipped, or fails where
    GRIDBOT_REQUIRE_PG=1 says the servers are there (CI: PostgreSQL and Redis)."""
    url = os.environ.get(variable)
    if url:
        return url
    if os.environ.get("GRIDBOT_REQUIRE_PG") == "1":
        pytest.fail(f"GRIDBOT_REQUIRE_PG=1 but {variable} is not set")
    pytest.skip(f"no {what}: set {variable} ({script} does)")


@pytest.fixture(scope="session")
def pg_url() -> str:
    return _server_url("GRIDBOT_TEST_PG_URL", "PostgreSQL", "scripts/with-postgres")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return _server_url("GRIDBOT_TEST_REDIS_URL", "Redis", "scripts/with-redis")


async def _admin(pg_url: str, statement: str) -> None:
    engine = create_async_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def _database_url(pg_url: str, name: str) -> str:
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


@asynccontextmanager
async def _new_pg_database(pg_url: str) -> AsyncIterator[str]:
    name = f"gridbot_{uuid.uuid4().hex[:12]}"
    await _admin(pg_url, f'CREATE DATABASE "{name}"')
    try:
        yield _database_url(pg_url, name)
    finally:
        await _admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def empty_pg_url(pg_url: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on the test server, dropped after the test."""
    async with _new_pg_database(pg_url) as url:
        yield url


def _in_own_loop(work: Coroutine[Any, Any, None]) -> None:
    # Session fixtures must not depend on a test's event loop: run on a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


@pytest.fixture(scope="session")
def pg_session_url(pg_url: str) -> Iterator[str]:
    """A database of this test session, migrated to head once."""
    url = _database_url(pg_url, f"gridbot_{uuid.uuid4().hex[:12]}")
    name = make_url(url).database
    _in_own_loop(_admin(pg_url, f'CREATE DATABASE "{name}"'))
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(upgrade, url).result()
        yield url
    finally:
        _in_own_loop(_admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _empty_every_table(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            tables = (
                await connection.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> 'alembic_version'"
                )
            ).scalars()
            names = ", ".join(f'"{table}"' for table in tables)
            await connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await engine.dispose()


@pytest.fixture
async def pg_database(pg_session_url: str) -> AsyncIterator[Database]:
    """The session's PostgreSQL database at the latest schema, with every table emptied."""
    await _empty_every_table(pg_session_url)
    db = Database(pg_session_url)
    try:
        yield db
    finally:
        await db.dispose()
