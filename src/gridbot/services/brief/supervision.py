"""The supervisors' part of the morning brief: for each unit a supervisor holds (a unit
under another of theirs is part of that one), yesterday's figures (``compute_stats`` over
the day: the definitions of docs/metrics.md), the cases overdue now and the grids with the
most of them. A unit with nothing received yesterday, no response owed and nothing overdue
is left out; a supervisor left with no unit gets nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from gridbot.domain.metrics import Period, day_period
from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.domain.supervision import UnitDay, supervised_tops, worst_grids
from gridbot.services.orgcache import Organisation
from gridbot.services.overdue import grids_of
from gridbot.services.ports import UnitOfWork
from gridbot.services.stats import compute_stats


async def supervisors_days(
    uow: UnitOfWork, org: Organisation, now: datetime, tz: tzinfo
) -> dict[int, list[UnitDay]]:
    """By supervisor (person id): their units that have something to say this morning."""
    tree = org.tree
    staffed = [u.code for u in tree if u.level != UnitLevel.BUILDING]
    tops = supervised_tops(await uow.people.assignments_on(staffed), tree)
    yesterday = day_period(now.astimezone(tz).date() - timedelta(days=1), tz)
    seen: dict[str, UnitDay] = {}
    found: dict[int, list[UnitDay]] = {}
    for person_id, codes in sorted(tops.items()):
        for code in codes:
            if code not in seen:
                seen[code] = await unit_day(uow, org, tree.get(code), yesterday, now)
            if not seen[code].quiet:
                found.setdefault(person_id, []).append(seen[code])
    return found


async def unit_day(
    uow: UnitOfWork, org: Organisation, unit: OrgUnit, day: Period, now: datetime
) -> UnitDay:
    """``unit``'s figures over ``day``, and its overdue cases at ``now`` by grid."""
    stats = await compute_stats(uow, org, unit, day, now)
    by_grid = await uow.overdue.count_overdue_by_grid(grids_of(org.tree, unit), now)
    return UnitDay(unit, day, stats.figures, sum(by_grid.values()), worst_grids(by_grid, org.tree))
