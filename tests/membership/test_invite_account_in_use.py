"""An org file's invite never takes a Telegram account off someone who has work here
(issue 11: a grid worker opening another person's invite became that person, and their
open cases were left with nobody)."""

from __future__ import annotations

import pytest

from gridbot.domain.case import Case, CaseKind, CaseStatus
from gridbot.domain.errors import AccountInUse
from gridbot.domain.org import Category, Role
from gridbot.services.context import Context
from gridbot.services.membership import (
    AcceptInvite,
    JoinUnit,
    TelegramUser,
    accept_invite,
    join_unit,
)
from gridbot.storage.database import Database

from .conftest import INVITE, T0, WORKER, RecordingNotices

NEWCOMER = TelegramUser(9001, "小明", "王", locale="en")


async def _cases_for(db: Database, assignee: str | None, reporter: str | None, n: int) -> None:
    async with db.uow() as uow:
        await uow.categories.save(Category(code="env", name="环境卫生"))
        ids = {}
        for name in {assignee, reporter} - {None}:
            [person] = await uow.people.named(name)  # type: ignore[arg-type]
            ids[name] = person.id
        for i in range(n):
            await uow.cases.add(
                Case(
                    number=f"2026-00010{i}",
                    kind=CaseKind.ISSUE,
                    category_code="env",
                    text="路灯坏了",
                    reporter_id=ids.get(reporter) if reporter else None,
                    grid_code="LY1",
                    unit_code="LY1",
                    created_at=T0,
                    status=CaseStatus.ASSIGNED if assignee else CaseStatus.SUBMITTED,
                    assignee_id=ids.get(assignee) if assignee else None,
                )
            )
        await uow.commit()


async def _owner(db: Database, telegram_id: int) -> str | None:
    async with db.reader() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
    return person.name if person else None


async def test_a_worker_with_open_cases_opening_another_persons_invite_is_refused(
    db: Database, ctx: Context, menus: RecordingNotices
) -> None:
    await _cases_for(db, assignee="张伟", reporter=None, n=5)

    with pytest.raises(AccountInUse) as refused:
        await accept_invite(AcceptInvite(TelegramUser(WORKER, "张伟"), INVITE), ctx)

    assert refused.value.details["name"] == "张伟"
    assert refused.value.details["open_cases"] == 5
    assert await _owner(db, WORKER) == "张伟"
    async with db.reader() as uow:
        [worker] = await uow.people.named("张伟")
        [invited] = await uow.people.named("许文")
        load = await uow.cases.open_load([worker.id or 0], T0)
        roles = await uow.people.roles_of(worker.id or 0)
    assert invited.telegram_id is None and invited.invite_code == INVITE
    assert load[worker.id or 0].open == 5
    assert [(r.role, r.unit_code) for r in roles] == [(Role.GRID_WORKER, "LY1")]
    assert menus.published == []


async def test_a_staff_member_without_cases_is_refused_too(db: Database, ctx: Context) -> None:
    with pytest.raises(AccountInUse):
        await accept_invite(AcceptInvite(TelegramUser(WORKER, "张伟"), INVITE), ctx)
    assert await _owner(db, WORKER) == "张伟"


async def test_a_resident_who_reported_a_case_is_refused(db: Database, ctx: Context) -> None:
    await join_unit(JoinUnit(NEWCOMER, "jLY1"), ctx)
    await _cases_for(db, assignee=None, reporter="小明 王", n=1)

    with pytest.raises(AccountInUse):
        await accept_invite(AcceptInvite(NEWCOMER, INVITE), ctx)
    assert await _owner(db, 9001) == "小明 王"


async def test_the_invited_person_may_still_accept_from_their_own_account(
    db: Database, ctx: Context
) -> None:
    with pytest.raises(AccountInUse):
        await accept_invite(AcceptInvite(TelegramUser(WORKER, "张伟"), INVITE), ctx)
    invitation = await accept_invite(AcceptInvite(NEWCOMER, INVITE), ctx)
    assert invitation.person.name == "许文" and await _owner(db, 9001) == "许文"
