"""The grid picker: street → community → grid, real units only, with a way back."""

from __future__ import annotations

import pytest

from gridbot.domain.errors import UnknownLink
from gridbot.domain.gridpicker import ROOT, PickerStep
from gridbot.services.context import Context
from gridbot.services.membership import PickGrid, pick_step
from gridbot.storage.database import Database

from .conftest import RESIDENT, actor


def codes(step: PickerStep) -> list[str]:
    return [u.code for u in step.options]


async def step(db: Database, ctx: Context, telegram_id: int, code: str) -> PickerStep:
    return await pick_step(PickGrid(await actor(db, telegram_id), code), ctx)


async def test_the_first_screen_lists_only_streets_with_grids(db: Database, ctx: Context) -> None:
    first = await step(db, ctx, 9001, ROOT)
    assert codes(first) == ["WX"] and first.back is None and first.current is None


async def test_each_screen_goes_one_level_down_and_back_up(db: Database, ctx: Context) -> None:
    street = await step(db, ctx, 9001, "WX")
    community = await step(db, ctx, 9001, "LY")
    grid = await step(db, ctx, 9001, "LY2")
    assert (codes(street), street.back) == (["LY"], ROOT)
    assert (codes(community), community.back) == (["LY1", "LY2", "PARK"], "WX")
    assert grid.grid is not None and grid.grid.code == "LY2" and grid.back == "LY"


async def test_a_resident_sees_their_current_grid(db: Database, ctx: Context) -> None:
    picked = await step(db, ctx, RESIDENT, "LY2")
    assert picked.current is not None and picked.current.code == "LY1"


@pytest.mark.parametrize("code", ["NOPE", "EMPTY", "LY1-B3", "DL"])
async def test_unknown_empty_or_wrong_level_units_are_refused(
    db: Database, ctx: Context, code: str
) -> None:
    with pytest.raises(UnknownLink):
        await step(db, ctx, 9001, code)
