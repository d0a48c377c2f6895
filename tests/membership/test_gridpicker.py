"""The grid picker: street → community → grid, real units only, with a way back."""

from __future__ import annotations

import pytest

from gridbot.domain.gridpicker import ROOT, PickerStep, pick_step
from gridbot.domain.membership import UnknownLink
from gridbot.storage.database import Database

from .conftest import RESIDENT


def codes(step: PickerStep) -> list[str]:
    return [u.code for u in step.options]


async def test_the_first_screen_lists_only_streets_with_grids(db: Database) -> None:
    async with db.uow() as uow:
        step = await pick_step(uow, 9001, ROOT)
    assert codes(step) == ["WX"] and step.back is None and step.current is None


async def test_each_screen_goes_one_level_down_and_back_up(db: Database) -> None:
    async with db.uow() as uow:
        street = await pick_step(uow, 9001, "WX")
        community = await pick_step(uow, 9001, "LY")
        grid = await pick_step(uow, 9001, "LY2")
    assert (codes(street), street.back) == (["LY"], ROOT)
    assert (codes(community), community.back) == (["LY1", "LY2", "PARK"], "WX")
    assert grid.grid is not None and grid.grid.code == "LY2" and grid.back == "LY"


async def test_a_resident_sees_their_current_grid(db: Database) -> None:
    async with db.uow() as uow:
        step = await pick_step(uow, RESIDENT, "LY2")
    assert step.current is not None and step.current.code == "LY1"


@pytest.mark.parametrize("code", ["NOPE", "EMPTY", "LY1-B3", "DL"])
async def test_unknown_empty_or_wrong_level_units_are_refused(db: Database, code: str) -> None:
    async with db.uow() as uow:
        with pytest.raises(UnknownLink):
            await pick_step(uow, 9001, code)
