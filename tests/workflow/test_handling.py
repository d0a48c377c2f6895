"""接单, 进展, 办结: the assignee's own work on a case, and what each step leaves behind."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from gridbot.domain.case import CaseStatus
from gridbot.domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from gridbot.domain.messaging import DueKind
from gridbot.services.workflow import (
    AcceptCase,
    AddProgress,
    ResolveCase,
    accept_case,
    add_progress,
    resolve_case,
)

from .conftest import LEADER, NEIGHBOUR_WORKER, RESIDENT, WORKER, Desk

ACCEPTED = "您的事项 {number} 已被接单"


async def test_the_assignee_accepts_and_the_response_reminders_stop(desk: Desk) -> None:
    case = await desk.report()
    assert [i.kind for i in await desk.due()] == [
        DueKind.RESPOND_DEADLINE,
        DueKind.RESOLVE_DEADLINE,
    ]
    desk.clock.advance(minutes=20)

    accepted = await desk.run(accept_case, AcceptCase, WORKER, case.id)

    assert accepted.status == CaseStatus.IN_PROGRESS
    stored = await desk.case(case.id)
    assert stored.status == CaseStatus.IN_PROGRESS
    assert stored.accepted_at == desk.clock.now()
    last = (await desk.events(case.id))[-1]
    assert (last.action, last.actor_id) == ("accept", await desk.person_id(WORKER))
    assert [i.kind for i in await desk.due()] == [DueKind.RESOLVE_DEADLINE]
    assert ACCEPTED.format(number=case.number) in (await desk.texts(RESIDENT))[-1]


async def test_a_double_tap_on_accept_is_refused_the_second_time_and_changes_nothing(
    desk: Desk,
) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    before = await desk.snapshot(case.id)

    with pytest.raises(IllegalTransition):
        await desk.run(accept_case, AcceptCase, WORKER, case.id)

    assert await desk.snapshot(case.id) == before


async def test_a_worker_of_another_grid_may_not_accept_and_nothing_changes(desk: Desk) -> None:
    case = await desk.report()
    before = await desk.snapshot(case.id)

    with pytest.raises(PermissionDenied):
        await desk.run(accept_case, AcceptCase, NEIGHBOUR_WORKER, case.id)

    assert await desk.snapshot(case.id) == before


async def test_progress_is_recorded_with_its_photos_and_the_reporter_hears(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    sent = len(await desk.texts(RESIDENT))

    await desk.run(add_progress, AddProgress, WORKER, case.id, "已联系物业清运", ("ph1",))

    last = (await desk.events(case.id))[-1]
    assert (last.action, last.note, last.attachments) == ("progress", "已联系物业清运", ("ph1",))
    texts = await desk.texts(RESIDENT)
    assert len(texts) == sent + 1 and "已联系物业清运" in texts[-1]


async def test_progress_on_a_case_nobody_accepted_is_refused(desk: Desk) -> None:
    case = await desk.report()
    before = await desk.snapshot(case.id)

    with pytest.raises(IllegalTransition):
        await desk.run(add_progress, AddProgress, WORKER, case.id, "在路上")

    assert await desk.snapshot(case.id) == before


async def test_an_empty_progress_note_is_refused(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    before = await desk.snapshot(case.id)

    with pytest.raises(ValidationFailed):
        await desk.run(add_progress, AddProgress, WORKER, case.id, "   ")

    assert await desk.snapshot(case.id) == before


async def test_resolving_asks_the_reporter_to_rate_and_drops_the_resolve_deadline(
    desk: Desk,
) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    desk.clock.advance(hours=3)

    await desk.run(resolve_case, ResolveCase, WORKER, case.id, "已清理完毕", ("after",))

    stored = await desk.case(case.id)
    assert stored.status == CaseStatus.RESOLVED and stored.resolved_at == desk.clock.now()
    (poll,) = await desk.due()  # the follow-up visit comes when the case closes
    assert poll.kind == DueKind.RATING_POLL and poll.ref == case.number
    assert poll.due_at == desk.clock.now() + timedelta(hours=24)
    assert poll.payload == {"step": 1, "resolved_at": desk.clock.now().isoformat()}
    # The handler's note and photo, with the three ratings.
    resident = (await desk.outbox(RESIDENT))[-1]
    assert resident.method == "sendPhoto" and resident.params["photo"] == "after"
    assert f"{case.number} 已办结" in resident.params["caption"]
    assert "已清理完毕" in resident.params["caption"]
    buttons = [b["text"] for row in resident.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["满意", "基本满意", "不满意"]


async def test_a_repair_cannot_be_resolved_without_a_photo(desk: Desk) -> None:
    case = await desk.report(category="repair", text="5号楼楼道灯坏了")
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    before = await desk.snapshot(case.id)

    with pytest.raises(ValidationFailed) as refused:
        await desk.run(resolve_case, ResolveCase, WORKER, case.id, "修好了")

    assert refused.value.details["code"] == "evidence_required"
    assert await desk.snapshot(case.id) == before
    await desk.run(resolve_case, ResolveCase, WORKER, case.id, "修好了", ("lamp",))
    assert (await desk.case(case.id)).status == CaseStatus.RESOLVED


async def test_resolving_a_case_twice_is_refused(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    await desk.run(resolve_case, ResolveCase, WORKER, case.id, "好了")
    before = await desk.snapshot(case.id)

    with pytest.raises(IllegalTransition):
        await desk.run(resolve_case, ResolveCase, WORKER, case.id, "好了")

    assert await desk.snapshot(case.id) == before


async def test_two_people_accepting_at_once_apply_once(desk: Desk) -> None:
    case = await desk.report()

    results = await asyncio.gather(
        desk.run(accept_case, AcceptCase, WORKER, case.id),
        desk.run(accept_case, AcceptCase, LEADER, case.id),
        return_exceptions=True,
    )

    assert sorted(type(r).__name__ for r in results) == ["Case", "IllegalTransition"]
    assert (await desk.actions(case.id)).count("accept") == 1
