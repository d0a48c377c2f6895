"""Key residents (重点人群), their care visits (走访), and points for fulfilling wishes.

A care person has a category, a visit interval and an assigned worker. A visit falls due
at VISIT_HOUR local time on the day the interval ends, counted from the last visit (from
the day the person was registered before the first one): never at night. Reminders go out
in the local daytime only. Care persons are sensitive: only the assigned worker, the grid
leader and supervisors of the unit may see one (``policy``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.org import Role, RoleAssignment
from gridbot.domain.texts import clean_text


class CareCategory(StrEnum):
    ELDERLY_ALONE = "elderly_alone"  # 独居老人
    EMPTY_NEST = "empty_nest"  # 空巢老人
    DISABLED = "disabled"  # 残疾人
    LEFT_BEHIND_CHILD = "left_behind_child"  # 留守儿童
    SERIOUSLY_ILL = "seriously_ill"  # 重病、失能人员
    LOW_INCOME = "low_income"  # 低保、特困家庭
    OTHER = "other"  # 其他


class VisitOutcome(StrEnum):
    NORMAL = "normal"  # 正常
    NEEDS_HELP = "needs_help"  # 需要帮助


# Who may be assigned to visit a care person: the grid's own team, on that grid.
CARE_WORKER_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.BRANCH_SECRETARY)
DEFAULT_INTERVAL_DAYS = 7
MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS = 1, 90
USUAL_INTERVALS = (3, 7, 14, 30)  # days, offered first when a person is added
VISIT_HOUR = time(9)  # local: when a visit falls due, and when a late reminder waits for
DAYTIME = (time(8), time(20))  # local: reminders only go out in these hours
REMIND_AGAIN_DAYS = 2  # a visit still not made is reminded again this many days later
MAX_NAME, MAX_ADDRESS, MAX_REF = 50, 200, 64
_PHONE = re.compile(r"\+?\d{5,20}")
_PHONE_SEPARATORS = re.compile(r"[\s-]")


@dataclass
class CarePerson:
    """Sensitive: only the assigned worker, the grid leader and unit supervisors may see one.

    ``next_visit_at`` (UTC) is when the next visit falls due; ``removed_at`` is set when
    the grid leader takes the person off the list (the visits are kept)."""

    name: str
    grid_code: str
    category: CareCategory
    worker_id: int
    visit_interval_days: int = DEFAULT_INTERVAL_DAYS
    address: str | None = None
    phone: str | None = None
    last_visit_at: datetime | None = None
    added_at: datetime | None = None
    next_visit_at: datetime | None = None
    removed_at: datetime | None = None
    ref: str | None = None  # the person's number in the office's ledger (台账编号), if any
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.removed_at is None

    def visits_from(self) -> datetime | None:
        """What the next visit is counted from: the last visit, else the registration."""
        return self.last_visit_at or self.added_at

    def schedule(self, tz: tzinfo) -> datetime | None:
        """Set and return ``next_visit_at`` from the last visit (or registration)."""
        since = self.visits_from()
        if since is not None:
            self.next_visit_at = next_visit_due(since, self.visit_interval_days, tz)
        return self.next_visit_at

    def visited(self, at: datetime, tz: tzinfo) -> datetime | None:
        """A visit made at ``at``: the next one is counted from the latest visit."""
        if self.last_visit_at is None or at > self.last_visit_at:
            self.last_visit_at = at
        return self.schedule(tz)

    def is_overdue(self, now: datetime) -> bool:
        return self.next_visit_at is not None and self.next_visit_at <= now


@dataclass(frozen=True)
class CareVisit:
    care_person_id: int
    visitor_id: int
    at: datetime
    note: str | None = None
    outcome: VisitOutcome = VisitOutcome.NORMAL
    photo: str | None = None  # a Telegram file_id
    case_id: int | None = None  # the case or wish raised on the spot, if any
    id: int | None = None


@dataclass(frozen=True)
class PointsEntry:
    person_id: int
    points: int
    reason: str
    at: datetime
    case_id: int | None = None
    id: int | None = None


def visit_due_on(day: date, tz: tzinfo) -> datetime:
    """VISIT_HOUR local time on ``day``, in UTC."""
    return datetime.combine(day, VISIT_HOUR, tzinfo=tz).astimezone(UTC)


def next_visit_due(since: datetime, interval_days: int, tz: tzinfo) -> datetime:
    """The visit after one made (or a registration) at ``since``: VISIT_HOUR local time,
    ``interval_days`` local days later, in UTC."""
    if since.tzinfo is None:
        raise ValueError(f"since must be timezone-aware, got {since!r}")
    return visit_due_on(since.astimezone(tz).date() + timedelta(days=interval_days), tz)


def in_daytime(at: datetime, tz: tzinfo) -> bool:
    start, end = DAYTIME
    return start <= at.astimezone(tz).time().replace(tzinfo=None) < end


def reminder_time(now: datetime, tz: tzinfo) -> datetime:
    """``now`` in the local daytime; else the next VISIT_HOUR (a reminder never wakes
    anyone), in UTC."""
    if in_daytime(now, tz):
        return now.astimezone(UTC)
    day = now.astimezone(tz).date()
    at = visit_due_on(day, tz)
    return at if at > now else visit_due_on(day + timedelta(days=1), tz)


def next_reminder(now: datetime, tz: tzinfo) -> datetime:
    """A visit still not made is reminded again REMIND_AGAIN_DAYS later, at VISIT_HOUR."""
    return visit_due_on(now.astimezone(tz).date() + timedelta(days=REMIND_AGAIN_DAYS), tz)


def check_interval(days: object) -> int:
    """Whole days from MIN_INTERVAL_DAYS to MAX_INTERVAL_DAYS; ValidationFailed else."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationFailed(f"interval {days!r} is not whole days", code="care_interval")
    if not MIN_INTERVAL_DAYS <= days <= MAX_INTERVAL_DAYS:
        raise ValidationFailed(
            f"interval of {days} days",
            code="care_interval",
            low=MIN_INTERVAL_DAYS,
            high=MAX_INTERVAL_DAYS,
        )
    return days


