"""The grid picker is rate-limited per person: a few moves a day correct a wrong tap; more
are refused, and a refused move changes nothing."""

from __future__ import annotations

import pytest

from gridbot.domain.errors import TooManyMoves
from gridbot.domain.gridpicker import MAX_MOVES
from gridbot.domain.org import Role
from gridbot.services.context import Context
from gridbot.services.membership import MoveToGrid, TelegramUser, move_to_grid
from gridbot.storage.database import Database

from .conftest import FixedClock, RecordingNotices

WANDERER = TelegramUser(9002, "小红")
GRIDS = ("LY1", "LY2")


async def homes(db: Database) -> list[str]:
    async with db.reader() as uow:
        person = await uow.people.by_telegram_id(WANDERER.telegram_id)
        assert person is not None and person.id is not None
        roles = await uow.people.roles_of(person.id)
    return [r.unit_code for r in roles if r.role == Role.RESIDENT]


async def move(ctx: Context, step: int) -> None:
    await move_to_grid(MoveToGrid(WANDERER, GRIDS[step % 2]), ctx)


async def test_a_person_moving_too_often_is_refused_and_stays_where_they_are(
    db: Database, ctx: Context, clock: FixedClock, menus: RecordingNotices
) -> None:
    for step in range(MAX_MOVES):
        await move(ctx, step)
    stayed, published = await homes(db), len(menus.published)

    with pytest.raises(TooManyMoves):
        await move(ctx, MAX_MOVES)

    assert await homes(db) == stayed and len(menus.published) == published
    clock.advance(hours=25)  # a day later the picker works again
    await move(ctx, MAX_MOVES)
    assert await homes(db) != stayed


async def test_tapping_the_grid_one_already_lives_in_is_not_a_move(
    db: Database, ctx: Context, clock: FixedClock
) -> None:
    for _ in range(MAX_MOVES + 2):
        await move_to_grid(MoveToGrid(WANDERER, "LY1"), ctx)
    assert await homes(db) == ["LY1"]
    clock.advance(minutes=1)
    await move(ctx, 1)  # one real move so far: allowed
    assert await homes(db) == ["LY2"]
