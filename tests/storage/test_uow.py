from __future__ import annotations

import pytest

from gridbot.domain.org import Person
from gridbot.storage.database import Database
from gridbot.storage.uow import SqlUnitOfWork


async def names(db: Database) -> list[str]:
    async with db.uow() as uow:
        return [p.name for p in [await uow.people.by_telegram_id(1)] if p]


async def test_committed_work_is_kept(db: Database) -> None:
    async with db.uow() as uow:
        await uow.people.save(Person("甲", telegram_id=1))
        await uow.commit()
    assert await names(db) == ["甲"]


async def test_work_without_commit_is_rolled_back(db: Database) -> None:
    async with db.uow() as uow:
        await uow.people.save(Person("甲", telegram_id=1))
    assert await names(db) == []


async def test_an_exception_rolls_back_and_propagates(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with db.uow() as uow:
            await uow.people.save(Person("甲", telegram_id=1))
            raise RuntimeError("boom")
    assert await names(db) == []


async def test_explicit_rollback_discards_and_later_commit_keeps_the_rest(db: Database) -> None:
    async with db.uow() as uow:
        await uow.people.save(Person("甲", telegram_id=1))
        await uow.rollback()
        await uow.people.save(Person("乙", telegram_id=1))
        await uow.commit()
    assert await names(db) == ["乙"]


async def test_the_session_exists_only_inside_the_block_and_can_be_reopened(
    db: Database,
) -> None:
    uow: SqlUnitOfWork = db.uow()
    with pytest.raises(RuntimeError):
        _ = uow.session
    async with uow:
        await uow.people.save(Person("甲", telegram_id=1))
        await uow.commit()
    async with uow:
        assert await uow.people.by_telegram_id(1) is not None
    with pytest.raises(RuntimeError):
        await uow.commit()
