"""Patrols: start and end with counts, hazards reported on patrol, fixes on the spot."""

from __future__ import annotations

import pytest

from gridbot.domain.case import CaseKind, CaseStatus, Location
from gridbot.domain.errors import NoPatrol, PatrolUnderWay, PermissionDenied, ValidationFailed
from gridbot.domain.messaging import DueKind

from .conftest import LEADER, RESIDENT, T0, Town


async def test_a_patrol_counts_the_hazards_reported_and_those_fixed_on_the_spot(
    town: Town,
) -> None:
    patrol = await town.start()
    assert (patrol.grid_code, patrol.started_at, patrol.is_open) == ("DL-WX-LY-01", T0, True)
    town.clock.advance(minutes=20)
    fixed = await town.hazard(
        "safety", "楼道堆放杂物堵塞通道，已当场清理", photos=["p1"], fixed_on_spot=True
    )
    left = await town.hazard("env", "5号楼后垃圾桶破损", location=Location(39.1, 117.3))
    town.clock.advance(minutes=40)
    ended = await town.end()

    assert (ended.hazards, ended.fixed_on_spot, ended.ended_at) == (2, 1, T0.replace(hour=3))
    worker = ended.person_id
    assert fixed.kind == CaseKind.HAZARD and fixed.status == CaseStatus.RESOLVED
    assert fixed.on_the_spot and fixed.resolved_at == fixed.accepted_at == fixed.created_at
    assert (fixed.reporter_id, fixed.assignee_id, fixed.grid_code) == (
        worker,
        worker,
        "DL-WX-LY-01",
    )
    assert fixed.id is not None
    actions = [e.action for e in await town.events(fixed.id)]
    assert actions == ["submit", "assign", "accept", "resolve"]
    assert left.status == CaseStatus.IN_PROGRESS and not left.on_the_spot
    assert left.assignee_id == worker and left.location == Location(39.1, 117.3)
    due = [(i.kind, i.ref) for i in await town.due_items()]
    assert due == [(DueKind.RESOLVE_DEADLINE, left.number)]  # accepted at once; fixed is done
    assert await town.outbox() == []  # the finder owns it: nobody else is told


async def test_one_patrol_at_a_time_and_ending_without_one_is_refused(town: Town) -> None:
    with pytest.raises(NoPatrol):
        await town.end()
    await town.start()
    with pytest.raises(PatrolUnderWay):
        await town.start()
    await town.end()
    with pytest.raises(NoPatrol):
        await town.end()
    again = await town.start()
    assert again.is_open


async def test_only_grid_workers_and_leaders_patrol(town: Town) -> None:
    assert (await town.start(LEADER)).grid_code == "DL-WX-LY-01"
    for outsider in (RESIDENT, 1022):  # a resident, a street supervisor
        with pytest.raises(PermissionDenied):
            await town.start(outsider)
        with pytest.raises(PermissionDenied):
            await town.hazard("env", "路面破损", who=outsider)


async def test_a_fix_on_the_spot_of_a_category_needing_evidence_needs_a_photo(
    town: Town,
) -> None:
    await town.start()
    with pytest.raises(ValidationFailed):
        await town.hazard("repair", "路灯灯罩松动，已紧固", fixed_on_spot=True)
    with pytest.raises(ValidationFailed):
        await town.hazard("env", "   ")
    ended = await town.end()
    assert (ended.hazards, ended.fixed_on_spot) == (0, 0)
    fixed = await town.hazard("repair", "路灯灯罩松动，已紧固", photos=["p"], fixed_on_spot=True)
    assert fixed.status == CaseStatus.RESOLVED and fixed.on_the_spot


async def test_a_hazard_found_off_patrol_lands_on_the_workers_grid_uncounted(
    town: Town,
) -> None:
    case = await town.hazard("order", "占道经营", who=1003)
    assert case.grid_code == "DL-WX-LY-02" and case.status == CaseStatus.IN_PROGRESS
    patrol = await town.start(1003)
    assert patrol.hazards == 0
