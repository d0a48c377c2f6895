"""Importing the org into the real storage: idempotent, in place, all or nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from demo_town import context
from gridbot.bot.orgfile import parse_org_text
from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.services.orgimport import ImportOrg, ImportReport, import_org
from gridbot.storage.database import Database

from .common import DEMO_TEXT, Dump, dump, tokens


async def run_import(db: Database, source: str, token_factory: Callable[[], str]) -> ImportReport:
    spec = parse_org_text(source, "demo-org.yaml").to_spec()
    return await import_org(ImportOrg(spec, token_factory), context(db))


def counts(rows: Dump) -> dict[str, int]:
    return {name: len(found) for name, found in rows.items()}


async def test_importing_the_demo_twice_changes_nothing_the_second_time(db: Database) -> None:
    first = await run_import(db, DEMO_TEXT, tokens())
    after_first = await dump(db)
    second = await run_import(db, DEMO_TEXT, tokens("other"))

    assert (first.units.created, first.categories.created, first.people.created) == (12, 10, 31)
    assert (second.units.unchanged, second.categories.unchanged, second.people.unchanged) == (
        12,
        10,
        31,
    )
    assert second.units.created == second.people.created == second.people.updated == 0
    assert await dump(db) == after_first
    assert counts(after_first)["role_assignments"] == 39


async def test_a_changed_file_updates_in_place(db: Database) -> None:
    await run_import(db, DEMO_TEXT, tokens())
    before = counts(await dump(db))
    changed = (
        DEMO_TEXT.replace("name: 临月里第一网格", "name: 临月里一网格")
        .replace(
            "telegram_id: 1001\n    roles:\n      - {role: grid_worker, unit: DL-WX-LY-01}",
            "telegram_id: 1001\n    roles:\n      - {role: grid_worker, unit: DL-WX-LY-02}",
        )
        .replace("respond_hours: 2, resolve_hours: 48", "respond_hours: 3, resolve_hours: 48")
        .replace("worker: 张伟", "worker: 王芳")  # his care persons stay on his old grid
    )
    assert changed.count("DL-WX-LY-02}") == DEMO_TEXT.count("DL-WX-LY-02}") + 1

    report = await run_import(db, changed, tokens("x"))

    assert (report.units.updated, report.categories.updated, report.people.updated) == (1, 1, 1)
    assert (report.care.updated, report.care.unchanged) == (2, 1)
    assert counts(await dump(db)) == before
    async with db.reader() as uow:
        grid = await uow.org.get_unit("DL-WX-LY-01")
        assert grid is not None and grid.name == "临月里一网格"
        assert grid.join_token and not grid.join_token.startswith("x")
        workers = await uow.people.holders(Role.GRID_WORKER, "DL-WX-LY-02")
        assert sorted(p.name for p in workers) == sorted(["李娜", "张伟"])
        assert await uow.people.holders(Role.GRID_WORKER, "DL-WX-LY-01") == []
        env = await uow.categories.get("env")
        assert env is not None and env.respond_hours == 3


async def test_tokens_and_invite_codes_are_made_once(db: Database) -> None:
    first = await run_import(db, DEMO_TEXT, tokens("a"))
    async with db.reader() as uow:
        before = {u.code: (u.join_token, u.bind_token) for u in await uow.org.list_units()}
    second = await run_import(db, DEMO_TEXT, tokens("b"))
    async with db.reader() as uow:
        after = {u.code: (u.join_token, u.bind_token) for u in await uow.org.list_units()}
        invited = await uow.people.by_invite_code(first.invites[0].code)

    assert after == before
    assert all(join.startswith("a") and bind.startswith("a") for join, bind in after.values())
    assert len({token for pair in after.values() for token in pair}) == 24
    assert [(i.name, i.code) for i in first.invites] == [("许文", first.invites[0].code)]
    assert second.invites == first.invites
    assert invited is not None and invited.name == "许文"


async def test_bot_made_bindings_and_accepted_invites_survive_a_reimport(db: Database) -> None:
    first = await run_import(db, DEMO_TEXT, tokens())
    async with db.uow() as uow:
        zhang = await uow.people.by_telegram_id(1001)
        xu = await uow.people.by_invite_code(first.invites[0].code)
        assert zhang is not None and zhang.id is not None and xu is not None
        await uow.people.add_role(RoleAssignment(zhang.id, Role.RESIDENT, "DL-WX-LY-01-B05"))
        xu.telegram_id = 3001  # accepted the invite in the bot
        await uow.people.save(xu)
        await uow.commit()

    second = await run_import(db, DEMO_TEXT, tokens("again"))

    async with db.reader() as uow:
        zhang_roles = await uow.people.roles_of(zhang.id)
        xu_now = await uow.people.by_telegram_id(3001)
    assert RoleAssignment(zhang.id, Role.RESIDENT, "DL-WX-LY-01-B05") in zhang_roles
    assert xu_now is not None and xu_now.id == xu.id
    assert second.invites == []
    assert second.people.created == 0


async def test_a_failure_halfway_leaves_the_database_as_it_was(db: Database) -> None:
    await run_import(db, DEMO_TEXT, tokens())
    before = await dump(db)
    newcomer = "  - {name: 新人, roles: [{role: party_member, unit: DL-WX-LY-01}]}\n"
    spec = parse_org_text(
        DEMO_TEXT.replace("临月里第一网格", "改名网格").replace(
            "\ncare:", "\n" + newcomer + "care:"
        )
    ).to_spec()
    assert spec.people[-1].person.name == "新人"

    def failing_factory() -> str:
        raise RuntimeError("no more tokens")

    with pytest.raises(RuntimeError):
        await import_org(ImportOrg(spec, failing_factory), context(db))

    assert await dump(db) == before


async def test_a_namesake_who_joined_in_the_bot_never_takes_a_staff_entry(db: Database) -> None:
    async with db.uow() as uow:
        resident = await uow.people.save(Person(name="许文", telegram_id=5555))
        await uow.commit()
    staff = DEMO_TEXT.replace('    phone: "13800001025"\n', "")

    first = await run_import(db, staff, tokens("a"))
    after_first = await dump(db)
    second = await run_import(db, staff, tokens("b"))

    async with db.reader() as uow:
        namesakes = await uow.people.named("许文")
        assert resident.id is not None
        assert await uow.people.roles_of(resident.id) == []
    assert len(namesakes) == 2
    assert second.invites == first.invites and second.people.created == 0
    assert await dump(db) == after_first
