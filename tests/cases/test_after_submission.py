"""After a report: neighbours with the same problem, adding information, withdrawing,
reading a case and one's own list, and micro-wishes."""

from __future__ import annotations

from datetime import date

import pytest

from gridbot.domain.case import CaseKind, CaseStatus
from gridbot.domain.cases import (
    add_info,
    case_view,
    mark_affected,
    my_cases,
    withdraw,
)
from gridbot.domain.errors import IllegalTransition, NotBound, PermissionDenied, ValidationFailed
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.messaging import DueKind

from .conftest import GROUP, NEIGHBOUR, OTHER_GRID, RESIDENT, SECRETARY, SUPERVISOR, WORKER, Town


async def affected(town: Town, telegram_id: int, case_id: int) -> int:
    async with town.db.uow() as uow:
        count = await mark_affected(uow, town.clock, telegram_id, case_id)
        await uow.commit()
    return count


async def test_same_problem_counts_each_account_once_and_not_the_reporter(town: Town) -> None:
    await town.bind_group()
    case = await town.report(public=True, source_chat_id=GROUP)
    assert case.id is not None
    assert await affected(town, NEIGHBOUR, case.id) == 1
    assert await affected(town, NEIGHBOUR, case.id) == 1
    assert await affected(town, RESIDENT, case.id) == 1
    assert await affected(town, 9002, case.id) == 2  # anyone in the group, even a stranger
    async with town.db.uow() as uow:
        stored = await uow.cases.get(case.id)
    assert stored is not None and stored.affected_count == 2


async def test_same_problem_needs_a_public_open_case(town: Town) -> None:
    private = await town.report()
    assert private.id is not None
    with pytest.raises(PermissionDenied):
        await affected(town, NEIGHBOUR, private.id)
    public = await town.report(public=True, source_chat_id=GROUP)
    assert public.id is not None
    await withdraw_case(town, RESIDENT, public.id)
    with pytest.raises(IllegalTransition):
        await affected(town, NEIGHBOUR, public.id)


async def withdraw_case(town: Town, telegram_id: int, case_id: int) -> None:
    async with town.db.uow() as uow:
        await withdraw(uow, town.clock, town.notifier, telegram_id, case_id)
        await uow.commit()


async def test_only_the_reporter_withdraws_and_only_while_the_case_is_open(town: Town) -> None:
    await town.bind_group()
    case = await town.report(public=True, source_chat_id=GROUP)
    assert case.id is not None
    with pytest.raises(PermissionDenied):
        await withdraw_case(town, NEIGHBOUR, case.id)
    with pytest.raises(PermissionDenied):
        await withdraw_case(town, WORKER, case.id)
    await withdraw_case(town, RESIDENT, case.id)
    async with town.db.uow() as uow:
        stored = await uow.cases.get(case.id)
        events = await uow.cases.events(case.id)
    assert stored is not None and stored.status == CaseStatus.CANCELLED
    assert events[-1].action == "cancel"
    assert await town.due_items() == []  # its deadlines no longer remind anyone
    assert "已撤回" in (await town.texts(WORKER))[-1]
    assert "已撤回" in (await town.texts(GROUP))[-1]
    assert len(await town.outbox(RESIDENT)) == 1  # only the confirmation: they did it
    with pytest.raises(IllegalTransition):
        await withdraw_case(town, RESIDENT, case.id)


async def test_added_information_reaches_the_handler(town: Town) -> None:
    case = await town.report()
    assert case.id is not None
    async with town.db.uow() as uow:
        await add_info(
            uow, town.clock, town.notifier, RESIDENT, case.id, " 今天又多了两袋 ", ["p9"]
        )
        await uow.commit()
    [_, note] = await town.outbox(WORKER)
    assert note.method == "sendPhoto" and note.params["photo"] == "p9"
    assert "今天又多了两袋" in note.params["caption"] and case.number in note.params["caption"]
    async with town.db.uow() as uow:
        events = await uow.cases.events(case.id)
        with pytest.raises(PermissionDenied):
            await add_info(uow, town.clock, town.notifier, NEIGHBOUR, case.id, "我也是")
        with pytest.raises(ValidationFailed):
            await add_info(uow, town.clock, town.notifier, RESIDENT, case.id, "  ")
    assert (events[-1].action, events[-1].note, events[-1].attachments) == (
        "add_info",
        "今天又多了两袋",
        ("p9",),
    )


async def test_a_case_is_shown_to_its_reporter_handler_and_supervisor_only(town: Town) -> None:
    case = await town.report()
    assert case.id is not None
    async with town.db.uow() as uow:
        mine = await case_view(uow, RESIDENT, case.number)
        handler = await case_view(uow, WORKER, case.id)
        supervisor = await case_view(uow, SUPERVISOR, case.id)
        with pytest.raises(PermissionDenied):
            await case_view(uow, OTHER_GRID, case.id)
        with pytest.raises(PermissionDenied):
            await case_view(uow, NEIGHBOUR, case.id)  # a private case of the same grid
        with pytest.raises(NotBound):
            await case_view(uow, 9002, case.id)
    assert [e.action for e in mine.events] == ["submit", "assign"] and mine.is_reporter
    assert CaseAction.CANCEL in mine.actions and CaseAction.ACCEPT not in mine.actions
    assert mine.category is not None and mine.category.code == "env"
    assert mine.reporter_phone is None and "张伟" in mine.names.values()
    assert handler.reporter_phone == "13900002001" and CaseAction.ACCEPT in handler.actions
    assert supervisor.reporter_phone is None


async def test_a_neighbour_sees_a_public_case_without_who_reported_it(town: Town) -> None:
    case = await town.report(public=True, source_chat_id=GROUP)
    async with town.db.uow() as uow:
        view = await case_view(uow, NEIGHBOUR, case.number)
    assert "李桂兰" not in view.names.values() and view.reporter_phone is None
    assert view.actions == ()


async def test_my_cases_lists_issues_hazards_and_wishes_newest_first(town: Town) -> None:
    first = await town.report()
    town.clock.advance(minutes=1)
    second = await town.report(kind=CaseKind.HAZARD, category_code="safety", text="电线裸露")
    town.clock.advance(minutes=1)
    wish = await town.wish()
    async with town.db.uow() as uow:
        found = await my_cases(uow, RESIDENT)
        assert await my_cases(uow, NEIGHBOUR) == []
    assert [c.number for c in found] == [wish.number, second.number, first.number]


async def test_a_wish_goes_to_the_grids_branch_secretary_with_approve_and_reject(
    town: Town,
) -> None:
    wish = await town.wish(wanted_by=date(2026, 3, 20))
    secretary = await town.person(SECRETARY)
    assert wish.kind == CaseKind.WISH and wish.status == CaseStatus.SUBMITTED
    assert wish.assignee_id == secretary.id and wish.category_code == "wish"
    assert wish.wanted_by is not None and wish.wanted_by.isoformat() == "2026-03-20T15:59:59+00:00"
    [card] = await town.outbox(SECRETARY)
    assert "轮椅" in card.params["text"] and "2026-03-20" in card.params["text"]
    assert [
        [b["callback_data"] for b in row] for row in card.params["reply_markup"]["inline_keyboard"]
    ] == [[f"c:approve:{wish.id}", f"c:reject:{wish.id}"]]
    [confirmation] = await town.outbox(RESIDENT)
    assert wish.number in confirmation.params["text"] and "微心愿" in confirmation.params["text"]
    assert [d.kind for d in await town.due_items()] == [DueKind.RESPOND_DEADLINE]
    with pytest.raises(ValidationFailed):
        await town.wish(wanted_by=date(2026, 3, 1))
