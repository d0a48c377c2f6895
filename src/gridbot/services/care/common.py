"""What the care use cases share: the care person an actor may act on, the grid and its
team, and the due item of a person's next visit."""

from __future__ import annotations

from collections.abc import Sequence

from gridbot.domain.care import CarePerson, care_workers
from gridbot.domain.errors import NotFound, UnknownUnit
from gridbot.domain.messaging import DueKind
from gridbot.domain.org import OrgUnit, Person, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, require
from gridbot.services.common import reschedule, tree_around
from gridbot.services.context import Actor
from gridbot.services.ports import UnitOfWork


def due_ref(care_person_id: int) -> str:
    """The ``ref`` of a care person's CARE_VISIT due items."""
    return str(care_person_id)


async def acting_on_person(
    uow: UnitOfWork, actor: Actor, care_id: int, action: Action, *, lock: bool = False
) -> tuple[CarePerson, OrgTree]:
    """The care person, once policy lets the actor do ``action`` on them, with the tree
    around their grid; NotFound for one who is unknown or was removed."""
    person = await uow.care.get_person(care_id, lock=lock)
    if person is None or not person.active:
        raise NotFound(f"no care person {care_id}", care_person_id=care_id)
    tree = await tree_around(uow, [person.grid_code], actor.tree)
    require(actor.staff, action, tree=tree, care_person=person, unit_code=person.grid_code)
    return person, tree


async def acting_on_grid(
    uow: UnitOfWork, actor: Actor, grid_code: str, action: Action
) -> tuple[OrgUnit, OrgTree]:
    """A grid's care list, once policy lets the actor do ``action`` on it; UnknownUnit for
    a code that is not a grid."""
    tree = await tree_around(uow, [grid_code], actor.tree)
    if grid_code not in tree or tree.get(grid_code).level != UnitLevel.GRID:
        raise UnknownUnit(f"no grid {grid_code!r}", unit=grid_code)
    require(actor.staff, action, tree=tree, unit_code=grid_code)
    return tree.get(grid_code), tree


async def grid_team(uow: UnitOfWork, grid_code: str) -> list[Person]:
    """Who may be assigned to visit the grid's care persons, grid workers first."""
    ids = care_workers(await uow.people.assignments_on([grid_code]), grid_code)
    people = await uow.people.many(ids) if ids else {}
    return [people[i] for i in ids if i in people]


async def names_of(uow: UnitOfWork, person_ids: Sequence[int]) -> dict[int, str]:
    wanted = sorted(set(person_ids))
    people = await uow.people.many(wanted) if wanted else {}
    return {pid: person.name for pid, person in people.items()}


async def schedule_visit(uow: UnitOfWork, person: CarePerson) -> None:
    """One pending reminder, at the person's next visit: any other one is dropped (a visit
    was made, the interval or the worker changed)."""
    assert person.id is not None and person.next_visit_at is not None
    await reschedule(uow, DueKind.CARE_VISIT, due_ref(person.id), person.next_visit_at)


async def drop_visits(uow: UnitOfWork, person: CarePerson) -> None:
    assert person.id is not None
    await uow.due.cancel(DueKind.CARE_VISIT, due_ref(person.id))
