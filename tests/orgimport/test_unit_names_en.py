"""A unit's English name (``name_en``) in the org file: read, stored, updated by a
re-import that changes nothing else (which moves the org revision, so every process reads
the organisation again), and removed when the file drops it. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from gridbot.bot.orgfile import OrgFileError, parse_org_text
from gridbot.services.orgcache import OrgCache
from gridbot.storage.database import Database

from .common import DEMO_TEXT
from .test_bulk_import import edited, revision, run_import, with_revision_row

GRID_LINE = "name: 临月里第一网格, name_en: Linyueli Grid 1,"


async def english_names(db: Database) -> dict[str, str | None]:
    async with db.reader() as uow:
        return {unit.code: unit.name_en for unit in await uow.org.list_units()}


def test_the_org_file_reads_a_units_english_name_and_refuses_one_that_is_not_text() -> None:
    spec = parse_org_text(DEMO_TEXT, "org.yaml").to_spec()
    grid = next(unit for unit in spec.units if unit.code == "DL-WX-LY-01")
    assert (grid.name, grid.name_en) == ("临月里第一网格", "Linyueli Grid 1")
    assert grid.name_in("en") == "Linyueli Grid 1" and grid.name_in("zh") == "临月里第一网格"

    with pytest.raises(OrgFileError) as not_text:
        parse_org_text(edited(DEMO_TEXT, (GRID_LINE, "name: 临月里第一网格, name_en: 12,")))
    assert not_text.value.problems == [
        "<org file>:10: unit DL-WX-LY-01: name_en must be text, not 12"
    ]
    long = "x" * 201
    with pytest.raises(OrgFileError) as too_long:
        parse_org_text(edited(DEMO_TEXT, ("name_en: Linyueli Grid 1,", f"name_en: {long},")))
    assert too_long.value.problems == [
        "<org file>:10: unit DL-WX-LY-01: name_en is longer than 200 characters"
    ]


async def test_english_names_are_stored_and_a_reimport_that_changes_only_one_updates_it(
    db: Database,
) -> None:
    await with_revision_row(db)
    await run_import(db, DEMO_TEXT)
    stored = await english_names(db)
    assert stored["DL-WX-LY-01"] == "Linyueli Grid 1"
    assert stored["DL-WX"] == "Wanxin Subdistrict"
    assert all(stored.values())  # the demo names every unit in English
    cache = OrgCache()
    async with db.reader() as uow:
        held = await cache.current(uow)
    assert held.tree.get("DL-WX-LY-01").name_in("en") == "Linyueli Grid 1"
    before = await revision(db)

    renamed = edited(DEMO_TEXT, (GRID_LINE, "name: 临月里第一网格, name_en: Linyue Grid One,"))
    report = await run_import(db, renamed, "x")

    assert (report.units.updated, report.units.created, report.units.unchanged) == (1, 0, 11)
    assert await revision(db) == before + 1
    assert (await english_names(db))["DL-WX-LY-01"] == "Linyue Grid One"
    async with db.reader() as uow:
        held = await cache.current(uow)  # the process reads the organisation again
    assert held.tree.get("DL-WX-LY-01").name_in("en") == "Linyue Grid One"

    dropped = edited(DEMO_TEXT, (GRID_LINE, "name: 临月里第一网格,"))
    report = await run_import(db, dropped, "y")
    assert report.units.updated == 1 and await revision(db) == before + 2
    assert (await english_names(db))["DL-WX-LY-01"] is None
    again = await run_import(db, dropped, "z")
    assert again.units.updated == 0 and await revision(db) == before + 2


async def test_units_without_an_english_name_are_read_by_their_name(db: Database) -> None:
    await with_revision_row(db)
    plain = re.sub(r" name_en: [^,]+,", "", DEMO_TEXT)
    await run_import(db, plain)
    assert set((await english_names(db)).values()) == {None}
    async with db.reader() as uow:
        grid = await uow.org.get_unit("DL-WX-LY-01")
    assert grid is not None and grid.name_in("en") == "临月里第一网格"
