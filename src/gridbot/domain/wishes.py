"""Micro-wishes (微心愿): their category, the claim and its expiry, and the points earned.

submitted → approved (the grid's branch secretary or leader) | rejected (with a reason) →
claimed (first claim wins) → fulfilled (the claimant, with a note or photo) → confirmed
(the reporter) → points to the claimant. A claim not fulfilled by ``claim_expires_at``
goes back to approved and is offered again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gridbot.domain.case import Case, CaseStatus
from gridbot.domain.org import Category, Role

CLAIM_HOURS = 72  # a claim not fulfilled within this (or by the wanted-by date) expires
WISH_POINTS = 10  # 积分 for a fulfilled wish the resident confirmed
TAKEN = (CaseStatus.CLAIMED, CaseStatus.FULFILLED, CaseStatus.CONFIRMED)
OPEN_WISH_STATUSES = (CaseStatus.APPROVED, CaseStatus.CLAIMED, CaseStatus.FULFILLED)
WISH_CATEGORY = "wish"
# Created on first use, inactive so that it never shows among the report categories;
# an org file may define a "wish" category to change its deadlines.
DEFAULT_WISH_CATEGORY = Category(
    code=WISH_CATEGORY,
    name="微心愿",
    name_en="Micro-wish",
    route_to=Role.BRANCH_SECRETARY,
    respond_hours=24,
    resolve_hours=24 * 30,
    follow_up_days=0,
    active=False,
)


def claim_expiry(case: Case, now: datetime) -> datetime:
    """A claim made ``now`` expires after CLAIM_HOURS, or at the wish's wanted-by date if
    that comes sooner."""
    expires = now + timedelta(hours=CLAIM_HOURS)
    if case.wanted_by is not None and now < case.wanted_by < expires:
        return case.wanted_by
    return expires


def is_report_category(category: Category) -> bool:
    """Whether reports and patrol hazards may be filed under it: open, and not the internal
    category of wishes."""
    return category.active and category.code != WISH_CATEGORY
