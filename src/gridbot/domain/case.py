"""Cases (issues 诉求, hazards 隐患, micro-wishes 微心愿), their events, ratings and visits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CaseKind(StrEnum):
    ISSUE = "issue"
    HAZARD = "hazard"
    WISH = "wish"


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ESCALATED = "escalated"
    TRANSFERRED = "transferred"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    # micro-wish only
    APPROVED = "approved"
    CLAIMED = "claimed"
    FULFILLED = "fulfilled"
    CONFIRMED = "confirmed"


class CaseLevel(StrEnum):
    GRID = "grid"
    COMMUNITY = "community"
    STREET = "street"
    DEPARTMENT = "department"


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class RatingValue(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASIC = "basically_satisfied"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class ReturnReason(StrEnum):
    """Why a case is returned (退回) instead of being taken up."""

    DUPLICATE = "duplicate"  # 重复: the same problem is already a case
    OUT_OF_SCOPE = "out_of_scope"  # 不属于受理范围


class FollowUpOutcome(StrEnum):
    NO_RECURRENCE = "no_recurrence"  # 回访正常
    RECURRED = "recurred"  # 问题反复


@dataclass(frozen=True)
class Location:
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        """(latitude, longitude) when the place was shared on a map."""
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude


@dataclass
class Case:
    number: str  # 2026-000123
    kind: CaseKind
    category_code: str
    text: str
    reporter_id: int | None
    grid_code: str
    created_at: datetime
    status: CaseStatus = CaseStatus.SUBMITTED
    level: CaseLevel = CaseLevel.GRID
    unit_code: str = ""  # the unit now handling it (grid, community, street)
    priority: Priority = Priority.NORMAL
    assignee_id: int | None = None
    department: str | None = None
    photos: list[str] = field(default_factory=list)
    location: Location | None = None
    public: bool = False
    anonymous: bool = False
    source_chat_id: int | None = None
    respond_by: datetime | None = None
    resolve_by: datetime | None = None
    accepted_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    reopen_count: int = 0
    affected_count: int = 0
    on_the_spot: bool = False  # 现场整改: a patrol hazard fixed where found
    claimant_id: int | None = None  # micro-wish
    wanted_by: datetime | None = None  # micro-wish: by when
    claim_expires_at: datetime | None = None
    id: int | None = None

    @property
    def is_wish(self) -> bool:
        return self.kind == CaseKind.WISH


@dataclass(frozen=True)
class CaseEvent:
    """One line of the audit trail: every transition, with who, when and why."""

    case_id: int
    action: str
    actor_id: int | None
    at: datetime
    from_status: CaseStatus | None
    to_status: CaseStatus
    note: str | None = None
    attachments: tuple[str, ...] = ()
    level: CaseLevel | None = None
    assignee_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Rating:
    case_id: int
    value: RatingValue
    rated_by: int | None
    at: datetime
    comment: str | None = None
    id: int | None = None


@dataclass
class Visit:
    """回访: the follow-up after resolution, by whoever handled the case."""

    case_id: int
    visitor_id: int
    due_at: datetime
    done_at: datetime | None = None
    outcome: FollowUpOutcome | None = None
    note: str | None = None
    id: int | None = None