def check_category(value: str) -> CareCategory:
    try:
        return CareCategory(value)
    except ValueError:
        raise ValidationFailed(f"unknown care category {value!r}", code="care_category") from None


def check_outcome(value: str) -> VisitOutcome:
    try:
        return VisitOutcome(value)
    except ValueError:
        raise ValidationFailed(f"unknown visit outcome {value!r}", code="visit_outcome") from None


def check_line(text: str | None, limit: int) -> str:
    """One line of text (a name, an address): stripped, not empty, at most ``limit``
    characters; ValidationFailed (code text_empty / text_too_long) else."""
    cleaned = " ".join(clean_text(text).split())
    if not cleaned:
        raise ValidationFailed("the text is empty", code="text_empty", limit=limit)
    if len(cleaned) > limit:
        raise ValidationFailed(
            f"{len(cleaned)} characters, at most {limit}",
            code="text_too_long",
            limit=limit,
            length=len(cleaned),
        )
    return cleaned


def check_phone(text: str | None) -> str:
    """A phone number: 5-20 digits (spaces and dashes dropped, a leading + kept)."""
    phone = _PHONE_SEPARATORS.sub("", text or "")
    if not _PHONE.fullmatch(phone):
        raise ValidationFailed(f"{text!r} is not a phone number", code="care_phone")
    return phone


def care_workers(assignments: Iterable[RoleAssignment], grid_code: str) -> list[int]:
    """Who may be assigned to visit the care persons of a grid: those holding one of
    CARE_WORKER_ROLES on the grid itself, grid workers first, each once."""
    found: dict[int, int] = {}
    for assignment in assignments:
        if assignment.unit_code == grid_code and assignment.role in CARE_WORKER_ROLES:
            rank = CARE_WORKER_ROLES.index(assignment.role)
            found[assignment.person_id] = min(rank, found.get(assignment.person_id, rank))
    return sorted(found, key=lambda person_id: (found[person_id], person_id))


def check_worker(worker_id: int, assignments: Sequence[RoleAssignment], grid_code: str) -> int:
    if worker_id not in care_workers(assignments, grid_code):
        raise ValidationFailed(
            f"person {worker_id} is not on the team of {grid_code}",
            code="care_worker",
            person_id=worker_id,
        )
    return worker_id


def mentions_person(text: str, person: CarePerson) -> bool:
    """Whether a text for a case or wish names the care person or gives their phone: what
    a worker writes there is read by more people than the person's own worker."""
    squeezed = _PHONE_SEPARATORS.sub("", text)
    return person.name in text or bool(person.phone and person.phone in squeezed)
