"""The grid leader's register of care persons: add one (in chat), change their worker or
visit interval, take them off the list. Each keeps the person's one pending reminder at
their next visit."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.care import (
    MAX_ADDRESS,
    MAX_NAME,
    CarePerson,
    check_category,
    check_interval,
    check_line,
    check_phone,
    check_worker,
)
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.org import OrgUnit, Person
from gridbot.domain.policy import Action
from gridbot.services.care.board import CareCard, card_of
from gridbot.services.care.common import (
    acting_on_grid,
    acting_on_person,
    drop_visits,
    grid_team,
    schedule_visit,
)
from gridbot.services.care.messages import tell_assigned
from gridbot.services.context import Actor, Context, known


@dataclass(frozen=True)
class CareTeamOf:
    """Who may be assigned on a grid (``grid_code``), or on a care person's grid."""

    actor: Actor | None
    grid_code: str | None = None
    care_id: int | None = None


@dataclass(frozen=True)
class CareTeam:
    grid: OrgUnit
    workers: tuple[Person, ...]
    person: CarePerson | None = None  # asked about a care person: they


@dataclass(frozen=True)
class AddCarePerson:
    actor: Actor | None
    grid_code: str
    name: str
    category: str
    interval_days: int
    worker_id: int
    address: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class ReassignCare:
    actor: Actor | None
    care_id: int
    worker_id: int


@dataclass(frozen=True)
class ChangeInterval:
    actor: Actor | None
    care_id: int
    days: int


@dataclass(frozen=True)
class RemoveCarePerson:
    actor: Actor | None
    care_id: int


async def care_team(cmd: CareTeamOf, ctx: Context) -> CareTeam:
    """The grid and its team (and the care person asked about), for the grid leader who
    adds, reassigns or removes; PermissionDenied for anyone else."""
    actor = known(cmd.actor)
    person: CarePerson | None = None
    async with ctx.reading() as uow:
        if cmd.care_id is not None:
            person, tree = await acting_on_person(uow, actor, cmd.care_id, Action.MANAGE_CARE)
            grid = tree.get(person.grid_code)
        else:
            grid, _ = await acting_on_grid(uow, actor, cmd.grid_code or "", Action.MANAGE_CARE)
        return CareTeam(grid, tuple(await grid_team(uow, grid.code)), person)


async def add_care_person(cmd: AddCarePerson, ctx: Context) -> CareCard:
    """Register a care person on the grid: their first visit falls due ``interval_days``
    after today. The same name with the same phone twice on a grid is refused
    (care_duplicate), so a double tap adds nobody twice."""
    actor, now = known(cmd.actor), ctx.clock.now()
    person = CarePerson(
        name=check_line(cmd.name, MAX_NAME),
        grid_code=cmd.grid_code,
        category=check_category(cmd.category),
        worker_id=cmd.worker_id,
        visit_interval_days=check_interval(cmd.interval_days),
        address=check_line(cmd.address, MAX_ADDRESS) if cmd.address else None,
        phone=check_phone(cmd.phone) if cmd.phone else None,
        added_at=now,
    )
    person.schedule(ctx.tz)
    async with ctx.writing() as uow:
        grid, tree = await acting_on_grid(uow, actor, cmd.grid_code, Action.MANAGE_CARE)
        check_worker(cmd.worker_id, await uow.people.assignments_on([grid.code]), grid.code)
        for other in await uow.care.of_grid(grid.code):
            if (other.name, other.phone) == (person.name, person.phone):
                raise ValidationFailed(f"{person.name} is already listed", code="care_duplicate")
        person = await uow.care.add_person(person)
        await schedule_visit(uow, person)
        card = await card_of(uow, ctx, actor, person, tree)
        await uow.commit()
    return card


async def reassign_care(cmd: ReassignCare, ctx: Context) -> CareCard:
    """Another worker of the grid visits the person from now on: the pending reminder
    goes to them (and only to them), and they are told."""
    actor = known(cmd.actor)
    async with ctx.writing() as uow:
        person, tree = await acting_on_person(
            uow, actor, cmd.care_id, Action.MANAGE_CARE, lock=True
        )
        check_worker(
            cmd.worker_id, await uow.people.assignments_on([person.grid_code]), person.grid_code
        )
        if person.worker_id != cmd.worker_id:
            person.worker_id = cmd.worker_id
            await uow.care.update_person(person)
            await schedule_visit(uow, person)
            worker = await uow.people.get(cmd.worker_id)
            if worker is not None:
                await tell_assigned(
                    uow, ctx, person, worker, tree.get(person.grid_code), actor.person
                )
        card = await card_of(uow, ctx, actor, person, tree)
        await uow.commit()
    return card


async def change_interval(cmd: ChangeInterval, ctx: Context) -> CareCard:
    """A new interval: the next visit is counted again from the last one."""
    actor, days = known(cmd.actor), check_interval(cmd.days)
    async with ctx.writing() as uow:
        person, tree = await acting_on_person(
            uow, actor, cmd.care_id, Action.MANAGE_CARE, lock=True
        )
        if person.visit_interval_days != days:
            person.visit_interval_days = days
            person.schedule(ctx.tz)
            await uow.care.update_person(person)
            await schedule_visit(uow, person)
        card = await card_of(uow, ctx, actor, person, tree)
        await uow.commit()
    return card


async def remove_care_person(cmd: RemoveCarePerson, ctx: Context) -> CarePerson:
    """Off the list (moved away, passed away, no longer in need): no more reminders; the
    visits made are kept."""
    actor = known(cmd.actor)
    async with ctx.writing() as uow:
        person, _ = await acting_on_person(uow, actor, cmd.care_id, Action.MANAGE_CARE, lock=True)
        person.removed_at = ctx.clock.now()
        await uow.care.update_person(person)
        await drop_visits(uow, person)
        await uow.commit()
    return person
