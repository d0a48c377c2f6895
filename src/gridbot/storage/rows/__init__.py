"""ORM rows, one module per group of aggregates; each row converts to and from the domain."""

from gridbot.storage.rows.care import CarePersonRow, CareVisitRow, PointsRow
from gridbot.storage.rows.case import (
    CaseAffectedRow,
    CaseEventRow,
    CaseRow,
    CaseSequenceRow,
    RatingRow,
    VisitRow,
)
from gridbot.storage.rows.digests import DigestRow
from gridbot.storage.rows.invites import StaffInviteRow
from gridbot.storage.rows.messaging import DueItemRow, LeaseRow, OutboxRow
from gridbot.storage.rows.org import (
    CategoryRow,
    ChatBindingRow,
    OrgRevisionRow,
    OrgUnitRow,
    PersonRow,
    RoleAssignmentRow,
)
from gridbot.storage.rows.patrol import PatrolRow

__all__ = [
    "CarePersonRow",
    "CareVisitRow",
    "CaseAffectedRow",
    "CaseEventRow",
    "CaseRow",
    "CaseSequenceRow",
    "CategoryRow",
    "ChatBindingRow",
    "DigestRow",
    "DueItemRow",
    "LeaseRow",
    "OrgRevisionRow",
    "OrgUnitRow",
    "OutboxRow",
    "PatrolRow",
    "PersonRow",
    "PointsRow",
    "RatingRow",
    "RoleAssignmentRow",
    "StaffInviteRow",
    "VisitRow",
]
