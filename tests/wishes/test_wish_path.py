"""A micro-wish from approval to confirmation, with points; rejection; who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.case import CaseKind, CaseStatus, RatingValue
from gridbot.domain.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from gridbot.domain.messaging import DueKind
from gridbot.domain.wishes import CLAIM_HOURS, WISH_POINTS
from gridbot.services.feedback import on_rating_poll
from gridbot.services.reports import NewReport, submit_report

from .conftest import (
    BUILDING_LEADER,
    GROUP,
    HELPERS,
    PARTY_MEMBER,
    RESIDENT,
    SECRETARY,
    SPECIALIST,
    T0,
    WORKER,
    Town,
)


async def test_a_wish_goes_from_approval_to_confirmation_and_the_helper_earns_points(
    town: Town,
) -> None:
    await town.bind_group()
    case = await town.wish(public=True, source_chat_id=GROUP)
    assert case.id is not None and case.status == CaseStatus.SUBMITTED
    cid = case.id

    case = await town.approve(SECRETARY, case)
    assert case.status == CaseStatus.APPROVED
    assert "审核通过" in (await town.texts(RESIDENT))[-1]
    for helper in HELPERS:
        assert (await town.buttons(helper))[-1] == [("认领", f"c:claim:{cid}")]
        assert "想请人帮忙修一下轮椅" in (await town.texts(helper))[-1]
    assert await town.outbox(WORKER) == []  # a grid worker is no helper
    group = await town.texts(GROUP)
    assert len(group) == 1 and "等待认领" in group[0] and "李桂兰" not in group[0]
    assert (await town.buttons(GROUP))[-1] == [("认领", f"c:claim:{cid}")]
    assert not [i for i in await town.due_items() if i.kind == DueKind.RESPOND_DEADLINE]

    case = await town.claim(PARTY_MEMBER, case)
    member = await town.person_id(PARTY_MEMBER)
    assert case.status == CaseStatus.CLAIMED and case.claimant_id == member
    (expiry,) = [i for i in await town.due_items() if i.kind == DueKind.WISH_CLAIM_EXPIRY]
    assert expiry.ref == case.number and expiry.due_at == T0 + timedelta(hours=CLAIM_HOURS)
    claimed = (await town.texts(PARTY_MEMBER))[-1]
    assert "您已认领" in claimed and "李桂兰" in claimed and "13900002001" in claimed
    assert (await town.buttons(PARTY_MEMBER))[-1] == [("完成", f"c:fulfil:{cid}")]
    assert "认领" in (await town.texts(RESIDENT))[-1]
    assert "李桂兰" not in (await town.texts(GROUP))[-1]

    note = "轮椅已修好送回"
    case = await town.fulfil(PARTY_MEMBER, cid, note)
    assert case.status == CaseStatus.FULFILLED
    assert (await town.buttons(RESIDENT))[-1] == [
        ("满意", f"c:rate_satisfied:{cid}"),
        ("基本满意", f"c:rate_basic:{cid}"),
        ("不满意", f"c:rate_unsatisfied:{cid}"),
    ]
    assert note in (await town.texts(RESIDENT))[-1]
    assert not [i for i in await town.due_items() if i.kind == DueKind.WISH_CLAIM_EXPIRY]
    assert [i.kind for i in await town.due_items() if not i.done_at][-1] == DueKind.RATING_POLL

    case = await town.rate(RESIDENT, cid, RatingValue.SATISFIED)
    assert case.status == CaseStatus.CONFIRMED and case.closed_at == T0
    assert await town.points(PARTY_MEMBER) == WISH_POINTS
    assert f"{WISH_POINTS} 积分" in (await town.texts(PARTY_MEMBER))[-1]
    actions = [e.action for e in await town.events(cid)]
    assert actions == ["submit", "assign", "approve", "claim", "fulfil", "rate_satisfied"]


async def test_a_second_confirmation_awards_no_more_points(town: Town) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(SPECIALIST, case)
    await town.fulfil(SPECIALIST, case.id, "已送达")
    await town.confirm(RESIDENT, case.id)
    with pytest.raises(IllegalTransition):
        await town.confirm(RESIDENT, case.id)
    assert await town.points(SPECIALIST) == WISH_POINTS


async def test_a_rejected_wish_tells_the_resident_why(town: Town) -> None:
    case = await town.wish()
    assert case.id is not None
    reason = "不属于微心愿范围，请拨打物业电话"
    case = await town.reject(SECRETARY, case.id, reason)
    assert case.status == CaseStatus.REJECTED
    told = (await town.texts(RESIDENT))[-1]
    assert reason in told
    assert [h for h in HELPERS if await town.outbox(h)] == []
    assert (await town.events(case.id))[-1].note == reason


async def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(town: Town) -> None:
    case = await town.wish()
    assert case.id is not None
    with pytest.raises(ValidationFailed):
        await town.reject(SECRETARY, case.id, "  ")
    assert (await town.case(case.id)).status == CaseStatus.SUBMITTED


async def test_only_the_grids_leaders_approve(town: Town) -> None:
    case = await town.wish()
    for outsider in (WORKER, PARTY_MEMBER, 1004, RESIDENT):
        with pytest.raises(PermissionDenied):
            await town.approve(outsider, case)
    assert case.id is not None and (await town.case(case.id)).status == CaseStatus.SUBMITTED


async def test_only_the_reporter_confirms_a_fulfilled_wish(town: Town) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(PARTY_MEMBER, case)
    await town.fulfil(PARTY_MEMBER, case.id, "已完成")
    for someone_else in (PARTY_MEMBER, SECRETARY, 2002):
        with pytest.raises(PermissionDenied):
            await town.confirm(someone_else, case.id)
    assert (await town.case(case.id)).status == CaseStatus.FULFILLED
    assert await town.points(PARTY_MEMBER) == 0


async def test_nobody_claims_their_own_wish(town: Town) -> None:
    case = await town.approved_wish(telegram_id=BUILDING_LEADER)
    assert case.id is not None
    offers = [b for buttons in await town.buttons(BUILDING_LEADER) for b in buttons]
    assert ("认领", f"c:claim:{case.id}") not in offers
    with pytest.raises(PermissionDenied):
        await town.claim(BUILDING_LEADER, case)
    assert (await town.case(case.id)).status == CaseStatus.APPROVED


async def test_only_helpers_of_the_grid_claim_and_only_the_claimant_fulfils(town: Town) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    for outsider in (WORKER, 1014, 2002):  # a worker, another grid's party member, a neighbour
        with pytest.raises(PermissionDenied):
            await town.claim(outsider, case)
    await town.claim(BUILDING_LEADER, case)
    with pytest.raises(PermissionDenied):
        await town.fulfil(PARTY_MEMBER, case.id, "done")


async def test_a_later_claim_is_told_it_was_already_claimed(town: Town) -> None:
    case = await town.approved_wish()
    await town.claim(PARTY_MEMBER, case)
    with pytest.raises(IllegalTransition) as refused:
        await town.claim(SPECIALIST, case)
    assert refused.value.code == "already_claimed"


async def test_a_wish_is_fulfilled_with_a_photo_or_a_note_but_not_with_neither(
    town: Town,
) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(PARTY_MEMBER, case)
    with pytest.raises(ValidationFailed):
        await town.fulfil(PARTY_MEMBER, case.id, None)
    done = await town.fulfil(PARTY_MEMBER, case.id, None, ["photo-1"])
    assert done.status == CaseStatus.FULFILLED
    assert (await town.events(case.id))[-1].attachments == ("photo-1",)


async def test_the_wish_board_lists_pending_and_open_wishes_of_the_leaders_grids(
    town: Town,
) -> None:
    waiting = await town.wish(text="想请人陪老人去医院")
    taken = await town.approved_wish()
    await town.claim(SPECIALIST, taken)
    for leader in (SECRETARY, 1009):  # the grid's secretary, the community's secretary
        board = await town.board(leader)
        assert [c.number for c in board.pending] == [waiting.number]
        assert [c.number for c in board.open] == [taken.number]
        assert list(board.claimants.values()) == ["胡婷"]
    assert (await town.board(1004)).is_empty  # another grid's leader
    with pytest.raises(PermissionDenied):
        await town.board(RESIDENT)


async def test_wish_use_cases_refuse_a_case_that_is_no_wish(town: Town) -> None:
    report = NewReport(await town.actor(RESIDENT), CaseKind.ISSUE, "env", "楼道灯不亮")
    issue = await submit_report(report, town.ctx)
    with pytest.raises(NotFound):
        await town.approve(SECRETARY, issue)
    assert issue.id is not None and (await town.case(issue.id)).status == CaseStatus.ASSIGNED


async def test_an_unsatisfied_poster_gives_the_wish_back_to_its_volunteer(town: Town) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(SPECIALIST, case)
    town.clock.advance(hours=2)
    await town.fulfil(SPECIALIST, case.id, "已送达")
    town.clock.advance(hours=1)

    back = await town.rate(RESIDENT, case.id, RatingValue.UNSATISFIED, "送错了东西")

    assert back.status == CaseStatus.CLAIMED and back.reopen_count == 1
    assert back.claimant_id == await town.person_id(SPECIALIST)
    assert back.claim_expires_at == town.clock.now() + timedelta(hours=CLAIM_HOURS)
    (expiry,) = [i for i in await town.due_items() if i.kind == DueKind.WISH_CLAIM_EXPIRY][-1:]
    assert expiry.due_at == back.claim_expires_at and expiry.done_at is None
    told = (await town.texts(SPECIALIST))[-1]
    assert f"微心愿 {case.number} 已退回给您" in told and "送错了东西" in told
    assert await town.points(SPECIALIST) == 0


async def test_a_fulfilled_wish_nobody_rates_closes_unrated_without_points(town: Town) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(SPECIALIST, case)
    await town.fulfil(SPECIALIST, case.id, "已送达")
    polls = [i for i in await town.due_items() if i.kind == DueKind.RATING_POLL]
    assert len(polls) == 1

    async with town.db.uow() as uow:
        await on_rating_poll(polls[0], uow, town.ctx)  # the reminder
        await uow.commit()
    assert "提醒：请评价事项" in (await town.texts(RESIDENT))[-1]
    (close,) = [
        i for i in await town.due_items() if i.kind == DueKind.RATING_POLL and i.id != polls[0].id
    ]
    async with town.db.uow() as uow:
        await on_rating_poll(close, uow, town.ctx)
        await uow.commit()

    assert (await town.case(case.id)).status == CaseStatus.CLOSED
    assert await town.points(SPECIALIST) == 0
