"""/overdue: a unit's overdue cases, the longest overdue first, by the deadline that matters
now; 督办 from the list urges the holder once in two hours per person, only while the case
is overdue; only the unit's supervisors and (for a grid) its leaders may read or urge."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus
from gridbot.domain.errors import (
    NoAssignee,
    NotBound,
    NotOverdue,
    PermissionDenied,
    UnknownUnit,
    UrgedRecently,
)
from gridbot.services.overdue import (
    PAGE_SIZE,
    OverdueBoard,
    OverdueOf,
    UrgedOverdue,
    UrgeOverdue,
    overdue_cases,
    urge_overdue,
)
from gridbot.services.workflow import (
    AcceptCase,
    ResolveCase,
    UrgeCase,
    accept_case,
    resolve_case,
    urge_case,
)

from .conftest import LEADER, RESIDENT, SUPERVISOR, WORKER, Desk

NEIGHBOUR_LEADER = 1004  # 刘洋, grid leader of 临月里第二网格
DISTRICT_SUPERVISOR = 1023  # 唐海, supervisor of 东丽区
COMMUNITY_SECRETARY = 1009  # 周建国, branch secretary of 临月里社区
URGED = "督办：事项"


async def board(desk: Desk, who: int, unit: str | None = None, page: int = 0) -> OverdueBoard:
    result: OverdueBoard = await desk.run(overdue_cases, OverdueOf, who, unit, page)
    return result


async def urge(desk: Desk, who: int, case: Case, unit: str | None = None) -> UrgedOverdue:
    assert case.id is not None
    result: UrgedOverdue = await desk.run(urge_overdue, UrgeOverdue, who, case.id, unit)
    return result


async def seed(desk: Desk, count: int, **fields: Any) -> list[Case]:
    """Cases stored directly on 临月里第一网格, held by the worker, the first the longest
    overdue, each next one an hour less."""
    worker = await desk.person_id(WORKER)
    made = []
    async with desk.db.uow() as uow:
        for index in range(count):
            at = desk.clock.now() - timedelta(days=2)
            values: dict[str, Any] = {
                "kind": CaseKind.ISSUE,
                "category_code": "env",
                "text": f"第{index + 1}件事",
                "reporter_id": None,
                "grid_code": "DL-WX-LY-01",
                "unit_code": "DL-WX-LY-01",
                "created_at": at,
                "status": CaseStatus.ASSIGNED,
                "assignee_id": worker,
                "respond_by": at + timedelta(hours=index + 1),
                "resolve_by": at + timedelta(days=5),
                **fields,
            }
            case = await uow.cases.add(Case(number=await uow.cases.next_number(2026), **values))
            assert case.id is not None
            await uow.cases.add_event(
                CaseEvent(case.id, "submit", None, at, None, CaseStatus.SUBMITTED)
            )
            made.append(case)
        await uow.commit()
    return made


async def test_the_longest_overdue_come_first_by_the_deadline_that_matters_now(
    desk: Desk,
) -> None:
    waiting = await desk.report()  # env: accept within 2 h
    handled = await desk.report(category="safety", text="楼道堆放电动车电池")
    await desk.run(accept_case, AcceptCase, WORKER, handled.id)  # resolve by tomorrow night
    desk.clock.advance(hours=3)
    later = await desk.report(text="5号楼门口垃圾没人清")  # accept within 2 h, 3 h later
    in_time = await desk.report(category="other", text="其他问题")
    await desk.run(accept_case, AcceptCase, WORKER, in_time.id)  # its response is past: moot
    await desk.wish()  # a micro-wish has no deadline to miss
    done = await desk.report(text="已解决的问题")
    await desk.run(accept_case, AcceptCase, WORKER, done.id)
    await desk.run(resolve_case, ResolveCase, WORKER, done.id, "好了")
    desk.clock.advance(days=2)
    now = desk.clock.now()

    found = await board(desk, SUPERVISOR)

    assert found.unit.code == "DL-WX" and found.total == 3 and found.pages == 1
    numbers = [entry.case.number for entry in found.entries]
    assert numbers == [waiting.number, later.number, handled.number]
    handled = await desk.case(handled.id)
    assert waiting.respond_by and later.respond_by and handled.resolve_by
    lates = [entry.late for entry in found.entries]
    assert lates == [now - waiting.respond_by, now - later.respond_by, now - handled.resolve_by]
    first = found.entries[0]
    assert first.assignee == "张伟" and first.grid_name == "临月里第一网格"
    assert first.category is not None and first.category.name == "环境卫生"
    assert first.urges == 0 and first.may_urge
    assert found.others == ()


async def test_a_page_at_a_time_and_a_page_past_the_end_shows_the_last(desk: Desk) -> None:
    cases = await seed(desk, PAGE_SIZE + 2)

    first = await board(desk, LEADER)
    second = await board(desk, LEADER, None, 1)
    beyond = await board(desk, LEADER, None, 7)

    assert (first.total, first.pages, first.page) == (PAGE_SIZE + 2, 2, 0)
    assert [e.case.number for e in first.entries] == [c.number for c in cases[:PAGE_SIZE]]
    assert [e.case.number for e in second.entries] == [c.number for c in cases[PAGE_SIZE:]]
    assert beyond.page == 1 and beyond.entries == second.entries


async def test_nothing_overdue_is_an_empty_board(desk: Desk) -> None:
    await desk.report()  # due in 2 h

    found = await board(desk, LEADER)

    assert found.unit.code == "DL-WX-LY-01" and found.entries == () and found.total == 0


async def test_each_reads_only_the_units_they_supervise_or_lead(desk: Desk) -> None:
    mine = await desk.report()
    desk.clock.advance(hours=3)

    assert [e.case.number for e in (await board(desk, LEADER)).entries] == [mine.number]
    assert (await board(desk, NEIGHBOUR_LEADER)).entries == ()
    assert (await board(desk, NEIGHBOUR_LEADER)).unit.code == "DL-WX-LY-02"
    assert (await board(desk, SUPERVISOR, "DL-WX-LY-02")).entries == ()
    grid = await board(desk, SUPERVISOR, "dl-wx-ly-01-b03")  # a building: its grid
    assert grid.unit.code == "DL-WX-LY-01" and grid.total == 1
    assert (await board(desk, DISTRICT_SUPERVISOR)).unit.code == "DL"
    assert (await board(desk, COMMUNITY_SECRETARY)).unit.code == "DL-WX-LY"

    for who, unit in (
        (LEADER, "DL-WX-LY-02"),
        (LEADER, "DL-WX-LY"),
        (SUPERVISOR, "DL"),
        (NEIGHBOUR_LEADER, "DL-WX-LY-01"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            await board(desk, who, unit)
        assert refused.value.details["action"] == "view_overdue"
    with pytest.raises(UnknownUnit):
        await board(desk, SUPERVISOR, "NO-SUCH-UNIT")


async def test_anyone_else_is_refused_before_anything_is_read(desk: Desk) -> None:
    await desk.report()
    desk.clock.advance(hours=3)

    def unreadable() -> Any:
        raise AssertionError("nothing may be read for someone refused")

    desk.ctx = type(desk.ctx)(unreadable, unreadable, desk.clock, desk.ctx.tz, desk.ctx.notices)
    for who in (RESIDENT, WORKER):
        for unit in (None, "DL-WX-LY-01", "NO-SUCH-UNIT"):
            with pytest.raises(PermissionDenied) as refused:
                await board(desk, who, unit)
            assert refused.value.details["action"] == "view_overdue"
    with pytest.raises(NotBound):
        await board(desk, 777)


async def test_urging_tells_the_holder_records_the_event_and_counts_it(desk: Desk) -> None:
    case = await desk.report()
    desk.clock.advance(hours=3)
    before = len(await desk.texts(WORKER))

    urged = await urge(desk, SUPERVISOR, case)

    assert urged.case.number == case.number
    assert (await desk.actions(case.id))[-1] == "urge"
    last = (await desk.events(case.id))[-1]
    assert last.actor_id == await desk.person_id(SUPERVISOR) and last.at == desk.clock.now()
    told = (await desk.texts(WORKER))[before:]
    assert len(told) == 1 and URGED in told[0] and "宋涛" in told[0]
    assert [e.urges for e in urged.board.entries] == [1]
    assert (await desk.case(case.id)).status == CaseStatus.ASSIGNED  # urging moves nothing


async def test_a_second_urge_within_two_hours_is_refused_and_changes_nothing(
    desk: Desk,
) -> None:
    case = await desk.report()
    desk.clock.advance(hours=3)
    await urge(desk, SUPERVISOR, case)
    desk.clock.advance(minutes=90)
    before = await desk.snapshot(case.id)

    with pytest.raises(UrgedRecently) as refused:
        await urge(desk, SUPERVISOR, case)

    assert refused.value.details == {"number": case.number, "hours": 2, "minutes": 30}
    assert await desk.snapshot(case.id) == before
    # The same press through the case card is the same urge, and refused the same way.
    with pytest.raises(UrgedRecently):
        await desk.run(urge_case, UrgeCase, SUPERVISOR, case.id)
    assert await desk.snapshot(case.id) == before
    # Another person may urge it; the first again once two hours have passed.
    await urge(desk, LEADER, case)
    desk.clock.advance(minutes=30)
    again = await urge(desk, SUPERVISOR, case)
    assert [e.urges for e in again.board.entries] == [3]


async def test_a_case_no_longer_overdue_is_not_urged(desk: Desk) -> None:
    accepted = await desk.report()
    resolved = await desk.report(text="5号楼门口垃圾没人清")
    desk.clock.advance(hours=3)
    await desk.run(accept_case, AcceptCase, WORKER, accepted.id)  # now due to resolve later
    await desk.run(accept_case, AcceptCase, WORKER, resolved.id)
    await desk.run(resolve_case, ResolveCase, WORKER, resolved.id, "已清理")

    for case in (accepted, resolved):
        before = await desk.snapshot(case.id)
        with pytest.raises(NotOverdue) as refused:
            await urge(desk, SUPERVISOR, case)
        assert refused.value.details["number"] == case.number
        assert await desk.snapshot(case.id) == before


async def test_a_case_nobody_holds_offers_no_urge_and_a_forged_one_is_refused(
    desk: Desk,
) -> None:
    (case,) = await seed(desk, 1, assignee_id=None, status=CaseStatus.SUBMITTED)

    (entry,) = (await board(desk, SUPERVISOR)).entries
    assert entry.assignee is None and not entry.may_urge
    before = await desk.snapshot(case.id)
    with pytest.raises(NoAssignee):
        await urge(desk, SUPERVISOR, case)
    assert await desk.snapshot(case.id) == before


async def test_a_forged_urge_outside_ones_units_is_refused_and_changes_nothing(
    desk: Desk,
) -> None:
    case = await desk.report()
    desk.clock.advance(hours=3)
    before = await desk.snapshot(case.id)

    for who, unit in (
        (NEIGHBOUR_LEADER, None),  # their own list, someone else's case
        (NEIGHBOUR_LEADER, "DL-WX-LY-01"),  # someone else's list
        (LEADER, "DL-WX-LY-02"),  # their own case, on a list they may not read
        (RESIDENT, None),
        (WORKER, None),
    ):
        with pytest.raises(PermissionDenied):
            await urge(desk, who, case, unit)
    assert await desk.snapshot(case.id) == before
