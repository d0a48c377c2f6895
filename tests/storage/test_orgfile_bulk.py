"""The organisation in bulk (``uow.orgfile``): units saved a level at a time, people and
roles in batches, and the holders that ``org show`` prints, in a few queries."""

from __future__ import annotations

from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.storage.database import Database
from gridbot.storage.repositories.orgfile import ROWS_PER_BATCH

from .factories import GRID, Seed

NEW_UNITS = (  # children before their parents: saved all the same
    OrgUnit("DL-XF-HY-01", "和园第一网格", UnitLevel.GRID, "DL-XF-HY", None, "j9", "b9"),
    OrgUnit("DL-XF-HY", "和园社区", UnitLevel.COMMUNITY, "DL-XF", None, "j8", "b8"),
    OrgUnit("DL-XF", "新立街道", UnitLevel.STREET, "DL", None, "j7", "b7"),
)


async def test_new_units_below_new_units_are_saved_and_the_revision_moves_once(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        before = await uow.org.revision()
        grid = await uow.org.get_unit(GRID)
        assert grid is not None
        moved = OrgUnit(
            grid.code, "改名网格", grid.level, "DL-XF-HY", grid.kind, "j1", "b1", grid.id
        )
        await uow.orgfile.save_units([*NEW_UNITS, moved])
        await uow.commit()
    async with db.reader() as uow:
        around = await uow.org.around([GRID])
        revision = await uow.org.revision()
    assert [(u.code, u.name) for u in around] == [
        ("DL", "东丽区"),
        ("DL-XF", "新立街道"),
        ("DL-XF-HY", "和园社区"),
        (GRID, "改名网格"),
    ]
    assert revision in (before + 1, 0)  # 0: the PostgreSQL fixture empties its one row


async def test_people_and_roles_in_batches_and_the_holders_org_show_prints(
    db: Database, seed: Seed
) -> None:
    count = ROWS_PER_BATCH + 5
    people = [
        Person(f"居民{n:04d}", telegram_id=800_000 + n if n % 2 else None, invite_code=f"i{n}")
        for n in range(count)
    ]
    async with db.uow() as uow:
        ids = await uow.orgfile.add_people(people)
        await uow.orgfile.add_roles([RoleAssignment(i, Role.RESIDENT, GRID) for i in ids])
        await uow.orgfile.update_people([Person("改名", id=ids[0], invite_code="i0")])
        await uow.orgfile.remove_roles([RoleAssignment(ids[-1], Role.RESIDENT, GRID)])
        await uow.commit()
    async with db.reader() as uow:
        stored = await uow.people.many(ids)
        holders, residents = await uow.orgfile.holders([GRID], residents_shown=3)
        everywhere, _ = await uow.orgfile.holders(None, residents_shown=3)
        held = await uow.orgfile.roles_of_people(ids[:2])

    assert len(set(ids)) == count
    assert [stored[i].name for i in ids[1:]] == [p.name for p in people[1:]]
    assert stored[ids[0]].name == "改名"
    shown = [(role, person.name) for code, role, person in holders if role == Role.RESIDENT]
    assert shown == [
        (Role.RESIDENT, "改名"),
        (Role.RESIDENT, "居民0001"),
        (Role.RESIDENT, "居民0002"),
    ]
    assert residents == {GRID: count - 1}
    assert {(c, r, p.id) for c, r, p in holders} <= {(c, r, p.id) for c, r, p in everywhere}
    assert held == {
        ids[0]: [RoleAssignment(ids[0], Role.RESIDENT, GRID)],
        ids[1]: [RoleAssignment(ids[1], Role.RESIDENT, GRID)],
    }
