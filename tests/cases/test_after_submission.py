"""After a report: neighbours with the same problem, adding information, withdrawing,
reading a case and one's own list, and micro-wishes."""

from __future__ import annotations

from datetime import date

import pytest

from gridbot.domain.case import CaseKind, CaseStatus
from gridbot.domain.errors import (
    IllegalTransition,
    NotBound,
    NotResidentHere,
    PermissionDenied,
    ValidationFailed,
)
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.messaging import DueKind
from gridbot.services.cases import (
    AddInfo,
    CaseView,
    MarkAffected,
    MyCases,
    ViewCase,
    Withdraw,
    add_info,
    case_view,
    mark_affected,
    my_cases,
    withdraw,
)

from .conftest import GROUP, NEIGHBOUR, OTHER_GRID, RESIDENT, SECRETARY, SUPERVISOR, WORKER, Town


async def affected(town: Town, telegram_id: int, case_id: int) -> int:
    return (await mark_affected(MarkAffected(telegram_id, case_id), town.ctx)).count


async def test_same_problem_counts_each_account_once_and_not_the_reporter(town: Town) -> None:
    await town.bind_group()
    case = await town.report(public=True, source_chat_id=GROUP)
    assert case.id is not None
    assert await affected(town, NEIGHBOUR, case.id) == 1
    assert await affected(town, NEIGHBOUR, case.id) == 1
    assert await affected(town, RESIDENT, case.id) == 1
    async with town.db.reader() as uow:
        stored = await uow.cases.get(case.id)
    assert stored is not None and stored.affected_count == 1


@pytest.mark.parametrize("stranger", [9002, OTHER_GRID, WORKER], ids=["unknown", "other", "staff"])
async def test_same_problem_counts_only_residents_of_the_grid(town: Town, stranger: int) -> None:
    await town.bind_group()
    case = await town.report(public=True, source_chat_id=GROUP)
    assert case.id is not None
    with pytest.raises(NotResidentHere):
        await affected(town, stranger, case.id)
    async with town.db.reader() as uow:
        stored = await uow.cases.get(case.id)
    assert stored is not None and stored.affected_count == 0


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
    await withdraw(Withdraw(await town.actor(telegram_id), case_id), town.ctx)


async def test_only_the_reporter_withdraws_and_only_while_the_case_is_open(town: Town) -> None:
    await town.bind_group()
    case = await town.report(public=True, source_chat_id=GROUP)
    assert case.id is not None
    with pytest.raises(PermissionDenied):
        await withdraw_case(town, NEIGHBOUR, case.id)
    with pytest.raises(PermissionDenied):
        await withdraw_case(town, WORKER, case.id)
    await withdraw_case(town, RESIDENT, case.id)
    async with town.db.reader() as uow:
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
    resident, neighbour = await town.actor(RESIDENT), await town.actor(NEIGHBOUR)
    await add_info(AddInfo(resident, case.id, " 今天又多了两袋 ", ("p9",)), town.ctx)
    [_, note] = await town.outbox(WORKER)
    assert note.method == "sendPhoto" and note.params["photo"] == "p9"
    assert "今天又多了两袋" in note.params["caption"] and case.number in note.params["caption"]
    events = await town.events(case.id)
    with pytest.raises(PermissionDenied):
        await add_info(AddInfo(neighbour, case.id, "我也是"), town.ctx)
    with pytest.raises(ValidationFailed):
        await add_info(AddInfo(resident, case.id, "  "), town.ctx)
    assert (events[-1].action, events[-1].note, events[-1].attachments) == (
        "add_info",
        "今天又多了两袋",
        ("p9",),
    )


async def view(town: Town, telegram_id: int, ref: int | str | None) -> CaseView:
    assert ref is not None
    return await case_view(ViewCase(await town.actor(telegram_id), ref), town.ctx)


async def test_a_case_is_shown_to_its_reporter_handler_and_supervisor_only(town: Town) -> None:
    case = await town.report()
    assert case.id is not None
    mine = await view(town, RESIDENT, case.number)
    handler = await view(town, WORKER, case.id)
    supervisor = await view(town, SUPERVISOR, case.id)
    with pytest.raises(PermissionDenied):
        await view(town, OTHER_GRID, case.id)
    with pytest.raises(PermissionDenied):
        await view(town, NEIGHBOUR, case.id)  # a private case of the same grid
    with pytest.raises(NotBound):
        await view(town, 9002, case.id)
    assert [e.action for e in mine.events] == ["submit", "assign"] and mine.is_reporter
    assert CaseAction.CANCEL in mine.actions and CaseAction.ACCEPT not in mine.actions
    assert mine.category is not None and mine.category.code == "env"
    assert mine.reporter_phone is None and "张伟" in mine.names.values()
    assert handler.reporter_phone == "13900002001" and CaseAction.ACCEPT in handler.actions
    assert supervisor.reporter_phone is None


async def test_a_neighbour_sees_a_public_case_without_who_reported_it(town: Town) -> None:
    case = await town.report(public=True, source_chat_id=GROUP)
    seen = await view(town, NEIGHBOUR, case.number)
    assert "李桂兰" not in seen.names.values() and seen.reporter_phone is None
    assert seen.actions == ()


async def test_my_cases_lists_issues_hazards_and_wishes_newest_first(town: Town) -> None:
    first = await town.report()
    town.clock.advance(minutes=1)
    second = await town.report(kind=CaseKind.HAZARD, category_code="safety", text="电线裸露")
    town.clock.advance(minutes=1)
    wish = await town.wish()
    found = await my_cases(MyCases(await town.actor(RESIDENT)), town.ctx)
    assert (await my_cases(MyCases(await town.actor(NEIGHBOUR)), town.ctx)).cases == ()
    assert [c.number for c in found.cases] == [wish.number, second.number, first.number]


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
