"""Patrols (巡查): a grid worker's round of their grid, the hazards found on it (巡查上报),
those fixed where they were found (现场整改), and the daily patrol reminders (一日双巡).

A hazard found on patrol is assigned to the worker who found it and accepted at once: they
are the grid's worker and already there. A hazard fixed on the spot is resolved at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from gridbot.domain.case import Case, CaseEvent, CaseLevel, CaseStatus
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.org import Role, Staff, UnitLevel
from gridbot.domain.orgtree import OrgTree

# Who patrols a grid, in the order their grid is picked when they hold several roles.
PATROL_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.BRANCH_SECRETARY)
DEFAULT_PATROL_TIMES = (time(9, 0), time(15, 0))
# A reminder the scheduler runs this late (it was down) is skipped, not sent at dinner time.
STALE_AFTER = timedelta(hours=2)


@dataclass
class Patrol:
    person_id: int
    grid_code: str
    started_at: datetime
    ended_at: datetime | None = None
    hazards: int = 0  # hazards reported on this patrol
    fixed_on_spot: int = 0  # of which fixed where they were found (现场整改)
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def count(self, fixed: bool) -> None:
        """One more hazard reported on this patrol (and fixed on the spot, if so)."""
        self.hazards += 1
        self.fixed_on_spot += int(fixed)


def patrol_grid(staff: Staff, tree: OrgTree) -> str:
    """The grid a person patrols: the grid they work on (or lead); PermissionDenied else.
    ``tree`` must hold the person's units."""
    for role in PATROL_ROLES:
        for code in staff.units_for(role):
            if code in tree and tree.get(code).level == UnitLevel.GRID:
                return code
    raise PermissionDenied(
        f"{staff.person.name} works on no grid", action="patrol", person_id=staff.person.id
    )


def hazard_trail(
    case: Case, finder_id: int, now: datetime, fixed: bool, photos: Sequence[str]
) -> list[CaseEvent]:
    """The trail of a saved hazard found on patrol: submitted, assigned to and accepted by
    its finder, and resolved when fixed on the spot. Moves ``case`` along."""
    assert case.id is not None
    events = [
        CaseEvent(
            case_id=case.id,
            action=CaseAction.SUBMIT.value,
            actor_id=finder_id,
            at=now,
            from_status=None,
            to_status=CaseStatus.SUBMITTED,
            attachments=tuple(photos),
        ),
        apply(
            case,
            CaseAction.ASSIGN,
            actor_id=finder_id,
            now=now,
            assignee_id=finder_id,
            level=CaseLevel.GRID,
            unit_code=case.grid_code,
        ),
        apply(case, CaseAction.ACCEPT, actor_id=finder_id, now=now),
    ]
    if fixed:
        events.append(
            apply(
                case,
                CaseAction.RESOLVE,
                actor_id=finder_id,
                now=now,
                note=case.text,
                attachments=photos,
            )
        )
    case.on_the_spot = fixed
    return events


def parse_patrol_times(text: str) -> tuple[time, ...]:
    """``"09:00,15:00"`` → the sorted, distinct local times (``""``: none, no reminders);
    ValueError on anything else."""
    if not text.strip():
        return ()
    slots: set[time] = set()
    for part in text.split(","):
        hours, sep, minutes = part.strip().partition(":")
        if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValueError(f"patrol time {part.strip()!r} is not HH:MM")
        slots.add(time(int(hours), int(minutes)))  # ValueError when out of range
    return tuple(sorted(slots))


def format_patrol_times(times: Iterable[time]) -> str:
    return ",".join(slot.strftime("%H:%M") for slot in times)


def next_occurrence(slot: time, after: datetime, tz: tzinfo) -> datetime:
    """The first ``slot`` local time strictly after ``after``, in UTC."""
    day = after.astimezone(tz).date()
    at = datetime.combine(day, slot, tzinfo=tz)
    if at <= after:
        at = datetime.combine(day + timedelta(days=1), slot, tzinfo=tz)
    return at.astimezone(UTC)
