"""Migration 0016: units gain an English name, none for the units already stored; going
down drops it and keeps the units. On both backends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from gridbot.storage.engine import create_engine
from gridbot.storage.migrate import downgrade, upgrade

INSERT_UNIT = "INSERT INTO org_units (id, code, name, level) VALUES (1, 'DL', '东丽区', 'district')"


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'names.db'}"
    url: str = request.getfixturevalue("empty_pg_url")
    return url


async def run(url: str, *statements: str) -> list[tuple[object, ...]]:
    """The statements in one transaction; the rows of the last."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                result = await connection.execute(text(statement))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_units_gain_an_empty_english_name_and_keep_everything_going_down(
    empty_url: str,
) -> None:
    await asyncio.to_thread(upgrade, empty_url, "0015")
    await run(empty_url, INSERT_UNIT)

    await asyncio.to_thread(upgrade, empty_url, "0016")
    assert await run(empty_url, "SELECT code, name, name_en FROM org_units") == [
        ("DL", "东丽区", None)
    ]
    await run(empty_url, "UPDATE org_units SET name_en = 'Dongli District'")
    assert await run(empty_url, "SELECT name_en FROM org_units") == [("Dongli District",)]

    await asyncio.to_thread(downgrade, empty_url, "0015")
    assert await run(empty_url, "SELECT code, name FROM org_units") == [("DL", "东丽区")]
    with pytest.raises(Exception, match="name_en"):
        await run(empty_url, "SELECT name_en FROM org_units")
