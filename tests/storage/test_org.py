from __future__ import annotations

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.org import Category, OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.storage.database import Database

from .factories import GRID, T0, UNITS, Seed


async def test_units_round_trip_with_their_parent_codes(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        units = await uow.org.list_units()
        by_token = await uow.org.unit_by_token("b1")
        children = await uow.org.children("DL-WX-LY")
    assert [(u.code, u.parent_code, u.level) for u in units] == [
        (u.code, u.parent_code, u.level) for u in UNITS
    ]
    assert by_token is not None and by_token.code == GRID and by_token.join_token == "j1"
    assert [c.code for c in children] == [GRID]


async def test_saving_a_unit_again_updates_it_instead_of_duplicating(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        await uow.org.save_unit(OrgUnit("DL-WX", "万新街道办", UnitLevel.STREET, "DL"))
        await uow.commit()
    async with db.uow() as uow:
        street = await uow.org.get_unit("DL-WX")
        assert len(await uow.org.list_units()) == len(UNITS)
    assert street is not None and street.name == "万新街道办"


async def test_people_are_found_by_telegram_id_invite_phone_and_name(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        invited = await uow.people.save(Person("王芳", invite_code="inv42", language="en"))
        await uow.commit()
    async with db.uow() as uow:
        assert (await uow.people.by_telegram_id(1001)) is not None
        assert await uow.people.by_invite_code("inv42") == invited
        assert (await uow.people.find("anyone", "13800000001")).id == seed.worker_id  # type: ignore[union-attr]
        assert (await uow.people.find("李娜", None)).id == seed.reporter_id  # type: ignore[union-attr]
        assert await uow.people.get(invited.id or 0) == invited


async def test_person_update_keeps_the_id(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        person = await uow.people.get(seed.worker_id)
        assert person is not None
        person.blocked_bot = True
        await uow.people.save(person)
        await uow.commit()
    async with db.uow() as uow:
        again = await uow.people.get(seed.worker_id)
    assert again is not None and again.blocked_bot


async def test_set_roles_replaces_staff_roles_and_keeps_resident_bindings(
    db: Database, seed: Seed
) -> None:
    worker = seed.worker_id
    async with db.uow() as uow:
        await uow.people.add_role(RoleAssignment(worker, Role.RESIDENT, GRID))
        await uow.people.add_role(RoleAssignment(worker, Role.GRID_LEADER, GRID))
        await uow.people.set_roles(
            worker,
            [
                RoleAssignment(worker, Role.GRID_WORKER, GRID),
                RoleAssignment(worker, Role.SUPERVISOR, "DL-WX", on_duty=False),
            ],
        )
        await uow.commit()
    async with db.uow() as uow:
        roles = await uow.people.roles_of(worker)
        holders = await uow.people.holders(Role.GRID_WORKER, GRID)
    assert set(roles) == {
        RoleAssignment(worker, Role.RESIDENT, GRID),
        RoleAssignment(worker, Role.GRID_WORKER, GRID),
        RoleAssignment(worker, Role.SUPERVISOR, "DL-WX", on_duty=False),
    }
    assert [p.id for p in holders] == [worker]


async def test_adding_a_role_twice_keeps_one_and_removing_drops_it(
    db: Database, seed: Seed
) -> None:
    role = RoleAssignment(seed.worker_id, Role.GRID_WORKER, GRID)
    async with db.uow() as uow:
        await uow.people.add_role(role)
        await uow.people.add_role(role)
        assert await uow.people.roles_of(seed.worker_id) == [role]
        await uow.people.remove_role(role)
        assert await uow.people.roles_of(seed.worker_id) == []


async def test_categories_round_trip_and_inactive_ones_are_not_listed(
    db: Database, seed: Seed
) -> None:
    police = Category(
        "security", "治安", Role.GRID_GUIDE, "police", 1, 24, 2, True, name_en="Order"
    )
    async with db.uow() as uow:
        saved = await uow.categories.save(police)
        await uow.categories.save(Category("old", "旧", active=False))
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.categories.get("security") == saved
        assert [c.code for c in await uow.categories.list_active()] == ["env", "security"]
    assert saved.id is not None and saved.department == "police"


async def test_bindings_round_trip_deactivate_and_follow_a_migrated_chat(
    db: Database, seed: Seed
) -> None:
    binding = ChatBinding(-100, GRID, BindingKind.BUILDING, T0, "1号楼", seed.worker_id)
    binding.greeted_at = T0
    async with db.uow() as uow:
        saved = await uow.bindings.save(binding)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.bindings.get(-100) == saved
        assert await uow.bindings.for_unit(GRID) == [saved]
        assert await uow.bindings.migrate(-100, -1000100)
        assert await uow.bindings.get(-100) is None
        assert await uow.bindings.deactivate(-1000100)
        assert not await uow.bindings.deactivate(-1000100)
        assert await uow.bindings.for_unit(GRID) == []
        moved = await uow.bindings.get(-1000100)
    assert moved is not None and not moved.active and moved.bound_at == T0
