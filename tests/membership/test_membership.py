"""Joining by link, moving, invites and the language choice, on the real storage."""

from __future__ import annotations

import pytest

from gridbot.domain.membership import (
    InviteTaken,
    NotJoinable,
    TelegramUser,
    UnknownLink,
    accept_invite,
    join_unit,
    move_to_grid,
    set_language,
)
from gridbot.domain.org import Role
from gridbot.storage.database import Database

from .conftest import INVITE, OTHER_WORKER, RESIDENT, FixedClock, RecordingMenus

NEWCOMER = TelegramUser(9001, "小明", "王", locale="en")


async def homes(db: Database, telegram_id: int) -> list[str]:
    async with db.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        roles = await uow.people.roles_of(person.id)
    return [r.unit_code for r in roles if r.role == Role.RESIDENT]


async def test_a_join_link_makes_a_newcomer_a_resident_of_the_building(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        joined = await join_unit(uow, clock, menus, NEWCOMER, "jB3")
        await uow.commit()

    assert (joined.unit.code, joined.grid.code, joined.workers) == ("LY1-B3", "LY1", ("张伟",))
    assert joined.previous is None and not joined.unchanged
    assert await homes(db, 9001) == ["LY1-B3"]
    async with db.uow() as uow:
        person = await uow.people.by_telegram_id(9001)
    assert person is not None and (person.name, person.language) == ("小明 王", "en")
    assert menus.published == [(9001, "en", [Role.RESIDENT])]


@pytest.mark.parametrize("token", ["nope", "", "bB3"])
async def test_an_unknown_or_bind_token_joins_nothing(
    db: Database, clock: FixedClock, menus: RecordingMenus, token: str
) -> None:
    async with db.uow() as uow:
        with pytest.raises(UnknownLink):
            await join_unit(uow, clock, menus, NEWCOMER, token)
        assert await uow.people.by_telegram_id(9001) is None
    assert menus.published == []


async def test_joining_a_street_is_refused(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        with pytest.raises(NotJoinable):
            await join_unit(uow, clock, menus, NEWCOMER, "jWX")


async def test_joining_again_changes_nothing_and_sends_no_new_menu(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    resident = TelegramUser(RESIDENT, "李桂兰")
    async with db.uow() as uow:
        joined = await join_unit(uow, clock, menus, resident, "jB3")
    assert joined.unchanged and menus.published == []


async def test_moving_replaces_the_old_residence(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        moved = await move_to_grid(uow, clock, menus, TelegramUser(RESIDENT, "李桂兰"), "LY2")
        await uow.commit()

    assert moved.previous is not None and moved.previous.code == "LY1"
    assert moved.workers == ("李娜", "许文")
    assert await homes(db, RESIDENT) == ["LY2"]
    assert len(menus.published) == 1


@pytest.mark.parametrize(("code", "error"), [("LY", NotJoinable), ("XX", UnknownLink)])
async def test_the_picker_only_moves_people_into_real_grids(
    db: Database, clock: FixedClock, menus: RecordingMenus, code: str, error: type[Exception]
) -> None:
    async with db.uow() as uow:
        with pytest.raises(error):
            await move_to_grid(uow, clock, menus, NEWCOMER, code)


async def test_an_invite_gives_the_staff_member_this_telegram_account(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        invitation = await accept_invite(uow, clock, menus, NEWCOMER, INVITE)
        await uow.commit()

    assert invitation.person.name == "许文" and not invitation.already_accepted
    assert [(r.role, r.unit_name) for r in invitation.roles] == [
        (Role.GRID_WORKER, "临月里第二网格")
    ]
    async with db.uow() as uow:
        person = await uow.people.by_telegram_id(9001)
    assert person is not None and person.name == "许文"
    assert menus.published == [(9001, "en", [Role.GRID_WORKER])]


async def test_a_used_invite_is_refused_for_another_account_and_kept_for_its_own(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        await accept_invite(uow, clock, menus, NEWCOMER, INVITE)
        await uow.commit()
    async with db.uow() as uow:
        with pytest.raises(InviteTaken):
            await accept_invite(uow, clock, menus, TelegramUser(9002, "Eve"), INVITE)
        again = await accept_invite(uow, clock, menus, NEWCOMER, INVITE)
    assert again.already_accepted
    async with db.uow() as uow:
        assert await uow.people.by_telegram_id(9002) is None


async def test_an_unknown_invite_is_refused(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        with pytest.raises(UnknownLink):
            await accept_invite(uow, clock, menus, NEWCOMER, "guess")


async def test_an_invite_takes_over_the_residence_of_an_account_that_joined_first(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        await join_unit(uow, clock, menus, NEWCOMER, "jLY1")
        await uow.commit()
    async with db.uow() as uow:
        await accept_invite(uow, clock, menus, NEWCOMER, INVITE)
        await uow.commit()
    assert await homes(db, 9001) == ["LY1"]
    async with db.uow() as uow:
        person = await uow.people.by_telegram_id(9001)
        assert person is not None and person.name == "许文"
        old = await uow.people.named("小明 王")
    assert [p.telegram_id for p in old] == [None]


async def test_a_stranger_choosing_a_language_gets_a_person_without_roles(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        person = await set_language(uow, clock, menus, NEWCOMER, "zh")
        await uow.commit()
    assert person.language == "zh"
    async with db.uow() as uow:
        assert person.id is not None and await uow.people.roles_of(person.id) == []
    assert menus.published == [(9001, "zh", [])]


async def test_a_staff_member_switching_language_gets_their_menu_again(
    db: Database, clock: FixedClock, menus: RecordingMenus
) -> None:
    async with db.uow() as uow:
        person = await set_language(uow, clock, menus, TelegramUser(OTHER_WORKER, "李娜"), "en")
        await uow.commit()
    assert person.name == "李娜"
    assert menus.published == [(OTHER_WORKER, "en", [Role.GRID_WORKER])]
