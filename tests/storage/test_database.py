from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import make_url

from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.storage.database import Database


async def test_a_migrated_database_stores_and_reads_a_unit(db: Database) -> None:
    async with db.uow() as uow:
        await uow.org.save_unit(OrgUnit("DL", "东丽区", UnitLevel.DISTRICT))
        await uow.commit()
    async with db.uow() as uow:
        unit = await uow.org.get_unit("DL")
    assert unit is not None and unit.name == "东丽区" and unit.id is not None


async def test_each_unit_of_work_is_a_new_object(db: Database) -> None:
    assert db.uow() is not db.uow()


def test_an_in_memory_sqlite_url_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="SQLite file"):
        Database("sqlite+aiosqlite://")


async def test_a_checkpoint_copies_the_write_ahead_log_into_the_file(db: Database) -> None:
    async with db.uow() as uow:
        for n in range(50):
            await uow.org.save_unit(OrgUnit(f"U{n}", f"单元{n}" * 20, UnitLevel.DISTRICT))
        await uow.commit()
    if db.backend != "sqlite":
        assert await db.checkpoint() == 0  # PostgreSQL has nothing of the kind to do
        return
    file = Path(make_url(db.url).database or "")
    before = os.path.getsize(file)  # noqa: ASYNC240  # a stat of a local file
    assert await db.checkpoint() == 0  # every page copied
    assert os.path.getsize(file) > before  # noqa: ASYNC240
