"""The rules of a ranking on plain figures: the score as shown decides, a tie goes to more
cases received and then to the key, too few cases (or no score) are set apart; and the
change of a rate in points."""

from __future__ import annotations

from gridbot.domain.metrics import Counts, Figures, figures_of
from gridbot.domain.ranking import MIN_RECEIVED, change_in_points, points, rank


def grid(received: int, resolved: int, *, due: int = 0, on_time: int = 0) -> Figures:
    return figures_of(
        Counts(
            received=received,
            resolved=resolved,
            resolved_on_time=resolved,
            response_due=due,
            responded_on_time=on_time,
        )
    )


def order(items: dict[str, Figures]) -> list[tuple[str, int | None, float | None]]:
    placed = rank(list(items), figures=items.__getitem__, key=str)
    return [(p.item, p.place, p.score) for p in placed]


def test_the_higher_score_comes_first_and_places_follow_the_order() -> None:
    assert order({"B": grid(10, 5), "A": grid(10, 10), "C": grid(10, 2)}) == [
        ("A", 1, 100.0),  # resolution 100%, on time 100%
        ("B", 2, 62.5),  # resolution 50%, on time 100%: (0.3 × 0.5 + 0.1) / 0.4
        ("C", 3, 40.0),
    ]


def test_a_tie_goes_to_more_cases_received_then_to_the_key() -> None:
    items = {"G3": grid(6, 6), "G2": grid(8, 8), "G1": grid(6, 6)}
    assert order(items) == [("G2", 1, 100.0), ("G1", 2, 100.0), ("G3", 3, 100.0)]


def test_scores_shown_alike_are_a_tie_though_the_floats_differ() -> None:
    # 0.3 + 0.3 × 4/6 + … and 0.3 + 0.3 + 0.3 + 0.0 are both 90.0 shown, not equal floats.
    a = figures_of(
        Counts(
            received=6, resolved=4, resolved_on_time=4, satisfied=4,
            response_due=6, responded_on_time=6,
        )
    )  # fmt: skip
    b = figures_of(Counts(received=6, resolved=6, satisfied=6, response_due=6, responded_on_time=6))
    assert a.score != b.score and points(a.score) == points(b.score) == 90.0
    assert order({"B": b, "A": a}) == [("A", 1, 90.0), ("B", 2, 90.0)]


def test_too_few_cases_are_set_apart_most_received_first() -> None:
    items = {
        "G1": grid(MIN_RECEIVED, 0),
        "G2": grid(MIN_RECEIVED - 1, MIN_RECEIVED - 1),  # a perfect score, too few cases
        "G3": grid(0, 0),  # no score at all
        "G4": grid(2, 2),
    }
    assert order(items) == [
        ("G1", 1, 0.0),
        ("G2", None, 100.0),
        ("G4", None, 100.0),
        ("G3", None, None),
    ]


def test_the_change_of_a_rate_in_points() -> None:
    assert change_in_points(5 / 6, 1.0) == -16.7
    assert change_in_points(1.0, 0.5) == 50.0
    assert change_in_points(0.5, 0.5) == 0.0
    assert change_in_points(None, 0.5) is None and change_in_points(0.5, None) is None
    assert points(None) is None and points(0.95) == 95.0
