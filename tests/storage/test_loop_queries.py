"""The queries the end of the loop reads (ratings, rating polls, follow-up visits, the morning
brief's deadlines), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from gridbot.domain.case import CaseStatus, Rating, RatingValue, Visit
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case


async def test_a_comment_joins_the_latest_rating_of_its_author_once(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001", status=CaseStatus.CLOSED))
        assert case.id is not None
        await uow.cases.add_rating(
            Rating(case.id, RatingValue.UNSATISFIED, seed.reporter_id, T0, "还是不亮")
        )
        await uow.cases.add_rating(Rating(case.id, RatingValue.SATISFIED, seed.reporter_id, T0))
        await uow.commit()
    async with db.uow() as uow:
        assert not await uow.cases.comment_rating(case.id, seed.worker_id, "不是我评的")
        assert await uow.cases.comment_rating(case.id, seed.reporter_id, "修得很快")
        assert not await uow.cases.comment_rating(case.id, seed.reporter_id, "再补一句")
        await uow.commit()
    async with db.reader() as uow:
        comments = [r.comment for r in await uow.cases.ratings(case.id)]
    assert comments == ["还是不亮", "修得很快"]


async def test_cases_waiting_for_a_rating_without_a_poll_are_found_oldest_first(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        older = make_case(seed, "2026-000001", status=CaseStatus.RESOLVED, resolved_at=T0)
        polled = make_case(seed, "2026-000002", status=CaseStatus.RESOLVED, resolved_at=T0)
        newer = make_case(
            seed, "2026-000003", status=CaseStatus.RESOLVED, resolved_at=T0 + timedelta(hours=1)
        )
        for case in (newer, polled, older):
            await uow.cases.add(case)
        await uow.cases.add(make_case(seed, "2026-000004", status=CaseStatus.CLOSED))
        await uow.due.add(DueItem(DueKind.RATING_POLL, T0 + timedelta(days=1), "2026-000002"))
        done = await uow.due.add(DueItem(DueKind.RATING_POLL, T0, "2026-000001"))
        assert done.id is not None
        await uow.due.mark_done(done.id, T0)  # an old poll, done: it does not count
        await uow.commit()
    async with db.reader() as uow:
        waiting = [c.number for c in await uow.cases.awaiting_rating_unpolled()]
        refs = await uow.due.pending_refs(DueKind.RATING_POLL)
    assert waiting == ["2026-000001", "2026-000003"]
    assert list(refs) == ["2026-000002"]


async def test_open_cases_due_by_a_time_follow_the_deadline_of_their_stage(
    db: Database, seed: Seed
) -> None:
    soon, late = T0 + timedelta(hours=2), T0 + timedelta(days=3)
    w = seed.worker_id
    async with db.uow() as uow:
        for number, status, respond_by, resolve_by in (
            ("2026-000001", CaseStatus.ASSIGNED, soon, late),  # to accept, soon
            ("2026-000002", CaseStatus.ASSIGNED, late, soon),  # to accept, later
            ("2026-000003", CaseStatus.IN_PROGRESS, late, soon),  # to resolve, soon
            ("2026-000004", CaseStatus.IN_PROGRESS, soon, late),  # to resolve, later
            ("2026-000005", CaseStatus.RESOLVED, soon, soon),  # done
        ):
            await uow.cases.add(
                make_case(
                    seed,
                    number,
                    status=status,
                    assignee_id=w,
                    respond_by=respond_by,
                    resolve_by=resolve_by,
                )
            )
        await uow.commit()
    async with db.reader() as uow:
        due = [c.number for c in await uow.cases.open_due_by(T0 + timedelta(hours=3))]
    assert due == ["2026-000001", "2026-000003"]


async def test_open_follow_up_visits_of_a_visitor_come_soonest_first(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        first = await uow.cases.add(make_case(seed, "2026-000001", status=CaseStatus.CLOSED))
        second = await uow.cases.add(make_case(seed, "2026-000002", status=CaseStatus.CLOSED))
        assert first.id is not None and second.id is not None
        later = await uow.cases.add_visit(Visit(first.id, seed.worker_id, T0 + timedelta(days=2)))
        sooner = await uow.cases.add_visit(Visit(second.id, seed.worker_id, T0))
        await uow.cases.add_visit(Visit(first.id, seed.reporter_id, T0))  # someone else's
        done = await uow.cases.add_visit(
            Visit(second.id, seed.worker_id, T0, done_at=T0, outcome=None)
        )
        await uow.commit()
    async with db.reader() as uow:
        mine = await uow.cases.open_visits(T0 + timedelta(days=3), seed.worker_id)
        today = await uow.cases.open_visits(T0 + timedelta(hours=1), seed.worker_id)
        everyone = await uow.cases.open_visits(T0 + timedelta(hours=1))
        assert await uow.cases.get_visit(done.id or 0) == done
        assert await uow.cases.open_visit(second.id) == sooner
    assert [(v.id, c.number) for v, c in mine] == [
        (sooner.id, "2026-000002"),
        (later.id, "2026-000001"),
    ]
    assert [v.id for v, _ in today] == [sooner.id]
    assert len(everyone) == 2
