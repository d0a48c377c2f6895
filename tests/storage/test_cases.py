from __future__ import annotations

from datetime import timedelta

from gridbot.domain.case import (
    CaseEvent,
    CaseLevel,
    CaseStatus,
    FollowUpOutcome,
    Location,
    Priority,
    Rating,
    RatingValue,
    Visit,
)
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case


async def test_a_case_round_trips_with_every_field(db: Database, seed: Seed) -> None:
    case = make_case(
        seed,
        "2026-000001",
        status=CaseStatus.IN_PROGRESS,
        level=CaseLevel.COMMUNITY,
        unit_code="DL-WX-LY",
        priority=Priority.URGENT,
        assignee_id=seed.worker_id,
        photos=["file-1", "file-2"],
        location=Location(39.1, 117.3, "临月里 3 号楼"),
        public=True,
        source_chat_id=-1001234567890,
        respond_by=T0 + timedelta(hours=2),
        reopen_count=1,
    )
    async with db.uow() as uow:
        added = await uow.cases.add(case)
        await uow.commit()
    case.id = added.id
    async with db.uow() as uow:
        assert await uow.cases.get(added.id or 0) == case
        assert await uow.cases.by_number("2026-000001") == case


async def test_an_update_changes_the_stored_case(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        case.status = CaseStatus.RESOLVED
        case.location = None
        case.resolved_at = T0 + timedelta(hours=5)
        await uow.cases.update(case)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.cases.get(case.id or 0) == case


async def test_events_come_back_in_order(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        assert case.id is not None
        second = CaseEvent(
            case.id,
            "accept",
            seed.worker_id,
            T0 + timedelta(minutes=5),
            CaseStatus.ASSIGNED,
            CaseStatus.IN_PROGRESS,
            attachments=("p",),
        )
        first = CaseEvent(
            case.id,
            "submit",
            seed.reporter_id,
            T0,
            None,
            CaseStatus.SUBMITTED,
            level=CaseLevel.GRID,
            assignee_id=seed.worker_id,
        )
        await uow.cases.add_event(second)
        await uow.cases.add_event(first)
        await uow.commit()
    async with db.uow() as uow:
        events = await uow.cases.events(case.id)
    assert [(e.action, e.from_status, e.attachments, e.level) for e in events] == [
        ("submit", None, (), CaseLevel.GRID),
        ("accept", CaseStatus.ASSIGNED, ("p",), None),
    ]


async def test_cases_by_reporter_newest_first_and_by_assignee_and_status(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        for n in range(3):
            status = CaseStatus.CLOSED if n == 0 else CaseStatus.ASSIGNED
            await uow.cases.add(
                make_case(seed, f"2026-00000{n}", n, status=status, assignee_id=seed.worker_id)
            )
        await uow.commit()
    async with db.uow() as uow:
        mine = await uow.cases.by_reporter(seed.reporter_id, limit=2)
        open_ = await uow.cases.by_assignee(seed.worker_id, [CaseStatus.ASSIGNED])
        every = await uow.cases.by_assignee(seed.worker_id)
        recent = await uow.cases.count_reported_since(seed.reporter_id, T0 + timedelta(minutes=1))
    assert [c.number for c in mine] == ["2026-000002", "2026-000001"]
    assert [c.number for c in open_] == ["2026-000001", "2026-000002"]
    assert len(every) == 3 and recent == 2


async def test_ratings_and_visits_round_trip(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        assert case.id is not None
        rating = Rating(case.id, RatingValue.BASIC, seed.reporter_id, T0, "还行")
        await uow.cases.add_rating(rating)
        visit = await uow.cases.add_visit(Visit(case.id, seed.worker_id, T0 + timedelta(days=3)))
        visit.done_at, visit.outcome = T0 + timedelta(days=3, hours=1), FollowUpOutcome.RECURRED
        await uow.cases.update_visit(visit)
        await uow.commit()
    async with db.uow() as uow:
        ratings = await uow.cases.ratings(case.id)
        visits = await uow.cases.visits(case.id)
    assert [(r.value, r.comment) for r in ratings] == [(RatingValue.BASIC, "还行")]
    assert visits == [visit]


async def test_case_numbers_count_up_per_year(db: Database) -> None:
    async with db.uow() as uow:
        numbers = [await uow.cases.next_number(2026) for _ in range(3)]
        numbers.append(await uow.cases.next_number(2027))
        await uow.commit()
    assert numbers == ["2026-000001", "2026-000002", "2026-000003", "2027-000001"]


async def test_a_rolled_back_case_number_is_handed_out_again(db: Database) -> None:
    async with db.uow() as uow:
        assert await uow.cases.next_number(2026) == "2026-000001"
    async with db.uow() as uow:
        assert await uow.cases.next_number(2026) == "2026-000001"


async def test_a_neighbour_is_counted_once_per_case(db: Database, seed: Seed) -> None:
    at = T0
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000901"))
        assert case.id is not None
        first = await uow.cases.add_affected(case.id, 777, at)
        again = await uow.cases.add_affected(case.id, 777, at)
        other = await uow.cases.add_affected(case.id, 778, at)
        await uow.commit()
    assert (first, again, other) == (True, False, True)
