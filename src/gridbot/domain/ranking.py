"""Rankings (/rank) and trends (/grid): grids, or a community's workers, ordered by the
composite score (``metrics.composite_score``) as it is shown, in points to one decimal;
a documented rule for ties; those with too few cases to judge set apart rather than
ranked. docs/metrics.md says the same in words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from gridbot.domain.metrics import Figures, composite_score

MIN_RECEIVED = 5  # fewer cases received (a worker: handled) than this: listed apart, unranked

T = TypeVar("T")


def points(rate: float | None) -> float | None:
    """A rate or a score in points out of 100, to one decimal, as every message shows it."""
    return None if rate is None else round(rate * 100, 1)


def change_in_points(now: float | None, before: float | None) -> float | None:
    """How far a rate moved since the previous period, in points to one decimal (positive:
    up); None when either period has no such rate."""
    if now is None or before is None:
        return None
    return round((now - before) * 100, 1)


@dataclass(frozen=True)
class Placed(Generic[T]):
    """One contender of a ranking: its place (1 = best), or None when it had too few cases."""

    item: T
    place: int | None
    score: float | None  # points, as shown


def rank(
    items: Sequence[T], figures: Callable[[T], Figures], key: Callable[[T], str]
) -> list[Placed[T]]:
    """The ranked first, best first: the higher score in points to one decimal (so that two
    scores shown alike are a tie); on a tie, more cases received; then ``key`` in order (a
    grid's code, a worker's name). Places follow that order, one each. Then those with
    fewer than MIN_RECEIVED cases (or no score), unranked: most received first, then by
    ``key``."""
    judged: list[tuple[T, Figures, float | None]] = []
    apart: list[tuple[T, Figures, float | None]] = []
    for item in items:
        found = figures(item)
        score = points(composite_score(found))
        enough = score is not None and found.counts.received >= MIN_RECEIVED
        (judged if enough else apart).append((item, found, score))
    judged.sort(key=lambda s: (-(s[2] or 0.0), -s[1].counts.received, key(s[0])))
    apart.sort(key=lambda s: (-s[1].counts.received, key(s[0])))
    return [Placed(item, place, score) for place, (item, _, score) in enumerate(judged, 1)] + [
        Placed(item, None, score) for item, _, score in apart
    ]
