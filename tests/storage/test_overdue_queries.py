"""The queries of /overdue and of the urges counted for statistics, on SQLite and
PostgreSQL: the deadline that matters now, the longest overdue first, a unit's grids only,
and urges in a period."""

from __future__ import annotations

from datetime import timedelta

from gridbot.domain.case import CaseEvent, CaseKind, CaseStatus
from gridbot.domain.org import GridKind, OrgUnit, UnitLevel
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case

S = CaseStatus
OTHER_GRID = "DL-WX-LY-02"
NOW = T0 + timedelta(days=3)
H = timedelta(hours=1)


async def add_other_grid(db: Database) -> None:
    async with db.uow() as uow:
        await uow.org.save_unit(
            OrgUnit(OTHER_GRID, "临月里第二网格", UnitLevel.GRID, "DL-WX-LY", GridKind.RESIDENTIAL)
        )
        await uow.commit()


async def test_overdue_cases_follow_the_deadline_of_their_stage_longest_first(
    db: Database, seed: Seed
) -> None:
    await add_other_grid(db)
    rows = (
        # number, status, respond_by, resolve_by, kind, grid
        ("2026-000001", S.ASSIGNED, NOW - 5 * H, NOW + H, CaseKind.ISSUE, seed.grid),
        ("2026-000002", S.IN_PROGRESS, NOW - 9 * H, NOW - 2 * H, CaseKind.HAZARD, seed.grid),
        ("2026-000003", S.ESCALATED, NOW - 7 * H, NOW - 10 * H, CaseKind.ISSUE, seed.grid),
        ("2026-000004", S.IN_PROGRESS, NOW - 9 * H, NOW + H, CaseKind.ISSUE, seed.grid),
        ("2026-000005", S.ASSIGNED, NOW + H, NOW - H, CaseKind.ISSUE, seed.grid),
        ("2026-000006", S.RESOLVED, NOW - 9 * H, NOW - 9 * H, CaseKind.ISSUE, seed.grid),
        ("2026-000007", S.CLOSED, NOW - 9 * H, NOW - 9 * H, CaseKind.ISSUE, seed.grid),
        ("2026-000008", S.SUBMITTED, NOW - 9 * H, NOW - 9 * H, CaseKind.WISH, seed.grid),
        ("2026-000009", S.ASSIGNED, NOW - 20 * H, NOW + H, CaseKind.ISSUE, OTHER_GRID),
        ("2026-000010", S.SUBMITTED, NOW - 3 * H, None, CaseKind.ISSUE, seed.grid),
        ("2026-000011", S.TRANSFERRED, None, NOW - 30 * H, CaseKind.ISSUE, seed.grid),
    )
    async with db.uow() as uow:
        for number, status, respond_by, resolve_by, kind, grid in rows:
            case = make_case(
                seed,
                number,
                status=status,
                respond_by=respond_by,
                resolve_by=resolve_by,
                kind=kind,
                grid_code=grid,
                unit_code=grid,
            )
            await uow.cases.add(case)
        await uow.commit()

    async with db.reader() as uow:
        mine = [c.number for c in await uow.overdue.overdue([seed.grid], NOW, limit=50)]
        count = await uow.overdue.count_overdue([seed.grid], NOW)
        page = [c.number for c in await uow.overdue.overdue([seed.grid], NOW, offset=1, limit=2)]
        both = [c.number for c in await uow.overdue.overdue([seed.grid, OTHER_GRID], NOW)]
        none = await uow.overdue.overdue([], NOW)
        nothing = await uow.overdue.count_overdue([], NOW)
        earlier = await uow.overdue.count_overdue([seed.grid], NOW - 6 * H)

    # waiting: by respond_by (7 h, 5 h, 3 h late); in progress: by resolve_by (2 h late)
    assert mine == ["2026-000003", "2026-000001", "2026-000010", "2026-000002"]
    assert count == 4
    assert page == ["2026-000001", "2026-000010"]
    assert both == ["2026-000009", *mine]
    assert (none, nothing) == ([], 0)
    assert earlier == 1  # only 2026-000003 was 1 h late six hours ago


async def test_urges_are_counted_per_case_and_per_grid_in_a_period(
    db: Database, seed: Seed
) -> None:
    await add_other_grid(db)
    async with db.uow() as uow:
        here = await uow.cases.add(make_case(seed, "2026-000001", status=S.ASSIGNED))
        there = await uow.cases.add(
            make_case(
                seed, "2026-000002", status=S.ASSIGNED, grid_code=OTHER_GRID, unit_code=OTHER_GRID
            )
        )
        quiet = await uow.cases.add(make_case(seed, "2026-000003", status=S.ASSIGNED))
        assert here.id and there.id and quiet.id
        for case_id, action, at in (
            (here.id, "urge", T0),  # at the start: counted
            (here.id, "urge", T0 + 5 * H),
            (here.id, "remind", T0 + H),  # a reminder is no urge
            (here.id, "urge", T0 + 24 * H),  # at the end: the next period's
            (there.id, "urge", T0 + 2 * H),
            (quiet.id, "accept", T0 + 2 * H),
        ):
            await uow.cases.add_event(
                CaseEvent(case_id, action, seed.worker_id, at, S.ASSIGNED, S.ASSIGNED)
            )
        await uow.commit()

    end = T0 + 24 * H
    async with db.reader() as uow:
        counts = await uow.overdue.urge_counts([here.id, there.id, quiet.id])
        assert await uow.overdue.urge_counts([]) == {}
        assert await uow.overdue.count_urges([seed.grid], T0, end) == 2
        assert await uow.overdue.count_urges([seed.grid, OTHER_GRID], T0, end) == 3
        assert await uow.overdue.count_urges([OTHER_GRID], T0 + 3 * H, end) == 0
        assert await uow.overdue.count_urges([seed.grid], end, end + 24 * H) == 1
        assert await uow.overdue.count_urges([], T0, end) == 0
    assert counts == {here.id: 3, there.id: 1}
