"""The first claim wins, even at the same moment; a lapsed claim is offered again."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.case import Case, CaseStatus
from gridbot.domain.errors import AlreadyClaimed
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.wishes import CLAIM_HOURS
from gridbot.services.ports import UnitOfWork
from gridbot.services.wishes import on_claim_expiry

from .conftest import PARTY_MEMBER, RESIDENT, SPECIALIST, T0, TZ, Town


async def test_of_two_claims_at_the_same_moment_exactly_one_wins(any_town: Town) -> None:
    town = any_town
    case = await town.approved_wish()
    assert case.id is not None
    cid = case.id

    async def try_claim(who: int) -> Case | AlreadyClaimed:
        try:
            return await town.claim(who, case)
        except AlreadyClaimed as refused:
            return refused

    results = await asyncio.gather(try_claim(PARTY_MEMBER), try_claim(SPECIALIST))
    won = [r for r in results if isinstance(r, Case)]
    lost = [r for r in results if isinstance(r, AlreadyClaimed)]
    assert len(won) == 1 and len(lost) == 1
    stored = await town.case(cid)
    assert stored.status == CaseStatus.CLAIMED and stored.claimant_id == won[0].claimant_id
    assert [e.action for e in await town.events(cid)].count("claim") == 1
    expiries = [i for i in await town.due_items() if i.kind == DueKind.WISH_CLAIM_EXPIRY]
    assert len(expiries) == 1


def scheduler_for(town: Town) -> DueScheduler:
    scheduler = DueScheduler(town.uow, town.clock)

    async def claim_expired(item: DueItem, uow: UnitOfWork) -> None:
        await on_claim_expiry(item, uow, town.ctx)

    scheduler.register(DueKind.WISH_CLAIM_EXPIRY, claim_expired)
    return scheduler


async def test_a_claim_not_fulfilled_in_time_lapses_and_the_wish_is_offered_again(
    town: Town,
) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(PARTY_MEMBER, case)
    offers_before = len(await town.outbox(SPECIALIST))
    scheduler = scheduler_for(town)

    town.clock.advance(hours=CLAIM_HOURS - 1)
    assert await scheduler.tick() == 0
    town.clock.advance(hours=1)
    assert await scheduler.tick() == 1

    stored = await town.case(case.id)
    assert stored.status == CaseStatus.APPROVED
    assert stored.claimant_id is None and stored.claim_expires_at is None
    assert "认领已失效" in (await town.texts(PARTY_MEMBER))[-1]
    assert [b for bs in await town.buttons(PARTY_MEMBER) for b in bs].count(
        ("认领", f"c:claim:{case.id}")
    ) == 1  # the first offer only: the lapsed claimant is not offered it again
    assert len(await town.outbox(SPECIALIST)) == offers_before + 1
    assert (await town.buttons(SPECIALIST))[-1] == [("认领", f"c:claim:{case.id}")]
    assert "重新等待认领" in (await town.texts(RESIDENT))[-1]
    assert (await town.events(case.id))[-1].action == "expire_claim"

    again = await town.claim(SPECIALIST, case)
    assert again.status == CaseStatus.CLAIMED
    assert await scheduler.tick() == 0  # the lapsed item ran once


async def test_an_expiry_that_falls_after_fulfilment_changes_nothing(town: Town) -> None:
    case = await town.approved_wish()
    assert case.id is not None
    await town.claim(PARTY_MEMBER, case)
    (item,) = [i for i in await town.due_items() if i.kind == DueKind.WISH_CLAIM_EXPIRY]
    await town.fulfil(PARTY_MEMBER, case.id, "已完成")
    town.clock.advance(hours=CLAIM_HOURS + 1)
    async with town.uow() as uow:
        await on_claim_expiry(item, uow, town.ctx)
        await uow.commit()
    assert (await town.case(case.id)).status == CaseStatus.FULFILLED


async def test_a_claim_expires_at_the_wanted_by_date_when_that_comes_first(town: Town) -> None:
    case = await town.approved_wish(wanted_by=date(2026, 3, 3))
    claimed = await town.claim(PARTY_MEMBER, case)
    end_of_day = datetime(2026, 3, 3, 23, 59, 59, tzinfo=TZ)
    assert claimed.claim_expires_at == end_of_day
    assert claimed.claim_expires_at < T0 + timedelta(hours=CLAIM_HOURS)
    (item,) = [i for i in await town.due_items() if i.kind == DueKind.WISH_CLAIM_EXPIRY]
    assert item.due_at == end_of_day
