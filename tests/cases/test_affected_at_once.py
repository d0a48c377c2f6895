"""Neighbours tapping "same problem here" at the same moment are all counted (PostgreSQL runs
read-committed: without the case's row lock, two taps would both write count + 1)."""

from __future__ import annotations

import asyncio

import pytest

from gridbot.services.cases import MarkAffected, mark_affected
from gridbot.services.membership import MoveToGrid, TelegramUser, move_to_grid
from gridbot.storage.database import Database

from .conftest import Town

NEIGHBOURS = (2002, 2003, 2005, 2006)


async def tap(town: Town, telegram_id: int, case_id: int) -> None:
    await mark_affected(MarkAffected(telegram_id, case_id), town.ctx)


@pytest.mark.postgres
async def test_neighbours_tapping_at_once_are_all_counted(pg_database: Database) -> None:
    town = await Town.demo(pg_database)
    case = await town.report(public=True)
    assert case.id is not None
    for neighbour in NEIGHBOURS:  # only the grid's residents count
        user = TelegramUser(neighbour, f"n{neighbour}")
        await move_to_grid(MoveToGrid(user, case.grid_code), town.ctx)
    await asyncio.gather(*(tap(town, neighbour, case.id) for neighbour in NEIGHBOURS))
    async with pg_database.reader() as uow:
        stored = await uow.cases.get(case.id)
    assert stored is not None and stored.affected_count == len(NEIGHBOURS)
