"""What /start tells a person about themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment
from gridbot.domain.orgtree import OrgTree
from gridbot.services.context import Actor
from gridbot.services.notices.commands import CommandGroup, command_groups


@dataclass(frozen=True)
class RoleView:
    role: Role
    unit_code: str
    unit_name: str
    unit: OrgUnit | None = None

    def unit_name_in(self, locale: str) -> str:
        return self.unit.name_in(locale) if self.unit is not None else self.unit_name


@dataclass(frozen=True)
class PersonView:
    """The person (None for a stranger), their grids and their staff roles."""

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


def staff_roles(roles: list[RoleAssignment], tree: OrgTree) -> tuple[RoleView, ...]:
    """The person's roles other than resident, with the names of their units."""
    return tuple(
        RoleView(r.role, r.unit_code, tree.get(r.unit_code).name, tree.get(r.unit_code))
        if r.unit_code in tree
        else RoleView(r.role, r.unit_code, r.unit_code)
        for r in roles
        if r.role != Role.RESIDENT
    )


def describe_person(telegram_id: int, actor: Actor | None) -> PersonView:
    """Everything /start tells a person about themselves (the actor holds all of it)."""
    if actor is None:
        return PersonView(telegram_id=telegram_id)
    grids: dict[str, OrgUnit] = {}
    for role in actor.roles:
        if role.role == Role.RESIDENT and role.unit_code in actor.tree:
            grid = actor.tree.grid_of(role.unit_code)
            if grid is not None:
                grids.setdefault(grid.code, grid)
    return PersonView(
        telegram_id=telegram_id,
        person=actor.person,
        grids=tuple(grids.values()),
        staff_roles=staff_roles(actor.roles, actor.tree),
        groups=tuple(command_groups(actor.roles)),
        roles=tuple(actor.roles),
    )
