"""What supervisors read (三率 and more): the counts of a unit's cases over a period, the
rates made of them, and the composite score rankings use. docs/metrics.md defines every
figure; storage counts them in SQL, this module only divides.

Cases are issues and hazards (wishes are counted apart) whose grid lies at or under the
unit; the cohort of a period is the cases received (``created_at``) in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta

from gridbot.domain.case import CaseKind
from gridbot.domain.overdue import current_deadline, is_overdue
from gridbot.domain.periods import (
    MAX_RANGE_DAYS,
    Period,
    PeriodKind,
    day_period,
    local_midnight,
    month_period,
    parse_period,
    previous,
    quarter_period,
    range_period,
    week_period,
)

__all__ = [
    "CASE_KINDS",
    "COMPOSITE_WEIGHTS",
    "MAX_RANGE_DAYS",
    "Counts",
    "Figures",
    "MedianTimes",
    "Medians",
    "Period",
    "PeriodKind",
    "VisitCounts",
    "WishCounts",
    "composite_score",
    "current_deadline",
    "day_period",
    "figures_of",
    "is_overdue",
    "local_midnight",
    "month_period",
    "parse_period",
    "previous",
    "quarter_period",
    "range_period",
    "ratio",
    "week_period",
]

CASE_KINDS = (CaseKind.ISSUE, CaseKind.HAZARD)  # what the case figures count; wishes apart

# 综合得分 for rankings: the weight of each rate; a rate that does not exist for a unit
# (nothing to divide by) is left out and the others' weights are scaled up to sum to 1.
COMPOSITE_WEIGHTS: Mapping[str, float] = {
    "response_rate": 0.3,  # 响应率
    "resolution_rate": 0.3,  # 解决率
    "satisfaction_rate": 0.3,  # 满意率
    "on_time_rate": 0.1,  # 按期办结率
}


@dataclass(frozen=True)
class Counts:
    """Plain counts of one unit (or grid, or category) over one period, as SQL sums them.

    Of the cases received in the period: ``received``; ``accepted`` (ever accepted);
    ``resolved`` (resolved now: 办结, possibly closed since); ``closed``; ``open`` (not yet
    resolved, rejected or cancelled); ``overdue`` (open, current deadline passed);
    ``rejected`` (退回); ``cancelled`` (withdrawn); ``resolved_on_time`` (by ``resolve_by``);
    ``closed_in_grid`` (closed at grid level); ``reopened`` (resolved, reopened at least
    once before); ``closed_unrated`` (closed, and its last resolution got no rating);
    ``satisfied``, ``basically_satisfied``, ``unsatisfied`` (each case's latest rating).
    Of the cases whose response deadline falls in the period, excluding rejected and
    cancelled ones, and once it has passed or was met: ``response_due`` and
    ``responded_on_time`` (accepted by ``respond_by``).
    """

    received: int = 0
    accepted: int = 0
    resolved: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    rejected: int = 0
    cancelled: int = 0
    resolved_on_time: int = 0
    closed_in_grid: int = 0
    reopened: int = 0
    closed_unrated: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    response_due: int = 0
    responded_on_time: int = 0

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Counts)}
        )


@dataclass(frozen=True)
class Medians:
    """Median time to the first acceptance, and to the (current) resolution, from receipt."""

    response: timedelta | None = None
    resolution: timedelta | None = None


@dataclass(frozen=True)
class MedianTimes:
    """Medians of a unit's cohort: of all its cases, by category code, and by group (the
    unit's children, each a set of grids)."""

    total: Medians = Medians()
    by_category: Mapping[str, Medians] = field(default_factory=dict)
    by_group: Mapping[str, Medians] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    """The counts and every rate (None when there is nothing to divide by)."""

    counts: Counts
    response_rate: float | None  # 响应率: responded_on_time / response_due
    resolution_rate: float | None  # 解决率: resolved / received
    satisfaction_rate: float | None  # 满意率: (满意 + 基本满意) / rated
    on_time_rate: float | None  # 按期办结率: resolved_on_time / resolved
    in_grid_rate: float | None  # 网格内解决率: closed_in_grid / closed
    reopen_rate: float | None  # 重办率: reopened / resolved
    unrated_share: float | None  # 未评价结案: closed_unrated / closed
    median_response: timedelta | None = None
    median_resolution: timedelta | None = None

    @property
    def score(self) -> float | None:
        return composite_score(self)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures_of(counts: Counts, medians: Medians | None = None) -> Figures:
    c, m = counts, medians or Medians()
    return Figures(
        counts=c,
        response_rate=ratio(c.responded_on_time, c.response_due),
        resolution_rate=ratio(c.resolved, c.received),
        satisfaction_rate=ratio(c.satisfied + c.basically_satisfied, c.rated),
        on_time_rate=ratio(c.resolved_on_time, c.resolved),
        in_grid_rate=ratio(c.closed_in_grid, c.closed),
        reopen_rate=ratio(c.reopened, c.resolved),
        unrated_share=ratio(c.closed_unrated, c.closed),
        median_response=m.response,
        median_resolution=m.resolution,
    )


def composite_score(figures: Figures) -> float | None:
    """The weighted mean of the rates in COMPOSITE_WEIGHTS that exist, between 0 and 1;
    None when none does."""
    rates: dict[str, float | None] = {
        "response_rate": figures.response_rate,
        "resolution_rate": figures.resolution_rate,
        "satisfaction_rate": figures.satisfaction_rate,
        "on_time_rate": figures.on_time_rate,
        "in_grid_rate": figures.in_grid_rate,
    }
    weighted = [
        (weight, rate)
        for name, weight in COMPOSITE_WEIGHTS.items()
        if (rate := rates.get(name)) is not None
    ]
    total = sum(weight for weight, _ in weighted)
    if not weighted or total <= 0:
        return None
    return sum(weight * rate for weight, rate in weighted) / total


@dataclass(frozen=True)
class WishCounts:
    """Micro-wishes posted in the period, and of those the ones taken up by a helper
    (claimed now or beyond) and fulfilled (fulfilled, confirmed, or closed unrated)."""

    posted: int = 0
    claimed: int = 0
    fulfilled: int = 0


@dataclass(frozen=True)
class VisitCounts:
    """Follow-up visits (回访) due in the period: done, and overdue (not done, due before
    now); care visits (走访) made in the period; care persons whose visit is overdue now."""

    follow_ups_due: int = 0
    follow_ups_done: int = 0
    follow_ups_overdue: int = 0
    care_visits: int = 0
    care_overdue: int = 0
