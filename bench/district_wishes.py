"""How a synthetic micro-wish (微心愿) goes: approved by the grid's branch secretary (a few
rejected or withdrawn), claimed by a party member or volunteer (a claim now and then lapses
and the wish is claimed again), fulfilled, then rated by its poster: 满意 or 基本满意
confirm it and earn the volunteer points, a rare 不满意 gives it back, and some are never
rated and close after the reminder."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from gridbot.domain.wishes import CLAIM_HOURS, WISH_POINTS

from .district_cases import Draw
from .district_trail import Trail

HOUR = timedelta(hours=1)
RATE_REMIND_AFTER, CLOSE_UNRATED_AFTER = timedelta(hours=24), timedelta(hours=72)
WISH_RATINGS = ("rate_satisfied",) * 8 + ("rate_basic",)


def delay(rng: random.Random, median_hours: float, sigma: float) -> timedelta:
    """A log-normal delay around ``median_hours``."""
    return timedelta(hours=median_hours * math.exp(rng.gauss(0, sigma)))


class WishLife:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _delay(self, median_hours: float, sigma: float) -> timedelta:
        return delay(self.rng, median_hours, sigma)

    def play(self, trail: Trail, draw: Draw) -> None:
        """微心愿: approved by the branch secretary, claimed by a party member or volunteer,
        fulfilled, then rated (confirmed) by its poster; points to the volunteer."""
        rng, case, grid = self.rng, trail.case, draw.grid
        case["assignee_id"] = grid.secretary
        trail.step(timedelta(0), "submit", draw.reporter, "submitted")
        roll = rng.random()
        if roll < 0.06:
            trail.step(
                self._delay(8, 1), "reject", grid.secretary, "rejected", note="不属于微心愿范围"
            )
            return
        if roll < 0.08:
            trail.step(self._delay(24, 1), "cancel", draw.reporter, "cancelled")
            return
        if not trail.step(self._delay(6, 1), "approve", grid.secretary, "approved"):
            return
        for attempt in range(3):
            helper = rng.choice(grid.helpers)
            if not trail.step(self._delay(20, 1), "claim", helper, "claimed"):
                return
            case["claimant_id"] = helper
            expires = claim_expiry(case["wanted_by"], trail.at)
            case["claim_expires_at"] = expires
            if attempt == 2 or rng.random() >= 0.08:
                break
            if not trail.step(expires - trail.at, "expire_claim", None, "approved"):
                return
            case["claimant_id"] = case["claim_expires_at"] = None
        self._fulfil(trail, draw, case["claimant_id"], first=True)

    def _fulfil(self, trail: Trail, draw: Draw, helper: int, *, first: bool) -> None:
        case = trail.case
        limit = (case["claim_expires_at"] - trail.at) / HOUR
        if not trail.step(self._delay(min(24.0, limit / 3), 0.8), "fulfil", helper, "fulfilled",
                          note="已完成"):  # fmt: skip
            return
        rng = self.rng
        if rng.random() < 0.08:
            if trail.step(RATE_REMIND_AFTER, "rate_remind", None, "fulfilled"):
                trail.step(CLOSE_UNRATED_AFTER, "close", None, "closed")
            return
        unsatisfied = first and rng.random() < 0.02
        action = (
            "rate_unsatisfied"
            if unsatisfied
            else rng.choice(("rate_satisfied",) * 8 + ("rate_basic",))
        )
        if not trail.step(self._delay(4, 1), action, draw.reporter,
                          "claimed" if unsatisfied else "confirmed"):  # fmt: skip
            return
        if unsatisfied:
            case["claim_expires_at"] = claim_expiry(case["wanted_by"], trail.at)
            self._fulfil(trail, draw, helper, first=False)
            return
        trail.award(helper, WISH_POINTS)


def claim_expiry(wanted_by: datetime | None, now: datetime) -> datetime:
    """As ``gridbot.domain.wishes.claim_expiry``: CLAIM_HOURS, or the wanted-by date if
    that comes sooner."""
    expires = now + timedelta(hours=CLAIM_HOURS)
    if wanted_by is not None and now < wanted_by < expires:
        return wanted_by
    return expires
