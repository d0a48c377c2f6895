"""Recording a visit (正常 / 需要帮助, a note, a photo) moves the next one; a visit raises a
case or a micro-wish on the person's grid, in the worker's words, never public."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gridbot.domain.care import VisitOutcome
from gridbot.domain.case import CaseKind, CaseStatus
from gridbot.domain.errors import NotFound, PermissionDenied, ValidationFailed
from gridbot.services.care import StartRaise, StartVisit, start_raise, start_visit
from gridbot.services.reports import NewReport, submit_report

from .conftest import (
    GRANNY,
    GRID,
    LEADER,
    NEIGHBOUR_GRID,
    NEIGHBOUR_WORKER,
    RESIDENT,
    SUPERVISOR,
    WORKER,
    Town,
)

GROUP = -1005003  # a building group of the grid: it must never hear of a care person


async def test_a_visit_is_recorded_and_the_next_one_falls_due_the_interval_later(
    town: Town,
) -> None:
    granny = await town.care_id(GRANNY)
    town.clock.at = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)  # Tuesday 10:30, a day late
    recorded = await town.visit(granny, note="身体不错，冰箱里有菜", photo="photo-1")
    visit = recorded.visit
    assert (visit.outcome, visit.note, visit.photo) == (
        VisitOutcome.NORMAL,
        "身体不错，冰箱里有菜",
        "photo-1",
    )
    assert visit.visitor_id == await town.person_id(WORKER) and visit.at == town.clock.now()
    next_visit = datetime(2026, 3, 17, 1, 0, tzinfo=UTC)
    assert recorded.person.next_visit_at == next_visit
    assert recorded.person.last_visit_at == town.clock.now()
    assert [i.due_at for i in await town.care_items(granny)] == [next_visit]
    card = await town.card(LEADER, granny)
    assert [v.note for v in card.visits] == ["身体不错，冰箱里有菜"] and not card.overdue


async def test_the_grid_leader_may_record_a_visit_too_and_a_needs_help_visit_needs_a_note(
    town: Town,
) -> None:
    granny = await town.care_id(GRANNY)
    with pytest.raises(ValidationFailed) as refused:
        await town.visit(granny, LEADER, "needs_help", "  ")
    assert refused.value.details["code"] == "text_empty"
    with pytest.raises(ValidationFailed):
        await town.visit(granny, LEADER, "fine")
    assert await town.visits(granny) == []
    recorded = await town.visit(granny, LEADER, "needs_help", "屋顶漏雨")
    assert recorded.visit.outcome == VisitOutcome.NEEDS_HELP


@pytest.mark.parametrize("who", [NEIGHBOUR_WORKER, SUPERVISOR, RESIDENT, 1009])
async def test_nobody_else_records_a_visit(town: Town, who: int) -> None:
    granny = await town.care_id(GRANNY)
    with pytest.raises(PermissionDenied):
        await start_visit(StartVisit(await town.actor(who), granny), town.ctx)
    with pytest.raises(PermissionDenied):
        await town.visit(granny, who)
    assert await town.visits(granny) == []
    assert len(await town.care_items(granny)) == 1


async def test_a_case_raised_on_a_visit_is_routed_like_any_report_and_names_nobody(
    town: Town,
) -> None:
    await town.bind_group(GROUP)
    granny = await town.care_id(GRANNY)
    visit = (await town.visit(granny, outcome="needs_help", note="屋顶漏雨")).visit
    assert visit.id is not None
    start = await start_raise(StartRaise(await town.actor(WORKER), visit.id), town.ctx)
    assert "repair" in [c.code for c in start.categories] and start.person.name == GRANNY
    case = await town.raise_case(visit.id, "5号楼顶层一户屋顶漏雨，需尽快维修")
    worker = await town.person_id(WORKER)
    assert (case.kind, case.grid_code, case.category_code) == (CaseKind.ISSUE, GRID, "repair")
    assert case.reporter_id == worker and case.assignee_id == worker  # the grid's worker
    assert case.status == CaseStatus.ASSIGNED and not case.public
    assert case.text == "5号楼顶层一户屋顶漏雨，需尽快维修"
    assert (await town.visits(granny))[0].case_id == case.id
    texts = [t for m in await town.outbox() for t in [m.params.get("text", "")]]
    assert any(case.number in t for t in texts)
    assert all(GRANNY not in t and "13900003001" not in t for t in texts)
    assert await town.outbox(GROUP) == []


async def test_a_text_naming_the_person_or_their_phone_raises_nothing(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    visit = (await town.visit(granny, outcome="needs_help", note="屋顶漏雨")).visit
    assert visit.id is not None
    for text in ("赵桂英家屋顶漏雨", "屋顶漏雨，电话 139-0000-3001"):
        with pytest.raises(ValidationFailed) as refused:
            await town.raise_case(visit.id, text)
        assert refused.value.details["code"] == "care_private"
    with pytest.raises(ValidationFailed):
        await town.raise_case(visit.id, "x" * 1001)
    assert await town.outbox() == [] and (await town.visits(granny))[0].case_id is None


async def test_a_micro_wish_raised_on_a_visit_waits_for_the_secretarys_approval(
    town: Town,
) -> None:
    granny = await town.care_id(GRANNY)
    visit = (await town.visit(granny, note="想要一个助行器")).visit
    assert visit.id is not None
    wish = await town.raise_case(visit.id, "5号楼一位独居老人需要一个助行器", kind=CaseKind.WISH)
    assert (wish.kind, wish.grid_code, wish.status) == (CaseKind.WISH, GRID, CaseStatus.SUBMITTED)
    assert wish.assignee_id == await town.person_id(LEADER) and not wish.public
    assert any(wish.number in t for t in await town.texts(LEADER))
    with pytest.raises(ValidationFailed):
        await town.raise_case(visit.id, "再来一个", kind=CaseKind.HAZARD)


async def test_only_who_may_visit_raises_from_a_visit(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    visit = (await town.visit(granny)).visit
    assert visit.id is not None
    for who in (SUPERVISOR, NEIGHBOUR_WORKER, RESIDENT):
        with pytest.raises(PermissionDenied):
            await town.raise_case(visit.id, "门锁坏了", who=who)
    with pytest.raises(NotFound):
        await town.raise_case(99999, "门锁坏了")
    assert await town.outbox() == []


async def test_staff_file_only_on_a_grid_they_serve(town: Town) -> None:
    """The extension of reports for visits: a staff member files on a grid they hold a
    role on (or above); a resident, or staff of another grid, may not."""
    for who in (WORKER, RESIDENT):
        report = NewReport(
            await town.actor(who), CaseKind.ISSUE, "env", "楼道堆物", grid_code=NEIGHBOUR_GRID
        )
        with pytest.raises(PermissionDenied):
            await submit_report(report, town.ctx)
    leader = NewReport(await town.actor(LEADER), CaseKind.ISSUE, "env", "楼道堆物", grid_code=GRID)
    case = await submit_report(leader, town.ctx)
    assert case.grid_code == GRID and case.reporter_id == await town.person_id(LEADER)
