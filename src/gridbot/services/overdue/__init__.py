"""Supervision of deadlines: a unit's overdue cases (/overdue) for its supervisors and grid
leaders, and 督办 (urging) from that list through the workflow's urge."""

from gridbot.services.overdue.board import (
    PAGE_SIZE,
    OverdueBoard,
    OverdueEntry,
    OverdueOf,
    overdue_cases,
)
from gridbot.services.overdue.scope import grids_of, scope_units, unit_asked
from gridbot.services.overdue.urging import UrgedOverdue, UrgeOverdue, urge_overdue

__all__ = [
    "PAGE_SIZE",
    "OverdueBoard",
    "OverdueEntry",
    "OverdueOf",
    "UrgeOverdue",
    "UrgedOverdue",
    "grids_of",
    "overdue_cases",
    "scope_units",
    "unit_asked",
    "urge_overdue",
]
