"""Neighbours tapping "same problem here" at the same moment are all counted (PostgreSQL runs
read-committed: without the case's row lock, two taps would both write count + 1)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from gridbot.bot.orgfile import parse_org_text
from gridbot.domain.cases import mark_affected
from gridbot.domain.orgimport import import_org
from gridbot.storage.database import Database

from .conftest import DEMO, Town

NEIGHBOURS = (2002, 2003, 2005, 2006)


async def demo_town(db: Database) -> Town:
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    numbers = itertools.count(1)
    async with db.uow() as uow:
        await import_org(spec, uow, lambda: f"tok{next(numbers)}")
        await uow.commit()
    return Town(db)


async def tap(town: Town, telegram_id: int, case_id: int) -> None:
    async with town.db.uow() as uow:
        await mark_affected(uow, town.clock, telegram_id, case_id)
        await uow.commit()


@pytest.mark.postgres
async def test_neighbours_tapping_at_once_are_all_counted(pg_database: Database) -> None:
    town = await demo_town(pg_database)
    case = await town.report(public=True)
    assert case.id is not None
    await asyncio.gather(*(tap(town, neighbour, case.id) for neighbour in NEIGHBOURS))
    async with pg_database.uow() as uow:
        stored = await uow.cases.get(case.id)
    assert stored is not None and stored.affected_count == len(NEIGHBOURS)
