"""Who is talking to the bot: identification, what a person sees, which commands they get."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment, Staff, UnitLevel
from gridbot.domain.ports import UnitOfWork


class CommandGroup(StrEnum):
    """The chat command groups of DESIGN.md "Chat commands", in the order they are listed."""

    RESIDENT = "resident"
    WORKER = "worker"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Roles that handle cases get the worker commands (/tasks /patrol /visits /case).
_GROUPS_OF_ROLE: dict[Role, tuple[CommandGroup, ...]] = {
    Role.GRID_WORKER: (CommandGroup.WORKER,),
    Role.GRID_LEADER: (CommandGroup.WORKER, CommandGroup.LEADER),
    Role.BRANCH_SECRETARY: (CommandGroup.WORKER, CommandGroup.LEADER),
    Role.GRID_GUIDE: (CommandGroup.WORKER,),
    Role.COMMUNITY_STAFF: (CommandGroup.WORKER,),
    Role.DISPATCHER: (CommandGroup.WORKER,),
    Role.DEPARTMENT_LIAISON: (CommandGroup.WORKER,),
    Role.SUPERVISOR: (CommandGroup.SUPERVISOR,),
    Role.ADMIN: (CommandGroup.ADMIN,),
}


def command_groups(roles: Iterable[RoleAssignment]) -> list[CommandGroup]:
    """The command groups a person may use: everyone has the resident commands."""
    granted = {CommandGroup.RESIDENT}
    for assignment in roles:
        granted.update(_GROUPS_OF_ROLE.get(assignment.role, ()))
    return [group for group in CommandGroup if group in granted]


@dataclass(frozen=True)
class RoleView:
    role: Role
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class PersonView:
    """What /start shows: the person (None for a stranger), their grids and their staff roles."""

    telegram_id: int
    person: Person | None = None
    grids: tuple[OrgUnit, ...] = ()
    staff_roles: tuple[RoleView, ...] = ()
    groups: tuple[CommandGroup, ...] = (CommandGroup.RESIDENT,)
    roles: tuple[RoleAssignment, ...] = field(default=(), repr=False)

    @property
    def is_bound(self) -> bool:
        """Bound to at least one grid as a resident."""
        return bool(self.grids)

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_roles)


async def identify(uow: UnitOfWork, telegram_id: int) -> Staff | None:
    """The person behind a Telegram account with every role they hold, or None for a stranger."""
    person = await uow.people.by_telegram_id(telegram_id)
    if person is None or person.id is None:
        return None
    roles = await uow.people.roles_of(person.id)
    return Staff(person=person, roles=list(roles))


async def describe_person(uow: UnitOfWork, telegram_id: int) -> PersonView:
    """Everything /start tells a person about themselves."""
    staff = await identify(uow, telegram_id)
    if staff is None:
        return PersonView(telegram_id=telegram_id)
    grids: dict[str, OrgUnit] = {}
    staff_roles: list[RoleView] = []
    for assignment in staff.roles:
        unit = await uow.org.get_unit(assignment.unit_code)
        if assignment.role == Role.RESIDENT:
            grid = await _grid_of(uow, unit)
            if grid is not None:
                grids.setdefault(grid.code, grid)
        else:
            name = unit.name if unit is not None else assignment.unit_code
            staff_roles.append(RoleView(assignment.role, assignment.unit_code, name))
    return PersonView(
        telegram_id=telegram_id,
        person=staff.person,
        grids=tuple(grids.values()),
        staff_roles=tuple(staff_roles),
        groups=tuple(command_groups(staff.roles)),
        roles=tuple(staff.roles),
    )


async def _grid_of(uow: UnitOfWork, unit: OrgUnit | None) -> OrgUnit | None:
    """The grid a unit belongs to: itself, or the nearest grid above a building."""
    seen: set[str] = set()
    while unit is not None and unit.code not in seen:
        if unit.level == UnitLevel.GRID:
            return unit
        if unit.level != UnitLevel.BUILDING or unit.parent_code is None:
            return None
        seen.add(unit.code)
        unit = await uow.org.get_unit(unit.parent_code)
    return None


async def note_reachable(uow: UnitOfWork, person: Person) -> bool:
    """The person wrote to the bot in private, so the bot may write to them again (a 403 from
    a block, or from never having started the bot, marked them unreachable). True if it
    changed anything; the caller commits."""
    if not person.blocked_bot:
        return False
    person.blocked_bot = False
    await uow.people.save(person)
    return True
