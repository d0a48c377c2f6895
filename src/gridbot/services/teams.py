"""The people around a case's grid: who routing, escalation and the deadline chase read."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.domain.orgtree import OrgTree
from gridbot.services.common import tree_around
from gridbot.services.ports import UnitOfWork

_WITH_DEPARTMENT = (Role.GRID_GUIDE, Role.DEPARTMENT_LIAISON)


@dataclass(frozen=True)
class Team:
    """The tree around the case's grid, every role held on the grid's chain (grid,
    community, street, district), and the people whose department routing reads (guides
    and liaisons), with those of the units asked for (``grid_team(..., people_on=...)``)."""

    tree: OrgTree
    assignments: Sequence[RoleAssignment]
    people: Mapping[int, Person]


async def grid_team(
    uow: UnitOfWork,
    grid_code: str,
    known: OrgTree | None = None,
    *,
    people_on: Collection[str] = (),
) -> Team:
    tree = await tree_around(uow, [grid_code], known)
    chain = [grid_code, *(u.code for u in tree.ancestors(grid_code))]
    assignments = await uow.people.assignments_on(chain)
    wanted = {
        a.person_id for a in assignments if a.role in _WITH_DEPARTMENT or a.unit_code in people_on
    }
    people = await uow.people.many(sorted(wanted)) if wanted else {}
    return Team(tree, assignments, people)
