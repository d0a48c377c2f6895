"""The reporter's rating (评价) of a resolved case, or the poster's of a fulfilled wish.

满意 and 基本满意 close it (a wish: confirm it, and its volunteer earns the points);
不满意, with what is still wrong, gives it back to whoever handled it (重办, counted as a
reopen) and the grid's leader and branch secretary hear of it. No rating: one reminder after
``Timing.rating_reminder``, then it closes unrated after ``Timing.rating_close`` — counted
apart, never as satisfied. A closed case's follow-up visit (回访) falls due then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from gridbot.domain.care import PointsEntry
from gridbot.domain.case import Case, CaseEvent, CaseStatus, Rating, RatingValue
from gridbot.domain.errors import NotAwaitingRating, ValidationFailed
from gridbot.domain.lifecycle import AWAITING_RATING, CaseAction, apply, rating_action
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.texts import check_text, optional_text
from gridbot.domain.wishes import WISH_POINTS
from gridbot.services.common import (
    acting_on,
    cancel_due,
    category_of,
    find_case,
    record,
    schedule,
)
from gridbot.services.context import Actor, Context, known
from gridbot.services.feedback.follow_ups import schedule_follow_up
from gridbot.services.feedback.reopening import restart_handling
from gridbot.services.notices.table import RATE_REMIND
from gridbot.services.ports import UnitOfWork

A = CaseAction
REMIND, CLOSE = 1, 2  # the steps of a rating poll


@dataclass(frozen=True)
class RateCase:
    """满意 / 基本满意 / 不满意; ``comment`` says what is still wrong (required for 不满意)."""

    actor: Actor | None
    case_id: int
    value: RatingValue
    comment: str | None = None


@dataclass(frozen=True)
class CheckRating:
    """Before 不满意 asks what is still wrong: would a rating be taken now?"""

    actor: Actor | None
    case_id: int
    value: RatingValue


@dataclass(frozen=True)
class CommentRating:
    """A comment added to one's rating after it was given."""

    actor: Actor | None
    case_id: int
    comment: str


async def check_rating(cmd: CheckRating, ctx: Context) -> Case:
    """The checks ``rate_case`` makes, at the tap, so nobody types for nothing: NotFound,
    PermissionDenied (not their case), NotAwaitingRating (rated already, or moved on)."""
    async with ctx.reading() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, _action(cmd.value), lock=False)
        await _awaiting(uow, acting.case)
    return acting.case


async def rate_case(cmd: RateCase, ctx: Context) -> Case:
    """Record the rating and move the case on (see the module). A second rating, a rating
    by anyone but the reporter, or of a case that moved on is refused and changes nothing."""
    action = _action(cmd.value)
    unsatisfied = cmd.value == RatingValue.UNSATISFIED
    comment = check_text(cmd.comment) if unsatisfied else optional_text(cmd.comment)
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, action)
        case, now = acting.case, ctx.clock.now()
        await _awaiting(uow, case)
        event = apply(case, action, actor_id=acting.person_id, now=now, note=comment)
        await cancel_due(uow, case, (DueKind.RATING_POLL,))  # answered: nothing to remind of
        await uow.cases.add_rating(
            Rating(acting.case_id, cmd.value, acting.person_id, now, comment)
        )
        details: dict[str, Any] = {}
        if unsatisfied:
            await restart_handling(uow, ctx, case, acting.category, now)
        elif case.is_wish:
            details.update(await _award(uow, case, now))
        else:
            await schedule_follow_up(uow, ctx, case, acting.category, now)
        await record(uow, case, event)
        await ctx.notices.case_event(
            uow, case, event, category=acting.category, tree=acting.tree, **details
        )
        await uow.commit()
    return case


async def comment_rating(cmd: CommentRating, ctx: Context) -> bool:
    """Add a comment to one's own latest rating of the case; False when there is none to
    add it to (not rated by them, or already commented)."""
    text = check_text(cmd.comment)
    actor = known(cmd.actor)
    async with ctx.writing() as uow:
        added = await uow.cases.comment_rating(cmd.case_id, actor.id, text)
        await uow.commit()
    return added


