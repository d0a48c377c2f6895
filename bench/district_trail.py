"""One synthetic case's rows as its life unfolds: the case, its events, ratings, visit and
points, cut off at "now" (what had not happened by then is not written).

A step moves the case as ``gridbot.domain.lifecycle.apply`` does (the status, the first
acceptance, the resolution and closing times, 重办, the holder and the level), without the
domain objects: a million cases are written as plain row dicts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

ACCEPTING = frozenset({"accept", "report_for_duty"})
RESOLVING = frozenset({"resolve", "fulfil"})
REOPENING = frozenset({"rate_unsatisfied", "follow_up_recurred"})
MOVING = frozenset({"assign", "escalate", "transfer", "whistle"})
CLOSED = frozenset({"closed", "confirmed"})
RATING_VALUES = {
    "rate_satisfied": "satisfied",
    "rate_basic": "basically_satisfied",
    "rate_unsatisfied": "unsatisfied",
}


class Trail:
    """``step()`` records one event at ``at`` unless it falls after ``now``; from then on
    every step is refused (returns False) and the case stays as it was at ``now``."""

    def __init__(self, case: dict[str, Any], now: datetime) -> None:
        self.case = case
        self.now = now
        self.at = case["created_at"]
        self.events: list[dict[str, Any]] = []
        self.ratings: list[dict[str, Any]] = []
        self.visits: list[dict[str, Any]] = []
        self.points: list[dict[str, Any]] = []
        self.cut = False  # a step fell after now

    def step(
        self,
        after: timedelta,
        action: str,
        actor: int | None,
        status: str,
        *,
        assignee: int | None = None,
        level: str | None = None,
        unit: str | None = None,
        note: str | None = None,
        attachments: tuple[str, ...] = (),
    ) -> bool:
        at = self.at + after
        if self.cut or at > self.now:
            self.cut = True
            return False
        case = self.case
        before = case["status"] if self.events else None
        self.at = at
        case["status"] = status
        case["updated_at"] = at
        self._times(action, status, at)
        moved = action in MOVING
        if moved:
            case["assignee_id"] = assignee
            case["level"] = level or case["level"]
            case["unit_code"] = unit or case["unit_code"]
        elif action == "report_for_duty":
            case["assignee_id"] = actor
        self.events.append(
            {
                "case_id": case["id"],
                "action": action,
                "actor_id": actor,
                "at": at,
                "from_status": before,
                "to_status": status,
                "note": note,
                "attachments": list(attachments),
                "level": case["level"] if moved else None,
                "assignee_id": case["assignee_id"] if moved else None,
            }
        )
        if action in RATING_VALUES:
            self.ratings.append(
                {
                    "case_id": case["id"],
                    "value": RATING_VALUES[action],
                    "rated_by": actor,
                    "at": at,
                    "comment": note,
                }
            )
        return True

    def _times(self, action: str, status: str, at: datetime) -> None:
        case = self.case
        if action in ACCEPTING and case["accepted_at"] is None:
            case["accepted_at"] = at
        if action in RESOLVING:
            case["resolved_at"] = at
        if status in CLOSED and action != "follow_up_ok":
            case["closed_at"] = at
        if action in REOPENING:
            case["reopen_count"] += 1
            case["resolved_at"] = None
            case["closed_at"] = None

    def wait(self, after: timedelta) -> bool:
        """Time passes without an event; False once it passes ``now``."""
        if self.cut or self.at + after > self.now:
            self.cut = True
            return False
        self.at += after
        return True

    def open_visit(self, visitor: int, due_at: datetime) -> dict[str, Any]:
        """The follow-up visit (回访) made due when the case closes; done by ``record``."""
        visit = {
            "case_id": self.case["id"],
            "visitor_id": visitor,
            "due_at": due_at,
            "done_at": None,
            "outcome": None,
            "note": None,
        }
        self.visits.append(visit)
        return visit

    def award(self, person: int, points: int) -> None:
        self.points.append(
            {
                "person_id": person,
                "points": points,
                "reason": "wish_confirmed",
                "at": self.at,
                "case_id": self.case["id"],
            }
        )
