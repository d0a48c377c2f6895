"""The words of the workbook and the chart, in the reader's language (the bot's gettext
catalogs, through the ``Renderer``): sheet names, column heads, the names of kinds,
statuses, levels and ratings, and the definitions written under the summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gridbot.domain.case import CaseKind, CaseLevel, CaseStatus, RatingValue
from gridbot.domain.org import Category, OrgUnit
from gridbot.services.notices import N_

SUMMARY_SHEET = N_("Summary")
CASES_SHEET = N_("Cases")
FIGURE_HEADS = (
    N_("Cases received"),
    N_("Cases accepted"),
    N_("Cases resolved"),
    N_("Cases closed"),
    N_("Cases open"),
    N_("Cases overdue"),
    N_("Cases returned"),
    N_("Cases withdrawn"),
    N_("Response rate"),
    N_("Resolution rate"),
    N_("Satisfaction rate"),
    N_("On-time rate"),
    N_("In-grid rate"),
    N_("Reopen rate"),
    N_("Closed unrated"),
    N_("Median hours to accept"),
    N_("Median hours to resolve"),
)
CASE_HEADS = (
    N_("No."),
    N_("Kind"),
    N_("Category"),
    N_("Grid code"),
    N_("Grid"),
    N_("Status"),
    N_("Level"),
    N_("Received at"),
    N_("Accepted at"),
    N_("Resolved at"),
    N_("Closed at"),
    N_("Respond by"),
    N_("Resolve by"),
    N_("Rating"),
    N_("Reopened"),
)
NAMES: dict[str, str] = {
    CaseKind.ISSUE: N_("Issue"),
    CaseKind.HAZARD: N_("Hazard"),
    CaseStatus.SUBMITTED: N_("Submitted"),
    CaseStatus.ASSIGNED: N_("Assigned"),
    CaseStatus.IN_PROGRESS: N_("In progress"),
    CaseStatus.ESCALATED: N_("Escalated"),
    CaseStatus.TRANSFERRED: N_("Transferred"),
    CaseStatus.RESOLVED: N_("Resolved"),
    CaseStatus.CLOSED: N_("Closed"),
    CaseStatus.REJECTED: N_("Returned"),
    CaseStatus.CANCELLED: N_("Withdrawn"),
    CaseLevel.GRID: N_("Grid"),
    CaseLevel.COMMUNITY: N_("Community"),
    CaseLevel.STREET: N_("Street"),
    CaseLevel.DEPARTMENT: N_("Department"),
    RatingValue.SATISFIED: N_("Satisfied"),
    RatingValue.BASIC: N_("Basically satisfied"),
    RatingValue.UNSATISFIED: N_("Unsatisfied"),
}
# How each figure is counted (docs/metrics.md), written under the summary table.
DEFINITIONS = (
    N_(
        "Counts are of the issues and hazards received in the period (micro-wishes are "
        "counted apart), as they stand at the time above."
    ),
    N_(
        "Response rate: accepted by the response deadline, of the cases whose response "
        "deadline fell in the period and has passed or was met (returned and withdrawn "
        "cases owe no response)."
    ),
    N_("Resolution rate: resolved (closed since or not), of the cases received."),
    N_(
        "Satisfaction rate: satisfied and basically satisfied, of the cases rated (each "
        "case's latest rating)."
    ),
    N_("On-time rate: resolved by the resolution deadline, of the cases resolved."),
    N_("In-grid rate: closed at grid level, of the cases closed."),
    N_(
        "Reopen rate: resolved and reopened at least once before (an unsatisfied rating or "
        "a recurrence at the follow-up visit), of the cases resolved."
    ),
    N_("Closed unrated: closed without a rating of their last resolution, of the cases closed."),
    N_("Overdue: still open at the time above, past the deadline it is measured against now."),
)


@dataclass(frozen=True)
class Labels:
    """``t(msgid, **values)`` in one locale."""

    locale: str
    gettext: Callable[[str, str], str]  # (locale, msgid) → translation

    def t(self, msgid: str, /, **values: Any) -> str:
        text = self.gettext(self.locale, msgid)
        return text % values if values else text

    def name(self, value: str | None) -> str:
        """The name of a kind, status, level or rating; "" for None."""
        if value is None:
            return ""
        msgid = NAMES.get(value)
        return self.t(msgid) if msgid is not None else str(value)

    def category(self, category: Category | None, code: str) -> str:
        if category is None:
            return code
        if self.locale == "en" and category.name_en:
            return category.name_en
        return category.name

    def unit(self, unit: OrgUnit) -> str:
        return unit.name_in(self.locale)
