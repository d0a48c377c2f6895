"""Joining by link, moving, invites and the language choice, on the real storage."""

from __future__ import annotations

import pytest

from gridbot.domain.errors import InviteTaken, NotJoinable, UnknownLink
from gridbot.domain.org import Role
from gridbot.services.context import Context
from gridbot.services.membership import (
    AcceptInvite,
    JoinUnit,
    MoveToGrid,
    SetLanguage,
    TelegramUser,
    accept_invite,
    join_unit,
    move_to_grid,
    set_language,
)
from gridbot.storage.database import Database

from .conftest import INVITE, OTHER_WORKER, RESIDENT, RecordingNotices

NEWCOMER = TelegramUser(9001, "小明", "王", locale="en")


async def homes(db: Database, telegram_id: int) -> list[str]:
    async with db.reader() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        roles = await uow.people.roles_of(person.id)
    return [r.unit_code for r in roles if r.role == Role.RESIDENT]


async def test_a_join_link_makes_a_newcomer_a_resident_of_the_building(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    joined = await join_unit(JoinUnit(NEWCOMER, "jB3"), ctx)

    assert (joined.unit.code, joined.grid.code, joined.workers) == ("LY1-B3", "LY1", ("张伟",))
    assert joined.previous is None and not joined.unchanged
    assert await homes(db, 9001) == ["LY1-B3"]
    async with db.reader() as uow:
        person = await uow.people.by_telegram_id(9001)
    assert person is not None and (person.name, person.language) == ("小明 王", "en")
    assert menus.published == [(9001, "en", [Role.RESIDENT])]


@pytest.mark.parametrize("token", ["nope", "", "bB3"])
async def test_an_unknown_or_bind_token_joins_nothing(
    db: Database, ctx: Context, menus: RecordingNotices, token: str
) -> None:
    with pytest.raises(UnknownLink):
        await join_unit(JoinUnit(NEWCOMER, token), ctx)
    async with db.reader() as uow:
        assert await uow.people.by_telegram_id(9001) is None
    assert menus.published == []


async def test_joining_a_street_is_refused(db: Database, ctx: Context) -> None:
    with pytest.raises(NotJoinable):
        await join_unit(JoinUnit(NEWCOMER, "jWX"), ctx)


async def test_joining_again_changes_nothing_and_sends_no_new_menu(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    resident = TelegramUser(RESIDENT, "李桂兰")
    joined = await join_unit(JoinUnit(resident, "jB3"), ctx)
    assert joined.unchanged and menus.published == []


async def test_moving_replaces_the_old_residence(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    moved = await move_to_grid(MoveToGrid(TelegramUser(RESIDENT, "李桂兰"), "LY2"), ctx)

    assert moved.previous is not None and moved.previous.code == "LY1"
    assert moved.workers == ("李娜", "许文")
    assert await homes(db, RESIDENT) == ["LY2"]
    assert len(menus.published) == 1


@pytest.mark.parametrize(("code", "error"), [("LY", NotJoinable), ("XX", UnknownLink)])
async def test_the_picker_only_moves_people_into_real_grids(
    db: Database, ctx: Context, code: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await move_to_grid(MoveToGrid(NEWCOMER, code), ctx)


async def test_an_invite_gives_the_staff_member_this_telegram_account(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    invitation = await accept_invite(AcceptInvite(NEWCOMER, INVITE), ctx)

    assert invitation.person.name == "许文" and not invitation.already_accepted
    assert [(r.role, r.unit_name) for r in invitation.roles] == [
        (Role.GRID_WORKER, "临月里第二网格")
    ]
    async with db.reader() as uow:
        person = await uow.people.by_telegram_id(9001)
    assert person is not None and person.name == "许文"
    assert menus.published == [(9001, "en", [Role.GRID_WORKER])]


async def test_a_used_invite_is_refused_for_another_account_and_kept_for_its_own(
    db: Database, ctx: Context
) -> None:
    await accept_invite(AcceptInvite(NEWCOMER, INVITE), ctx)
    with pytest.raises(InviteTaken):
        await accept_invite(AcceptInvite(TelegramUser(9002, "Eve"), INVITE), ctx)
    again = await accept_invite(AcceptInvite(NEWCOMER, INVITE), ctx)
    assert again.already_accepted
    async with db.reader() as uow:
        assert await uow.people.by_telegram_id(9002) is None


async def test_an_unknown_invite_is_refused(db: Database, ctx: Context) -> None:
    with pytest.raises(UnknownLink):
        await accept_invite(AcceptInvite(NEWCOMER, "guess"), ctx)


async def test_an_invite_takes_over_the_residence_of_an_account_that_joined_first(
    db: Database, ctx: Context
) -> None:
    await join_unit(JoinUnit(NEWCOMER, "jLY1"), ctx)
    await accept_invite(AcceptInvite(NEWCOMER, INVITE), ctx)
    assert await homes(db, 9001) == ["LY1"]
    async with db.reader() as uow:
        person = await uow.people.by_telegram_id(9001)
        assert person is not None and person.name == "许文"
        old = await uow.people.named("小明 王")
    assert [p.telegram_id for p in old] == [None]


async def test_a_stranger_choosing_a_language_gets_a_person_without_roles(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    person = await set_language(SetLanguage(NEWCOMER, "zh"), ctx)
    assert person.language == "zh"
    async with db.reader() as uow:
        assert person.id is not None and await uow.people.roles_of(person.id) == []
    assert menus.published == [(9001, "zh", [])]


async def test_a_staff_member_switching_language_gets_their_menu_again(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    person = await set_language(SetLanguage(TelegramUser(OTHER_WORKER, "李娜"), "en"), ctx)
    assert person.name == "李娜"
    assert menus.published == [(OTHER_WORKER, "en", [Role.GRID_WORKER])]
