"""How each synthetic case goes: the closed loop (docs/domain.md) with realistic delays and odds.

Issues and hazards are assigned at once (to the grid's worker, or a police or fire guide for
their categories), accepted after a delay around a quarter of the category's response time
(some late), now and then escalated to the community and the street (which whistles some
to a department), resolved after a delay around a fifth of the resolution time (some late),
then rated by the reporter: mostly 满意, some 基本满意, a few 不满意 that reopen the case
(重办), some never rated and closed after the reminder. A closed case gets its follow-up
visit (回访) the category's days later, a few of which find the problem back. A hazard
found on patrol is the worker's own, often fixed on the spot. Micro-wishes are approved,
claimed, fulfilled and confirmed, with points for the volunteer. Whatever falls after "now"
has not happened yet: recent cases are still open, and some of them are late.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, tzinfo

from gridbot.domain.case import Priority
from gridbot.domain.deadlines import compute_deadlines
from gridbot.domain.org import Role

from .district_cases import Draw
from .district_model import District
from .district_trail import Trail
from .district_wishes import CLOSE_UNRATED_AFTER, RATE_REMIND_AFTER, WishLife, delay

SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
STALL_WINDOW = timedelta(days=120)  # only recent cases may be stuck (and overdue) for good
FIRST_RATING = (("rate_satisfied", 0.80), ("rate_basic", 0.15), ("rate_unsatisfied", 0.05))
LATER_RATING = (("rate_satisfied", 0.60), ("rate_basic", 0.37), ("rate_unsatisfied", 0.03))
UNSATISFIED_NOTES = ("还是没有解决", "处理不彻底，问题依旧", "没有人来现场看过")
RETURN_NOTES = ("重复：已有相同诉求", "不属于受理范围")
MAX_REOPENS = 2


class Lives:
    """Plays out drawn cases on their ``Trail``."""

    def __init__(self, district: District, rng: random.Random, tz: tzinfo, now: datetime):
        self.district, self.rng, self.tz, self.now = district, rng, tz, now

    def play(self, trail: Trail, draw: Draw) -> None:
        case, category = trail.case, draw.category
        priority = Priority(case["priority"])
        case["respond_by"], case["resolve_by"] = compute_deadlines(
            category, priority, draw.at, self.tz
        )
        if draw.kind == "wish":
            WishLife(self.rng).play(trail, draw)
        elif draw.patrol:
            self._patrol_hazard(trail, draw)
        else:
            self._report(trail, draw)

    def _delay(self, median_hours: float, sigma: float) -> timedelta:
        return delay(self.rng, median_hours, sigma)

    def _report(self, trail: Trail, draw: Draw) -> None:
        rng, case, grid = self.rng, trail.case, draw.grid
        holder = self._first_holder(draw)
        submitted = trail.step(
            timedelta(0), "submit", draw.reporter, "submitted", attachments=tuple(case["photos"])
        )
        if not (submitted and trail.step(
            rng.randint(1, 5) * SECOND, "assign", None, "assigned",
            assignee=holder, level="grid", unit=grid.code,
        )):  # fmt: skip
            return
        respond = (case["respond_by"] - case["created_at"]) / HOUR
        roll = rng.random()
        if roll < 0.03:
            trail.step(self._delay(respond / 3, 1), "reject", holder, "rejected",
                       note=rng.choice(RETURN_NOTES))  # fmt: skip
            return
        if roll < 0.045:
            trail.step(self._delay(3, 1), "cancel", draw.reporter, "cancelled")
            return
        if not trail.step(self._delay(respond / 4, 1.0), "accept", holder, "in_progress"):
            return
        handler = self._escalations(trail, draw, holder)
        if handler is None or self._stalls(trail):
            return
        self._handle(trail, draw, handler, first=True)

    def _first_holder(self, draw: Draw) -> int:
        grid, category = draw.grid, draw.category
        if category.route_to == Role.GRID_GUIDE:
            return grid.police_guide if category.department == "police" else grid.fire_guide
        return grid.worker

    def _stalls(self, trail: Trail) -> bool:
        """A few recent cases get stuck in progress (they are the long-overdue ones)."""
        recent = self.now - trail.case["created_at"] < STALL_WINDOW
        return recent and self.rng.random() < 0.04

    def _escalations(self, trail: Trail, draw: Draw, holder: int) -> int | None:
        """上报 to the community (10%), on to the street (a third of those), whistled to a
        department (half of those); the new holder, None once past now."""
        rng = self.rng
        if rng.random() >= 0.10:
            return holder
        community = self.district.communities[draw.grid.community_id]
        staff = rng.choice(community.staff)
        if not self._hand_over(trail, 8, holder, staff, "community", community.code):
            return None
        if rng.random() >= 0.33:
            return staff
        street = self.district.streets[draw.grid.street_id]
        dispatcher = rng.choice(street.staff)
        if not self._hand_over(trail, 12, staff, dispatcher, "street", street.code):
            return None
        if rng.random() >= 0.5:
            return dispatcher
        department = rng.choice(list(street.liaisons))
        liaison = street.liaisons[department]
        trail.case["department"] = department
        if not self._hand_over(trail, 4, dispatcher, liaison, "department", None):
            return None
        return liaison

    def _hand_over(
        self, trail: Trail, hours: float, holder: int, to: int, level: str, unit: str | None
    ) -> bool:
        """Escalated (whistled, to a department) after about ``hours``; taken up an hour or
        so later (accepted; 报到 by the department)."""
        moving, taking = ("whistle", "report_for_duty") if level == "department" else (
            "escalate", "accept"
        )  # fmt: skip
        moved = trail.step(
            self._delay(hours, 1), moving, holder, "escalated", assignee=to, level=level, unit=unit
        )
        return moved and trail.step(self._delay(1, 1), taking, to, "in_progress")

    def _handle(self, trail: Trail, draw: Draw, holder: int, *, first: bool) -> None:
        """Progress, 办结, the rating and the follow-up; again after each 重办."""
        case, rng = trail.case, self.rng
        window = (case["resolve_by"] - trail.at) / HOUR
        slow = 1.8 if case["level"] != "grid" else 1.0
        resolve_in = self._delay(max(0.5, window) * 0.2 * slow, 0.9)
        if rng.random() < 0.3 and not trail.step(
            resolve_in / 2, "progress", holder, "in_progress", note="已联系相关人员，正在处理"
        ):
            return
        evidence = (f"bench-evidence-{case['id']}",) if draw.category.requires_evidence else ()
        if not trail.step(
            resolve_in / 2 if trail.events[-1]["action"] == "progress" else resolve_in,
            "resolve", holder, "resolved", note="已处理完毕", attachments=evidence,
        ):  # fmt: skip
            return
        reopened = self._rating(trail, draw, first=first)
        if reopened is None:
            return
        if not reopened:
            reopened = self._follow_up(trail, draw, holder)
        if reopened and case["reopen_count"] <= MAX_REOPENS:
            _, case["resolve_by"] = compute_deadlines(
                draw.category, Priority(case["priority"]), trail.at, self.tz
            )
            self._handle(trail, draw, holder, first=False)

    def _rating(self, trail: Trail, draw: Draw, *, first: bool) -> bool | None:
        """True: 不满意 reopened it; False: closed (rated or not); None: past now."""
        rng = self.rng
        if draw.patrol or rng.random() < 0.09:
            closed = trail.step(RATE_REMIND_AFTER, "rate_remind", None, "resolved") and trail.step(
                CLOSE_UNRATED_AFTER, "close", None, "closed"
            )
            return False if closed else None
        odds = FIRST_RATING if first else LATER_RATING
        roll, action = rng.random(), odds[-1][0]
        for name, share in odds:
            if roll < share:
                action = name
                break
            roll -= share
        if trail.case["reopen_count"] >= MAX_REOPENS and action == "rate_unsatisfied":
            action = "rate_basic"
        unsatisfied = action == "rate_unsatisfied"
        to = "in_progress" if unsatisfied else "closed"
        note = rng.choice(UNSATISFIED_NOTES) if unsatisfied else None
        if not trail.step(
            min(self._delay(3, 1.2), 20 * HOUR), action, draw.reporter, to, note=note
        ):
            return None
        return unsatisfied

    def _follow_up(self, trail: Trail, draw: Draw, holder: int) -> bool:
        """回访 the category's days after closing; True when the problem came back."""
        rng = self.rng
        visit = trail.open_visit(holder, trail.at + timedelta(days=draw.category.follow_up_days))
        if rng.random() < 0.03:
            return False  # never made: overdue once due
        done = timedelta(days=draw.category.follow_up_days) + self._delay(5, 1.0)
        recurred = rng.random() < 0.015 and trail.case["reopen_count"] < MAX_REOPENS
        action = "follow_up_recurred" if recurred else "follow_up_ok"
        note = "问题再次出现" if recurred else "回访正常"
        if not trail.step(done, action, holder, "in_progress" if recurred else "closed", note=note):
            return False
        visit.update(done_at=trail.at, note=note,
                     outcome="recurred" if recurred else "no_recurrence")  # fmt: skip
        return recurred

    def _patrol_hazard(self, trail: Trail, draw: Draw) -> None:
        """巡查上报: submitted, assigned to and accepted by its finder at once; 现场整改 often."""
        case, worker = trail.case, draw.grid.worker
        trail.step(timedelta(0), "submit", worker, "submitted", attachments=tuple(case["photos"]))
        trail.step(timedelta(0), "assign", worker, "assigned", assignee=worker, level="grid",
                   unit=draw.grid.code)  # fmt: skip
        trail.step(timedelta(0), "accept", worker, "in_progress")
        if self.rng.random() < 0.6:
            case["on_the_spot"] = True
            trail.step(timedelta(0), "resolve", worker, "resolved", note="现场整改")
            if self._rating(trail, draw, first=True) is False:
                self._follow_up(trail, draw, worker)
            return
        if not self._stalls(trail):
            self._handle(trail, draw, worker, first=True)
