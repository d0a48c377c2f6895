"""What a supervisor's morning brief says of each unit they supervise: yesterday's figures,
how many cases are overdue now, and the grids with the most of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gridbot.domain.metrics import Figures, Period
from gridbot.domain.org import OrgUnit, Role, RoleAssignment
from gridbot.domain.orgtree import OrgTree

WORST_GRIDS = 3  # grids named in a brief, the most overdue first


@dataclass(frozen=True)
class GridOverdue:
    grid: OrgUnit
    overdue: int


@dataclass(frozen=True)
class UnitDay:
    """One supervised unit in the brief: ``figures`` over ``day`` (yesterday), ``overdue``
    at the time of the brief, and ``worst``: the grids with the most overdue cases."""

    unit: OrgUnit
    day: Period
    figures: Figures
    overdue: int
    worst: tuple[GridOverdue, ...] = ()

    @property
    def quiet(self) -> bool:
        """Nothing received and no response owed yesterday, and nothing overdue now."""
        counts = self.figures.counts
        return counts.received == 0 and counts.response_due == 0 and self.overdue == 0


def worst_grids(
    overdue_by_grid: Mapping[str, int], tree: OrgTree, limit: int = WORST_GRIDS
) -> tuple[GridOverdue, ...]:
    """The grids with the most overdue cases (ties by code), those with none left out."""
    ranked = sorted(
        ((code, count) for code, count in overdue_by_grid.items() if count > 0 and code in tree),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(GridOverdue(tree.get(code), count) for code, count in ranked[:limit])


def supervised_tops(assignments: Iterable[RoleAssignment], tree: OrgTree) -> dict[int, list[str]]:
    """For each supervisor (by person id), the codes of the units they supervise, a unit
    under another of theirs left out (it is part of that one), highest first."""
    held: dict[int, set[str]] = {}
    for a in assignments:
        if a.role == Role.SUPERVISOR and a.unit_code in tree:
            held.setdefault(a.person_id, set()).add(a.unit_code)
    tops: dict[int, list[str]] = {}
    for person, codes in held.items():
        kept = [c for c in codes if not any(o != c and tree.is_within(c, o) for o in codes)]
        tops[person] = sorted(kept, key=lambda c: (tree.get(c).level.depth, c))
    return tops
