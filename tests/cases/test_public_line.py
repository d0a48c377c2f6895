"""The line a resident is shown before choosing "public": what it masks, which group and
place it names, and what it reads to say so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from demo_town import import_demo_org
from gridbot.services.reports import PreviewPublicLine, preview_public_line
from gridbot.storage.database import Database

from .conftest import GROUP, RESIDENT, Town

TEXT = "楼道灯坏了，李桂兰和王建华都摔过，赵桂英老人晚上不敢出门"


@pytest.fixture
async def care_town(database: Database) -> Town:
    """The demo town with its key residents (赵桂英 and others on 临月里第一网格)."""
    await import_demo_org(database, care=True)
    return Town(database)


@contextmanager
def reads(db: Database) -> Iterator[list[str]]:
    """Each statement the readers' engine runs, in one line."""
    seen: list[str] = []

    def on_execute(*args: object) -> None:
        statement = args[2]
        assert isinstance(statement, str)
        seen.append(" ".join(statement.split()))

    event.listen(db.reader_engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(db.reader_engine.sync_engine, "before_cursor_execute", on_execute)


async def preview(town: Town, text: str = TEXT) -> tuple[str, str | None, str | None]:
    asked = PreviewPublicLine(await town.actor(RESIDENT), "env", text)
    line = await preview_public_line(asked, town.ctx)
    place = line.place.name if line.place is not None else None
    category = line.category.name if line.category is not None else None
    return line.summary, place, category


async def test_the_line_masks_the_reporter_the_grids_residents_and_its_key_residents(
    care_town: Town,
) -> None:
    summary, _, category = await preview(care_town)
    for name in ("李桂兰", "王建华", "赵桂英"):
        assert name not in summary
    assert "楼道灯坏了" in summary and category == "环境卫生"


async def test_the_line_names_the_building_of_the_residents_group(care_town: Town) -> None:
    assert (await preview(care_town))[1] is None  # no group bound: nobody else sees it
    await care_town.bind_group()
    place = (await preview(care_town))[1]
    assert place == "临月里3号楼"
    async with care_town.db.reader() as uow:
        binding = await uow.bindings.get(GROUP)
    assert binding is not None and binding.unit_code == "DL-WX-LY-01-B03"


async def test_the_preview_reads_the_names_and_the_groups_not_the_organisation(
    care_town: Town,
) -> None:
    """The actor brings their roles, the unit tree and the categories: reading them again
    for every preview is what made this step the slowest of the report flow."""
    await care_town.bind_group()
    actor = await care_town.actor(RESIDENT)
    with reads(care_town.db) as seen:
        await preview_public_line(PreviewPublicLine(actor, "env", TEXT), care_town.ctx)
    assert not [s for s in seen if s.startswith("SELECT org_units")]
    assert not [s for s in seen if "FROM categories" in s or "FROM role_assignments" in s]
    names = [s for s in seen if "people.name" in s or "care_people.name" in s]
    assert len(names) == 2  # the grid's people and its key residents, names only
    assert len(seen) <= 4  # and the building's residents' groups (then the grid's)
