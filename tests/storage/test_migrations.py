"""The stairway: every migration goes up, down and up again, on both backends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from gridbot.storage.base import Base
from gridbot.storage.engine import create_engine
from gridbot.storage.migrate import downgrade, revisions, upgrade


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'stairway.db'}"
    url: str = request.getfixturevalue("empty_pg_url")
    return url


def walk_the_stairs(url: str) -> None:
    steps = revisions()
    for previous, revision in zip(["base", *steps], steps, strict=False):
        upgrade(url, revision)
        downgrade(url, previous)
        upgrade(url, revision)
    downgrade(url, "base")
    upgrade(url, "head")


async def test_every_migration_goes_up_down_and_up_again(empty_url: str) -> None:
    assert revisions()[0] == "0001"
    await asyncio.to_thread(walk_the_stairs, empty_url)


def differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_the_migrated_schema_matches_the_rows(empty_url: str) -> None:
    await asyncio.to_thread(upgrade, empty_url)
    engine = create_engine(empty_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
