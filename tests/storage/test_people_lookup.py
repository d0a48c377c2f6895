"""Bulk look-ups that routing needs: roles held on a set of units, people by a set of ids."""

from __future__ import annotations

from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.storage.database import Database

from .factories import Seed


async def test_assignments_on_units_lists_every_staff_role_held_on_exactly_those_units(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        await uow.org.save_unit(OrgUnit("B3", "3号楼", UnitLevel.BUILDING, parent_code=seed.grid))
        await uow.people.add_role(RoleAssignment(seed.worker_id, Role.GRID_WORKER, seed.grid))
        await uow.people.add_role(
            RoleAssignment(seed.worker_id, Role.GRID_GUIDE, "DL-WX", on_duty=False)
        )
        await uow.people.add_role(RoleAssignment(seed.reporter_id, Role.RESIDENT, "B3"))
        await uow.people.add_role(RoleAssignment(seed.reporter_id, Role.RESIDENT, seed.grid))
        await uow.people.add_role(RoleAssignment(seed.reporter_id, Role.PARTY_MEMBER, seed.grid))
        await uow.commit()
    async with db.uow() as uow:
        found = await uow.people.assignments_on([seed.grid, "DL-WX"])
        assert found == [  # residents are not staff, however many a grid has
            RoleAssignment(seed.worker_id, Role.GRID_WORKER, seed.grid),
            RoleAssignment(seed.worker_id, Role.GRID_GUIDE, "DL-WX", on_duty=False),
            RoleAssignment(seed.reporter_id, Role.PARTY_MEMBER, seed.grid),
        ]
        assert await uow.people.assignments_on([]) == []
        assert await uow.people.assignments_on(["nowhere"]) == []


async def test_many_finds_people_by_id_and_leaves_unknown_ids_out(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        guide = await uow.people.save(Person("徐强", department="police"))
        assert guide.id is not None
        found = await uow.people.many([seed.worker_id, guide.id, guide.id, 999_999])
        assert sorted(found) == sorted([seed.worker_id, guide.id])
        assert found[guide.id].department == "police"
        assert found[seed.worker_id].name == "张伟"
        assert await uow.people.many([]) == {}