async def schedule_rating_poll(uow: UnitOfWork, ctx: Context, case: Case) -> None:
    """After a case is resolved (a wish fulfilled): the reminder, if no rating comes."""
    assert case.resolved_at is not None
    await _poll(uow, case, REMIND, case.resolved_at + ctx.timing.rating_reminder)


async def on_rating_poll(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """The due scheduler's job: still not rated, the reporter is reminded once; still not
    rated after that, it closes unrated. A poll of an earlier resolution (the case was
    reopened and resolved again meanwhile) is over."""
    found = await uow.cases.by_number(item.ref)
    if found is None or found.id is None:
        return
    case, now = await find_case(uow, found.id, lock=True), ctx.clock.now()
    if case.status not in AWAITING_RATING or _stamp(case.resolved_at) != item.payload.get(
        "resolved_at"
    ):
        return
    org = await ctx.org.current(uow)
    category = await category_of(uow, org, case)
    assert case.id is not None
    if item.payload.get("step") == REMIND:
        hours = ctx.timing.rating_close / timedelta(hours=1)
        reminder = _reminder(case, now)
        await uow.cases.add_event(reminder)
        await ctx.notices.case_event(uow, case, reminder, category=category, close_in=f"{hours:g}")
        await _poll(uow, case, CLOSE, now + ctx.timing.rating_close)
        return
    event = apply(case, A.CLOSE, actor_id=None, now=now)
    await record(uow, case, event)
    if not case.is_wish:
        await schedule_follow_up(uow, ctx, case, category, now)
    await ctx.notices.case_event(uow, case, event, category=category)


async def ensure_rating_polls(ctx: Context) -> int:
    """At start-up: a poll for every case waiting for its rating without one (resolved
    before polls existed), so that none waits for ever; returns how many were scheduled.
    They remind at once, or when their time comes, one by one on the scheduler's ticks."""
    now = ctx.clock.now()
    async with ctx.writing() as uow:
        waiting = await uow.cases.awaiting_rating_unpolled()
        for case in waiting:
            resolved = case.resolved_at or now
            await _poll(uow, case, REMIND, max(now, resolved + ctx.timing.rating_reminder))
        await uow.commit()
    return len(waiting)


def _action(value: RatingValue | str) -> CaseAction:
    try:
        return rating_action(RatingValue(value))
    except ValueError:
        raise ValidationFailed(f"unknown rating {value!r}", code="rating") from None


async def _awaiting(uow: UnitOfWork, case: Case) -> None:
    if case.status in AWAITING_RATING:
        return
    assert case.id is not None
    # "rated": it ended on a rating (not closed unrated, not being handled again).
    done = case.status in (CaseStatus.CLOSED, CaseStatus.CONFIRMED)
    rated = done and bool(await uow.cases.ratings(case.id))
    raise NotAwaitingRating(f"case {case.number} is {case.status}", case=case.number, rated=rated)


async def _award(uow: UnitOfWork, case: Case, now: datetime) -> dict[str, Any]:
    """A confirmed wish earns its volunteer the points (as 确认 does)."""
    assert case.claimant_id is not None  # a fulfilled wish was claimed
    await uow.care.add_points(
        PointsEntry(case.claimant_id, WISH_POINTS, "wish_confirmed", now, case.id)
    )
    return {"points": WISH_POINTS, "total": await uow.care.points_of(case.claimant_id)}


def _reminder(case: Case, now: datetime) -> CaseEvent:
    """The reminder to rate, a case event like a deadline's (the audit trail shows it)."""
    assert case.id is not None
    return CaseEvent(
        case_id=case.id,
        action=RATE_REMIND,
        actor_id=None,
        at=now,
        from_status=case.status,
        to_status=case.status,
    )


async def _poll(uow: UnitOfWork, case: Case, step: int, at: datetime) -> None:
    payload = {"step": step, "resolved_at": _stamp(case.resolved_at)}
    await schedule(uow, DueKind.RATING_POLL, case.number, at, payload)


def _stamp(at: datetime | None) -> str | None:
    """A resolution's time as the poll's payload keeps it (its identity)."""
    return at.isoformat() if at is not None else None
