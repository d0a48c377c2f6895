"""The import as a whole (read what exists in a few queries, write the differences in
batches): a re-import changes exactly what the file changed, an unchanged one writes
nothing, and files larger than one batch import once and re-import unchanged. On SQLite and
PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from sqlalchemy import event, text

from demo_town import context
from gridbot.bot.orgfile import parse_org_text
from gridbot.domain.org import Role
from gridbot.services.orgimport import ImportOrg, ImportReport, import_org
from gridbot.storage.database import Database
from gridbot.storage.repositories.orgfile import KEYS_PER_QUERY, ROWS_PER_BATCH

from .common import DEMO_TEXT, dump, tokens


async def run_import(db: Database, source: str, prefix: str = "t") -> ImportReport:
    spec = parse_org_text(source, "org.yaml").to_spec()
    return await import_org(ImportOrg(spec, tokens(prefix)), context(db))


@contextmanager
def statements(db: Database) -> Iterator[Counter[str]]:
    """The statements run meanwhile, by their first word."""
    seen: Counter[str] = Counter()

    def count(*args: Any) -> None:
        seen[str(args[2]).split(None, 1)[0].upper()] += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def revision(db: Database) -> int:
    async with db.reader() as uow:
        return await uow.org.revision()


async def with_revision_row(db: Database) -> None:
    """The counter's one row, which the migration makes (the PostgreSQL fixture empties
    every table, that row too)."""
    async with db.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO org_revision (id, revision) SELECT 1, 0"
                " WHERE NOT EXISTS (SELECT 1 FROM org_revision)"
            )
        )


def edited(source: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


async def test_a_reimport_changes_a_name_adds_and_removes_a_role_and_moves_a_unit(
    db: Database,
) -> None:
    await with_revision_row(db)
    await run_import(db, DEMO_TEXT)
    before, revision_before = await dump(db), await revision(db)
    changed = edited(
        DEMO_TEXT,
        (
            "      - {role: grid_worker, unit: DL-WX-LY-02}\n  - name: 刘洋",
            "      - {role: grid_worker, unit: DL-WX-LY-02}\n"
            "      - {role: party_member, unit: DL-WX-LY-02}\n  - name: 刘洋",
        ),
        ("  - name: 刘洋\n", "  - name: 刘阳\n"),
        ("      - {role: branch_secretary, unit: DL-WX-LY-01}\n  - name: 李娜", "  - name: 李娜"),
        (
            "Block A, level: building, parent: DL-WX-ZB-02}",
            "Block A, level: building, parent: DL-WX-ZB-01}",
        ),
    )

    report = await run_import(db, changed, "x")

    assert (report.units.updated, report.units.created, report.units.unchanged) == (1, 0, 11)
    assert (report.people.updated, report.people.created, report.people.unchanged) == (3, 0, 28)
    after = await dump(db)
    assert {name for name in after if after[name] != before[name]} == {
        "org_revision",
        "org_units",
        "people",
        "role_assignments",
    }
    assert len(set(after["people"]) - set(before["people"])) == 1
    assert len(after["role_assignments"]) == len(before["role_assignments"])
    assert await revision(db) == revision_before + 1  # once, however many units changed
    async with db.reader() as uow:
        liu, li, wang = [await uow.people.by_telegram_id(t) for t in (1004, 1003, 1002)]
        assert liu is not None and liu.name == "刘阳"
        assert li is not None and li.id is not None and wang is not None and wang.id is not None
        assert {(r.role, r.unit_code) for r in await uow.people.roles_of(li.id)} == {
            (Role.GRID_WORKER, "DL-WX-LY-02"),
            (Role.PARTY_MEMBER, "DL-WX-LY-02"),
        }
        assert {(r.role, r.unit_code) for r in await uow.people.roles_of(wang.id)} == {
            (Role.GRID_LEADER, "DL-WX-LY-01")
        }
        moved = await uow.org.get_unit("DL-WX-ZB-02-A1")
        assert moved is not None and moved.parent_code == "DL-WX-ZB-01"
        assert [u.code for u in await uow.org.children("DL-WX-ZB-01")] == ["DL-WX-ZB-02-A1"]


async def test_an_unchanged_reimport_writes_nothing_and_keeps_the_org_revision(
    db: Database,
) -> None:
    await with_revision_row(db)
    await run_import(db, DEMO_TEXT)
    before, revision_before = await dump(db), await revision(db)

    with statements(db) as seen:
        await run_import(db, DEMO_TEXT, "again")

    assert {kind: n for kind, n in seen.items() if kind in ("INSERT", "UPDATE", "DELETE")} == {}
    assert seen["SELECT"] <= 15
    assert await revision(db) == revision_before
    assert await dump(db) == before


async def test_new_units_below_new_units_and_new_people_arrive_with_their_roles(
    db: Database,
) -> None:
    await run_import(db, DEMO_TEXT)
    grown = edited(
        DEMO_TEXT,
        (
            "\ncategories:",
            "  - {code: DL-XF, name: 新立街道, level: street, parent: DL}\n"
            "  - {code: DL-XF-HY, name: 和园社区, level: community, parent: DL-XF}\n"
            "  - {code: DL-XF-HY-01, name: 和园第一网格, level: grid, parent: DL-XF-HY}\n"
            "\ncategories:",
        ),
        (
            "\ncare:",
            "\n  - {name: 新网格员, roles: [{role: grid_worker, unit: DL-XF-HY-01}]}\n"
            "  - {name: 新居民, telegram_id: 9001, roles: [{role: resident, unit: DL-XF-HY-01}]}\n"
            "\ncare:",
        ),
    )

    with statements(db) as seen:
        report = await run_import(db, grown, "n")

    assert (report.units.created, report.people.created) == (3, 2)
    assert seen["INSERT"] <= 6  # three levels of units, the people, their roles
    assert [invite.name for invite in report.invites] == ["许文", "新网格员"]
    async with db.reader() as uow:
        assert [u.code for u in await uow.org.around(["DL-XF-HY-01"])] == [
            "DL",
            "DL-XF",
            "DL-XF-HY",
            "DL-XF-HY-01",
        ]
        workers = await uow.people.holders(Role.GRID_WORKER, "DL-XF-HY-01")
        residents = await uow.people.holders(Role.RESIDENT, "DL-XF-HY-01")
    assert [p.name for p in workers] == ["新网格员"] and (workers[0].invite_code or "").startswith(
        "n"
    )
    assert [(p.name, p.telegram_id) for p in residents] == [("新居民", 9001)]


def crowded(residents: int) -> str:
    """The demo with ``residents`` more people: every other with a phone, every third
    without a Telegram id (matched by phone, or by name and invite)."""
    org = yaml.safe_load(DEMO_TEXT)
    grids = [u["code"] for u in org["units"] if u["level"] == "grid"]
    for n in range(residents):
        person: dict[str, Any] = {"name": f"居民{n:05d}"}
        if n % 2:
            person["phone"] = f"158{n:08d}"
        if n % 3:
            person["telegram_id"] = 500_000 + n
        person["roles"] = [{"role": "resident", "unit": grids[n % len(grids)]}]
        org["people"].append(person)
    return yaml.safe_dump(org, allow_unicode=True, sort_keys=False)


async def test_more_people_than_a_batch_import_once_and_reimport_unchanged(
    db: Database,
) -> None:
    residents = max(ROWS_PER_BATCH, KEYS_PER_QUERY) + 500
    source = crowded(residents)

    first = await run_import(db, source)
    after_first = await dump(db)
    with statements(db) as seen:
        second = await run_import(db, source, "again")

    assert first.people.created == 31 + residents
    assert (second.people.unchanged, second.people.created, second.people.updated) == (
        31 + residents,
        0,
        0,
    )
    assert not any(seen[kind] for kind in ("INSERT", "UPDATE", "DELETE"))
    assert seen["SELECT"] <= 30
    assert len(after_first["people"]) == 31 + residents
    assert len(after_first["role_assignments"]) == 39 + residents
    assert await dump(db) == after_first
    assert second.people_ids == first.people_ids
    assert len(set(first.people_ids)) == len(first.people_ids)
