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
from gridbot.storage.rows.conversations import ConversationRow
from gridbot.storage.rows.digests import DigestRow
from gridbot.storage.rows.inbox import InboxRow
from gridbot.storage.rows.invites import StaffInviteRow
from gridbot.storage.rows.messaging import DueItemRow, LeaseRow, OutboxRow
from gridbot.storage.rows.org import (
    CategoryRow,
    ChatBindingRow,
    GridMoveRow,
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
    "ConversationRow",
    "DigestRow",
    "DueItemRow",
    "GridMoveRow",
    "InboxRow",
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
