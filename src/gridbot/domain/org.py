"""The organisation: units and their tree, people, roles held on units, categories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class UnitLevel(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"
    BUILDING = "building"

    @property
    def depth(self) -> int:
        return list(UnitLevel).index(self)


class GridKind(StrEnum):
    RESIDENTIAL = "residential"  # 居民网格
    DEDICATED = "dedicated"  # 专属网格: enterprises, parks, institutions


class Role(StrEnum):
    RESIDENT = "resident"
    GRID_WORKER = "grid_worker"
    GRID_LEADER = "grid_leader"
    BRANCH_SECRETARY = "branch_secretary"
    GRID_GUIDE = "grid_guide"
    SERVICE_SPECIALIST = "service_specialist"
    BUILDING_LEADER = "building_leader"
    PARTY_MEMBER = "party_member"
    COMMUNITY_STAFF = "community_staff"
    DISPATCHER = "dispatcher"
    DEPARTMENT_LIAISON = "department_liaison"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


GRID_LEADERS = (Role.GRID_LEADER, Role.BRANCH_SECRETARY)
# Who may take up a micro-wish (认领): party members and volunteers of the grid.
WISH_HELPERS = (Role.PARTY_MEMBER, Role.SERVICE_SPECIALIST, Role.BUILDING_LEADER)


@dataclass
class OrgUnit:
    code: str
    name: str
    level: UnitLevel
    parent_code: str | None = None
    kind: GridKind | None = None  # grids only
    join_token: str = ""  # /start j_<token>
    bind_token: str = ""  # startgroup=b_<token>
    id: int | None = None
    name_en: str | None = None  # the name English speakers read, when the org file gives one

    def name_in(self, locale: str) -> str:
        """The unit's name as a person of ``locale`` reads it: the English name in English
        when there is one, else the (Chinese) name."""
        return self.name_en if locale == "en" and self.name_en else self.name


@dataclass
class Person:
    name: str
    phone: str | None = None
    telegram_id: int | None = None
    language: str | None = None  # None: follow the Telegram client's language
    invite_code: str | None = None  # /start inv_<code>, for staff without telegram_id
    department: str | None = None  # for guides and liaisons: police, urban_management, ...
    blocked_bot: bool = False
    id: int | None = None
    invited_at: datetime | None = None  # when ``invite_code`` was made (org import)

    def invite_lapsed(self, now: datetime, valid: timedelta) -> bool:
        """An org file's invite is accepted once, within ``valid`` of being made; one with
        no date (made before invites had one, then dated by migration 0015) never lapses."""
        return self.invited_at is not None and now >= self.invited_at + valid


@dataclass(frozen=True)
class RoleAssignment:
    person_id: int
    role: Role
    unit_code: str
    on_duty: bool = True


@dataclass
class Category:
    code: str
    name: str
    route_to: Role = Role.GRID_WORKER
    department: str | None = None
    respond_hours: float = 2
    resolve_hours: float = 72
    follow_up_days: float = 3
    requires_evidence: bool = False
    active: bool = True
    name_en: str | None = None
    id: int | None = None


@dataclass
class Staff:
    """A person together with every role they hold, as the policy sees them."""

    person: Person
    roles: list[RoleAssignment] = field(default_factory=list)

    def holds(self, role: Role) -> bool:
        return any(a.role == role for a in self.roles)

    def units_for(self, role: Role) -> list[str]:
        return [a.unit_code for a in self.roles if a.role == role]
