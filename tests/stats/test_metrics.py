"""The rates made of the counts (None when there is nothing to divide by), the composite
score of rankings, and when an open case is overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from gridbot.domain.case import Case, CaseKind, CaseStatus
from gridbot.domain.metrics import (
    COMPOSITE_WEIGHTS,
    Counts,
    Medians,
    composite_score,
    current_deadline,
    figures_of,
    is_overdue,
)

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
BUSY = Counts(
    received=20, accepted=18, resolved=16, closed=12, open=4, overdue=1,
    resolved_on_time=12, closed_in_grid=9, reopened=2, closed_unrated=3,
    satisfied=6, basically_satisfied=2, unsatisfied=1, response_due=10, responded_on_time=9,
)  # fmt: skip


def test_every_rate_divides_the_counts_of_its_definition() -> None:
    f = figures_of(BUSY, Medians(timedelta(minutes=20), timedelta(hours=30)))

    assert f.response_rate == pytest.approx(9 / 10)
    assert f.resolution_rate == pytest.approx(16 / 20)
    assert f.satisfaction_rate == pytest.approx(8 / 9)
    assert f.on_time_rate == pytest.approx(12 / 16)
    assert f.in_grid_rate == pytest.approx(9 / 12)
    assert f.reopen_rate == pytest.approx(2 / 16)
    assert f.unrated_share == pytest.approx(3 / 12)
    assert (f.median_response, f.median_resolution) == (
        timedelta(minutes=20),
        timedelta(hours=30),
    )
    assert f.counts is BUSY and BUSY.rated == 9


def test_a_rate_with_nothing_to_divide_by_is_none_not_zero() -> None:
    f = figures_of(Counts())
    rates = [
        f.response_rate,
        f.resolution_rate,
        f.satisfaction_rate,
        f.on_time_rate,
        f.in_grid_rate,
        f.reopen_rate,
        f.unrated_share,
    ]
    assert rates == [None] * 7
    assert (f.median_response, f.median_resolution) == (None, None)
    received_only = figures_of(Counts(received=3))
    assert received_only.resolution_rate == 0.0 and received_only.on_time_rate is None
    unrated = figures_of(Counts(received=1, resolved=1, closed=1, closed_unrated=1))
    assert unrated.satisfaction_rate is None and unrated.unrated_share == 1.0


def test_counts_add_up_field_by_field() -> None:
    assert BUSY + Counts() == BUSY
    assert (BUSY + BUSY).received == 40 and (BUSY + BUSY).rated == 18


def test_the_composite_score_weighs_the_four_rates() -> None:
    assert COMPOSITE_WEIGHTS == {
        "response_rate": 0.3,
        "resolution_rate": 0.3,
        "satisfaction_rate": 0.3,
        "on_time_rate": 0.1,
    }
    f = figures_of(BUSY)
    expected = 0.3 * 0.9 + 0.3 * 0.8 + 0.3 * 8 / 9 + 0.1 * 0.75
    assert composite_score(f) == pytest.approx(expected)
    assert f.score == composite_score(f)


def test_the_composite_score_leaves_out_a_rate_that_does_not_exist() -> None:
    # Nothing rated: response, resolution and on-time weigh 0.3, 0.3, 0.1 of 0.7.
    f = figures_of(replace(BUSY, satisfied=0, basically_satisfied=0, unsatisfied=0))
    assert f.satisfaction_rate is None
    assert composite_score(f) == pytest.approx((0.3 * 0.9 + 0.3 * 0.8 + 0.1 * 0.75) / 0.7)
    only_received = figures_of(Counts(received=4, resolved=1, resolved_on_time=1))
    assert composite_score(only_received) == pytest.approx((0.3 * 0.25 + 0.1 * 1.0) / 0.4)
    assert composite_score(figures_of(Counts())) is None


def case(status: CaseStatus, **changes: object) -> Case:
    made = Case(
        "2026-000001", CaseKind.ISSUE, "env", "路灯不亮", 1, "G", NOW - timedelta(days=2),
        status=status, respond_by=NOW - timedelta(hours=1), resolve_by=NOW + timedelta(hours=1),
    )  # fmt: skip
    return replace(made, **changes)


def test_a_waiting_case_is_measured_by_its_response_deadline_a_handled_one_by_resolution() -> None:
    waiting = [CaseStatus.SUBMITTED, CaseStatus.ASSIGNED, CaseStatus.ESCALATED]
    waiting.append(CaseStatus.TRANSFERRED)
    for status in waiting:
        assert is_overdue(case(status), NOW)
        assert current_deadline(case(status)) == NOW - timedelta(hours=1)
    handled = case(CaseStatus.IN_PROGRESS)
    assert not is_overdue(handled, NOW)
    assert is_overdue(handled, NOW + timedelta(hours=2))
    assert not is_overdue(case(CaseStatus.ASSIGNED), NOW - timedelta(hours=1))  # not before


@pytest.mark.parametrize(
    "status",
    [CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.CANCELLED],
)
def test_a_case_no_longer_open_is_never_overdue(status: CaseStatus) -> None:
    late = case(status, resolve_by=NOW - timedelta(days=1))
    assert current_deadline(late) is None and not is_overdue(late, NOW)
