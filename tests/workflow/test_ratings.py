"""评价: the reporter rates a resolved case once; 不满意 reopens it (重办); no rating reminds
once, then closes it unrated. A second tap, someone else's tap or a tap on a case that
moved on is refused and changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridbot.domain.case import CaseStatus, RatingValue
from gridbot.domain.errors import NotAwaitingRating, PermissionDenied, ValidationFailed
from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage
from gridbot.services.feedback import (
    CheckRating,
    CommentRating,
    check_rating,
    comment_rating,
    ensure_rating_polls,
)
from gridbot.services.workflow import AcceptCase, ResolveCase, accept_case, resolve_case

from .conftest import LEADER, RESIDENT, TZ, WORKER, Desk

S, V = CaseStatus, RatingValue


def text_of(message: OutboxMessage) -> str:
    return str(message.params.get("text") or message.params.get("caption") or "")


async def ratings(desk: Desk, case_id: int | None) -> list[tuple[str, str | None]]:
    assert case_id is not None
    async with desk.db.reader() as uow:
        return [(r.value.value, r.comment) for r in await uow.cases.ratings(case_id)]


async def test_satisfied_closes_the_case_and_its_follow_up_falls_due(desk: Desk) -> None:
    case = await desk.resolved()
    desk.clock.advance(hours=2)

    rated = await desk.rate(RESIDENT, case.id, V.SATISFIED)

    assert rated.status == S.CLOSED and rated.closed_at == desk.clock.now()
    assert await ratings(desk, case.id) == [("satisfied", None)]
    assert await desk.due(DueKind.RATING_POLL) == []  # nothing to remind of any more
    (visit,) = await desk.due(DueKind.FOLLOW_UP)
    assert visit.ref == case.number and visit.payload["step"] == 0
    assert visit.due_at == desk.clock.now() + timedelta(days=3)  # env: follow_up_days 3
    assert (await desk.actions(case.id))[-1] == "rate_satisfied"


async def test_a_rating_is_given_once_and_only_by_the_reporter(desk: Desk) -> None:
    case = await desk.resolved()
    for outsider in (WORKER, LEADER, 2002):
        with pytest.raises(PermissionDenied):
            await desk.rate(outsider, case.id, V.SATISFIED)
    assert (await desk.case(case.id)).status == S.RESOLVED
    await desk.rate(RESIDENT, case.id, V.BASIC)
    before = await desk.snapshot(case.id)

    with pytest.raises(NotAwaitingRating) as second:
        await desk.rate(RESIDENT, case.id, V.UNSATISFIED, "其实没修好")

    assert second.value.details["rated"] is True
    assert await desk.snapshot(case.id) == before
    assert await ratings(desk, case.id) == [("basically_satisfied", None)]


async def test_unsatisfied_needs_what_is_wrong_then_reopens_to_the_handler(desk: Desk) -> None:
    case = await desk.resolved()
    before = await desk.snapshot(case.id)
    with pytest.raises(ValidationFailed):
        await desk.rate(RESIDENT, case.id, V.UNSATISFIED, "  ")
    assert await desk.snapshot(case.id) == before
    leader_before = len(await desk.texts(LEADER))
    desk.clock.advance(hours=2)

    reopened = await desk.rate(RESIDENT, case.id, V.UNSATISFIED, "垃圾又堆起来了")

    assert reopened.status == S.IN_PROGRESS and reopened.reopen_count == 1
    assert reopened.assignee_id == await desk.person_id(WORKER)
    assert reopened.resolved_at is None
    assert reopened.resolve_by is not None and reopened.resolve_by > desk.clock.now()
    (deadline,) = await desk.due(DueKind.RESOLVE_DEADLINE)
    assert deadline.due_at == reopened.resolve_by
    assert await ratings(desk, case.id) == [("unsatisfied", "垃圾又堆起来了")]
    worker = (await desk.texts(WORKER))[-1]
    assert f"事项 {case.number} 重办：居民评价不满意" in worker and "垃圾又堆起来了" in worker
    # The leader, who is also the grid's branch secretary, gets one short line.
    lines = (await desk.texts(LEADER))[leader_before:]
    assert lines == [f"📌 事项 {case.number}（环境卫生）：居民不满意，已重办。"]


async def test_a_reopened_case_is_rated_again_once_it_is_resolved_again(desk: Desk) -> None:
    case = await desk.resolved()
    await desk.rate(RESIDENT, case.id, V.UNSATISFIED, "还是很脏")
    with pytest.raises(NotAwaitingRating) as early:
        await check_rating(
            CheckRating(await desk.actor(RESIDENT), case.id or 0, V.SATISFIED), desk.ctx
        )
    assert early.value.details["rated"] is False  # being handled again, not ended on a rating

    await desk.run(resolve_case, ResolveCase, WORKER, case.id, "重新清理，已加装垃圾桶")
    closed = await desk.rate(RESIDENT, case.id, V.SATISFIED)

    assert closed.status == S.CLOSED and closed.reopen_count == 1
    assert await ratings(desk, case.id) == [("unsatisfied", "还是很脏"), ("satisfied", None)]
    with pytest.raises(NotAwaitingRating) as again:
        await desk.rate(RESIDENT, case.id, V.BASIC)
    assert again.value.details["rated"] is True


async def test_no_rating_reminds_once_then_closes_unrated(desk: Desk) -> None:
    case = await desk.resolved()
    resolved_at = desk.clock.now()
    before = len(await desk.outbox(RESIDENT))

    desk.clock.at = resolved_at + timedelta(hours=24)
    assert await desk.tick() == 1
    reminder = (await desk.outbox(RESIDENT))[before:]
    assert len(reminder) == 1
    assert "提醒：请评价事项" in reminder[0].params["text"]
    assert "72 小时后自动结案" in reminder[0].params["text"]
    buttons = reminder[0].params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in buttons for b in row] == ["满意", "基本满意", "不满意"]
    assert (await desk.case(case.id)).status == S.RESOLVED

    desk.clock.advance(hours=71)
    assert await desk.tick() == 0
    desk.clock.advance(hours=1)
    assert await desk.tick() == 1

    closed = await desk.case(case.id)
    assert closed.status == S.CLOSED and closed.closed_at == desk.clock.now()
    assert await ratings(desk, case.id) == []  # unrated: never counted as satisfied
    assert (await desk.actions(case.id))[-2:] == ["rate_remind", "close"]
    assert f"{case.number} 已结案" in (await desk.texts(RESIDENT))[-1]
    assert [i.kind for i in await desk.due()] == [DueKind.FOLLOW_UP]
    desk.clock.advance(hours=1)
    assert await desk.tick() == 0  # and the poll is over


async def test_a_poll_left_from_an_earlier_resolution_does_nothing(desk: Desk) -> None:
    case = await desk.resolved()
    first = desk.clock.now()
    (old,) = await desk.due(DueKind.RATING_POLL)
    await desk.rate(RESIDENT, case.id, V.UNSATISFIED, "没修好")  # its poll is dropped
    desk.clock.advance(hours=20)
    await desk.run(resolve_case, ResolveCase, WORKER, case.id, "这次修好了")
    async with desk.db.uow() as uow:  # say another process had already claimed it
        await uow.due.add(DueItem(DueKind.RATING_POLL, old.due_at, case.number, old.payload))
        await uow.commit()
    texts = len(await desk.outbox(RESIDENT))

    desk.clock.at = first + timedelta(hours=24)  # the first resolution's reminder time
    assert await desk.tick() == 1

    assert len(await desk.outbox(RESIDENT)) == texts
    assert (await desk.case(case.id)).status == S.RESOLVED
    (poll,) = await desk.due(DueKind.RATING_POLL)  # the second resolution's
    assert poll.payload["resolved_at"] == (first + timedelta(hours=20)).isoformat()


async def test_a_comment_goes_with_the_reporters_own_rating_once(desk: Desk) -> None:
    case = await desk.resolved()
    resident = await desk.actor(RESIDENT)
    assert case.id is not None
    assert not await comment_rating(CommentRating(resident, case.id, "谢谢"), desk.ctx)

    await desk.rate(RESIDENT, case.id, V.SATISFIED)

    assert await comment_rating(CommentRating(resident, case.id, "很及时，谢谢"), desk.ctx)
    assert not await comment_rating(CommentRating(resident, case.id, "再说一次"), desk.ctx)
    worker = await desk.actor(WORKER)
    assert not await comment_rating(CommentRating(worker, case.id, "冒充"), desk.ctx)
    assert await ratings(desk, case.id) == [("satisfied", "很及时，谢谢")]


async def test_a_case_resolved_at_night_reaches_the_resident_in_the_morning(desk: Desk) -> None:
    desk.clock.at = datetime(2026, 3, 2, 22, 30, tzinfo=TZ)  # 22:30 in Shanghai
    case = await desk.report()
    # What answers the resident's own doing is not held back.
    (registered,) = [m for m in await desk.outbox(RESIDENT) if case.number in text_of(m)]
    assert registered.not_before is None
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    desk.clock.advance(minutes=30)

    await desk.run(resolve_case, ResolveCase, WORKER, case.id, "已清理")

    told = [m for m in await desk.outbox(RESIDENT) if "已办结" in text_of(m)]
    assert [m.not_before for m in told] == [datetime(2026, 3, 3, 8, 0, tzinfo=TZ)]
    # Staff are told at once: the grid secretary's line goes now.
    lines = [m for m in await desk.outbox(LEADER) if "已办结" in text_of(m)]
    assert [m.not_before for m in lines] == [None]


async def test_resolved_cases_from_before_polls_get_one_at_start_up(desk: Desk) -> None:
    case = await desk.resolved()
    async with desk.db.uow() as uow:  # as a database from before rating polls would be
        await uow.due.cancel(DueKind.RATING_POLL, case.number)
        await uow.commit()
    desk.clock.advance(days=10)

    assert await ensure_rating_polls(desk.ctx) == 1
    assert await ensure_rating_polls(desk.ctx) == 0  # once

    (poll,) = await desk.due(DueKind.RATING_POLL)
    assert poll.due_at == desk.clock.now() and poll.payload["step"] == 1
    await desk.tick()
    assert "提醒：请评价事项" in (await desk.texts(RESIDENT))[-1]
