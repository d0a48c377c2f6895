"""Key residents (重点人群) and their visits; points for fulfilling wishes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class CarePerson:
    """Sensitive: only the assigned worker, the grid leader and unit supervisors may see one."""

    name: str
    grid_code: str
    reason: str  # elderly living alone, disabled, ...
    worker_id: int
    visit_interval_days: int = 7
    address: str | None = None
    phone: str | None = None
    last_visit_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class CareVisit:
    care_person_id: int
    visitor_id: int
    at: datetime
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class PointsEntry:
    person_id: int
    points: int
    reason: str
    at: datetime
    case_id: int | None = None
    id: int | None = None
