"""回访: a closed case's follow-up visit falls due for whoever resolved it; not done, they
are reminded once, then the grid leader is told; 问题反复 reopens the case (重办)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.case import Case, CaseStatus, FollowUpOutcome, RatingValue
from gridbot.domain.errors import NoFollowUpDue, PermissionDenied, ValidationFailed
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.feedback import RecordFollowUp, record_follow_up

from .conftest import LEADER, NEIGHBOUR_WORKER, RESIDENT, WORKER, Desk

S, OUT = CaseStatus, FollowUpOutcome


async def closed(desk: Desk) -> Case:
    case = await desk.resolved(note="已清理完毕")
    return await desk.rate(RESIDENT, case.id, RatingValue.SATISFIED)


async def visit(
    desk: Desk, case: Case, outcome: FollowUpOutcome, note: str | None, who: int = WORKER
) -> Case:
    assert case.id is not None
    command = RecordFollowUp(await desk.actor(who), case.id, outcome, note, ("visit-photo",))
    return await record_follow_up(command, desk.ctx)


async def visits(desk: Desk, case: Case) -> list[tuple[str | None, str | None, bool]]:
    assert case.id is not None
    async with desk.db.reader() as uow:
        return [
            (v.outcome.value if v.outcome else None, v.note, v.done_at is not None)
            for v in await uow.cases.visits(case.id)
        ]


async def test_a_due_visit_is_told_then_reminded_then_the_leader_hears(desk: Desk) -> None:
    case = await closed(desk)
    assert case.closed_at is not None
    before = len(await desk.texts(WORKER)), len(await desk.texts(LEADER))

    desk.clock.at = case.closed_at + timedelta(days=3)  # env: follow_up_days 3
    assert await desk.tick() == 1
    told = (await desk.outbox(WORKER))[-1]
    assert f"回访提醒：事项 {case.number}" in told.params["text"]
    assert "李桂兰" in told.params["text"]  # whom to visit, in the visitor's private chat
    labels = [b["text"] for row in told.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["回访正常", "问题反复"]

    desk.clock.advance(days=1)
    assert await desk.tick() == 1
    assert f"提醒：事项 {case.number} 的回访已逾期" in (await desk.texts(WORKER))[-1]
    desk.clock.advance(days=1)
    assert await desk.tick() == 1
    late = (await desk.texts(LEADER))[-1]
    assert f"回访逾期：事项 {case.number}" in late and "张伟" in late

    desk.clock.advance(days=3)
    assert await desk.tick() == 0  # that was the last of it
    after = len(await desk.texts(WORKER)), len(await desk.texts(LEADER))
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)
    actions = [a for a in await desk.actions(case.id) if a.startswith("follow_up")]
    assert actions == ["follow_up_due", "follow_up_due", "follow_up_late"]


async def test_no_recurrence_is_recorded_and_ends_the_reminders(desk: Desk) -> None:
    case = await closed(desk)
    desk.clock.advance(days=3)

    after = await visit(desk, case, OUT.NO_RECURRENCE, "居民反映已经干净了")

    assert after.status == S.CLOSED and after.reopen_count == 0
    assert await visits(desk, case) == [("no_recurrence", "居民反映已经干净了", True)]
    events = await desk.events(case.id)
    assert events[-1].action == "follow_up_ok" and events[-1].attachments == ("visit-photo",)
    desk.clock.advance(days=5)
    texts = len(await desk.texts(WORKER))
    await desk.tick()
    assert len(await desk.texts(WORKER)) == texts  # the due item found the visit done


async def test_a_recurrence_reopens_the_case_to_its_handler(desk: Desk) -> None:
    case = await closed(desk)
    desk.clock.advance(days=3)
    leader_before = len(await desk.texts(LEADER))

    after = await visit(desk, case, OUT.RECURRED, "又堆满了")

    assert after.status == S.IN_PROGRESS and after.reopen_count == 1
    assert after.closed_at is None and after.resolve_by is not None
    assert [i.kind for i in await desk.due()] == [DueKind.RESOLVE_DEADLINE]
    assert await visits(desk, case) == [("recurred", "又堆满了", True)]
    # Back in the hands of the worker who found it (their own answer tells them so).
    assert after.assignee_id == await desk.person_id(WORKER)
    assert "重新办理" in (await desk.texts(RESIDENT))[-1]
    lines = (await desk.texts(LEADER))[leader_before:]
    assert lines == [f"📌 事项 {case.number}（环境卫生）：回访发现问题反复，已重办。"]


async def test_a_visit_is_recorded_once_by_whoever_handles_the_case(desk: Desk) -> None:
    case = await closed(desk)
    with pytest.raises(PermissionDenied):
        await visit(desk, case, OUT.NO_RECURRENCE, "冒充回访", who=NEIGHBOUR_WORKER)
    with pytest.raises(ValidationFailed):
        await visit(desk, case, OUT.NO_RECURRENCE, "   ")
    await visit(desk, case, OUT.NO_RECURRENCE, "已回访")
    before = await desk.snapshot(case.id)

    with pytest.raises(NoFollowUpDue):
        await visit(desk, case, OUT.RECURRED, "再来一次")

    assert await desk.snapshot(case.id) == before


async def test_a_resolved_case_has_no_visit_before_it_closes(desk: Desk) -> None:
    case = await desk.resolved()
    with pytest.raises(NoFollowUpDue):
        await visit(desk, case, OUT.NO_RECURRENCE, "提前回访")
    assert await desk.due(DueKind.FOLLOW_UP) == []


async def closed_before_visits(desk: Desk) -> Case:
    """A case closed as a database from before this release holds it: no visit, no poll."""
    case = await desk.resolved()
    async with desk.db.uow() as uow:
        await uow.due.cancel(DueKind.RATING_POLL, case.number)
        case.status, case.closed_at = S.CLOSED, desk.clock.now()
        await uow.cases.update(case)
        await uow.commit()
    return case


async def test_follow_ups_scheduled_before_visits_existed_do_not_burst(desk: Desk) -> None:
    old, fresh = await closed_before_visits(desk), await closed_before_visits(desk)
    waiting = await desk.resolved()
    visitor = await desk.person_id(WORKER)
    now = desk.clock.now()
    async with desk.db.uow() as uow:  # as resolve_case scheduled them before this release
        for case, due in ((old, now - timedelta(days=20)), (fresh, now), (waiting, now)):
            payload = {"visitor_id": visitor}
            await uow.due.add(DueItem(DueKind.FOLLOW_UP, due, case.number, payload))
        await uow.commit()
    before = len(await desk.texts(WORKER))

    assert await desk.tick() == 3  # the fresh one's visit is told at once

    told = (await desk.texts(WORKER))[before:]
    assert len(told) == 1 and f"事项 {fresh.number}" in told[0]
    # The stale one is recorded as due then, overdue, without a message (/visits and the
    # morning brief list it); the one not closed yet gets its visit when it closes.
    assert await visits(desk, old) == [(None, None, False)]
    assert await visits(desk, waiting) == []
    assert await desk.tick() == 0
