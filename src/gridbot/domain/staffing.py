"""A grid's team as its leader reads it (/team), and the invitations an administrator hands
out (/invite): who is on a grid's team, whether the bot can reach each of them, which roles
may be invited onto which levels, and an invitation's life (single use, until it expires)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.org import OrgUnit, Person, Role, UnitLevel

L = UnitLevel
# The order of a team's list: who leads first, then who handles, then who helps.
TEAM_ORDER = (
    Role.GRID_LEADER,
    Role.BRANCH_SECRETARY,
    Role.GRID_WORKER,
    Role.GRID_GUIDE,
    Role.PARTY_MEMBER,
    Role.SERVICE_SPECIALIST,
    Role.BUILDING_LEADER,
)
# Roles that hold cases on a grid: their open load is worth showing even when it is nil.
CASE_HANDLERS = (Role.GRID_LEADER, Role.BRANCH_SECRETARY, Role.GRID_WORKER, Role.GRID_GUIDE)
# The levels each role may be invited onto. Guides and liaisons are left to the org file:
# they route by their department, which an invitation does not carry.
INVITE_LEVELS: dict[Role, tuple[UnitLevel, ...]] = {
    Role.GRID_WORKER: (L.GRID,),
    Role.GRID_LEADER: (L.GRID,),
    Role.BRANCH_SECRETARY: (L.GRID, L.COMMUNITY),
    Role.PARTY_MEMBER: (L.GRID, L.COMMUNITY),
    Role.SERVICE_SPECIALIST: (L.GRID, L.COMMUNITY),
    Role.BUILDING_LEADER: (L.BUILDING,),
    Role.COMMUNITY_STAFF: (L.COMMUNITY,),
    Role.DISPATCHER: (L.STREET, L.COMMUNITY),
    Role.SUPERVISOR: (L.DISTRICT, L.STREET, L.COMMUNITY),
    Role.ADMIN: (L.DISTRICT, L.STREET, L.COMMUNITY),
}
INVITABLE = tuple(INVITE_LEVELS)
NEEDS_DEPARTMENT = (Role.GRID_GUIDE, Role.DEPARTMENT_LIAISON)
DEFAULT_INVITE_VALIDITY = timedelta(days=7)


class BotReach(StrEnum):
    """What the bot knows of whether it can write to a person. Telegram lets a bot write
    only to those who started it, so a delivered message is the proof; a Telegram id from
    the org file alone proves nothing."""

    REACHED = "reached"  # a message was delivered to their private chat
    UNKNOWN = "unknown"  # a Telegram account is known, nothing delivered there yet
    BLOCKED = "blocked"  # the last message was refused: blocked the bot, or never started it
    NOT_JOINED = "not_joined"  # no Telegram account yet: their invitation is not accepted


def reach_of(person: Person, delivered: bool) -> BotReach:
    if person.telegram_id is None:
        return BotReach.NOT_JOINED
    if person.blocked_bot:
        return BotReach.BLOCKED
    return BotReach.REACHED if delivered else BotReach.UNKNOWN


@dataclass(frozen=True)
class Load:
    """A handler's open issues and hazards (as /tasks lists them), and how many of them are
    past their current deadline (responding while unaccepted, else resolving)."""

    open: int = 0
    overdue: int = 0


def team_rank(role: Role) -> int:
    return TEAM_ORDER.index(role) if role in TEAM_ORDER else len(TEAM_ORDER)


def parse_role(text: str) -> Role:
    """A role an invitation may bring, by its code (``grid_worker``); ValidationFailed
    (``invite_role``, or ``invite_department`` for guides and liaisons) otherwise."""
    try:
        role = Role(text.strip().lower())
    except ValueError:
        raise ValidationFailed(f"unknown role {text!r}", code="invite_role") from None
    if role in NEEDS_DEPARTMENT:
        raise ValidationFailed(f"{role} needs a department", code="invite_department")
    if role not in INVITE_LEVELS:
        raise ValidationFailed(f"{role} is not invited", code="invite_role")
    return role


def invitable_at(role: Role, level: UnitLevel) -> bool:
    return level in INVITE_LEVELS.get(role, ())


def check_invite(role: Role, unit: OrgUnit) -> None:
    """ValidationFailed (``invite_level``) for a role on a unit of a level it is not held at
    (a grid worker of a street)."""
    if not invitable_at(role, unit.level):
        raise ValidationFailed(
            f"{role} is not held on a {unit.level}",
            code="invite_level",
            role=role.value,
            levels=[level.value for level in INVITE_LEVELS.get(role, ())],
        )


@dataclass
class StaffInvite:
    """An administrator's invitation (``/start inv_<code>``): whoever opens it first, before
    ``expires_at``, holds ``role`` on ``unit_code``; then it is used up."""

    code: str
    role: Role
    unit_code: str
    invited_by: int
    created_at: datetime
    expires_at: datetime
    accepted_by: int | None = None
    accepted_at: datetime | None = None
    id: int | None = None

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    @property
    def accepted(self) -> bool:
        return self.accepted_by is not None
