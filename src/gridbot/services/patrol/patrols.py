"""Patrols (巡查): start and end a round of one's grid, and report a hazard found on it
(巡查上报), fixed on the spot (现场整改) or left as a case the finder owns."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import Case, CaseKind, Location, Priority
from gridbot.domain.deadlines import compute_deadlines
from gridbot.domain.errors import NoPatrol, PatrolUnderWay, ValidationFailed
from gridbot.domain.messaging import DueKind
from gridbot.domain.org import Category, OrgUnit
from gridbot.domain.patrol import Patrol, hazard_trail, patrol_grid
from gridbot.domain.texts import check_photos, check_text
from gridbot.services.common import record, schedule
from gridbot.services.context import Actor, Context, known
from gridbot.services.reports.entry import report_category


@dataclass(frozen=True)
class PatrolCommand:
    actor: Actor | None


class StartPatrol(PatrolCommand):
    pass


class EndPatrol(PatrolCommand):
    pass


class OpenDesk(PatrolCommand):
    pass


@dataclass(frozen=True)
class ReportHazard(PatrolCommand):
    category_code: str = ""
    text: str = ""
    photos: tuple[str, ...] = ()
    location: Location | None = None
    fixed_on_spot: bool = False


@dataclass(frozen=True)
class PatrolDesk:
    """What /patrol shows before anything is done: the worker's grid, their open patrol,
    and the categories a hazard found on the way can be filed under."""

    grid: OrgUnit
    patrol: Patrol | None  # the open patrol, if any
    categories: tuple[Category, ...]


async def patrol_desk(cmd: OpenDesk, ctx: Context) -> PatrolDesk:
    """NotBound for a stranger, PermissionDenied for someone who patrols no grid."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        patrol = await uow.patrols.open_for(actor.id)
        code = patrol.grid_code if patrol is not None else patrol_grid(actor.staff, actor.tree)
        grid = actor.tree.get(code) if code in actor.tree else await uow.org.get_unit(code)
    assert grid is not None  # patrols are on known grids
    return PatrolDesk(grid, patrol, actor.org.report_categories)


async def start_patrol(cmd: StartPatrol, ctx: Context) -> Patrol:
    """Start a patrol of the worker's grid; PatrolUnderWay if one is already open."""
    actor = known(cmd.actor)
    async with ctx.writing() as uow:
        if await uow.patrols.open_for(actor.id) is not None:
            raise PatrolUnderWay(f"{actor.person.name} is already on patrol", person_id=actor.id)
        grid = patrol_grid(actor.staff, actor.tree)
        patrol = await uow.patrols.add(Patrol(actor.id, grid, started_at=ctx.clock.now()))
        await uow.commit()
    return patrol


async def end_patrol(cmd: EndPatrol, ctx: Context) -> Patrol:
    """End the worker's open patrol and return it with its counts; NoPatrol without one."""
    actor = known(cmd.actor)
    async with ctx.writing() as uow:
        patrol = await uow.patrols.open_for(actor.id)
        if patrol is None:
            raise NoPatrol(f"{actor.person.name} is not on patrol", person_id=actor.id)
        patrol.ended_at = ctx.clock.now()
        await uow.patrols.update(patrol)
        await uow.commit()
    return patrol


async def report_hazard(cmd: ReportHazard, ctx: Context) -> Case:
    """巡查上报: register a hazard the worker found, on the grid of their open patrol (else
    their own grid), assigned to and accepted by them. ``fixed_on_spot``: resolved at once
    (现场整改), which needs a photo when the category requires evidence. Nobody else is
    told: the worker who found it owns it."""
    actor, now = known(cmd.actor), ctx.clock.now()
    note, attachments = check_text(cmd.text), check_photos(cmd.photos)
    async with ctx.writing() as uow:
        category = await report_category(uow, actor, cmd.category_code)
        if cmd.fixed_on_spot and category.requires_evidence and not attachments:
            raise ValidationFailed("a fix on the spot needs a photo", code="evidence_required")
        patrol = await uow.patrols.open_for(actor.id)
        grid = patrol.grid_code if patrol is not None else patrol_grid(actor.staff, actor.tree)
        respond_by, resolve_by = compute_deadlines(category, Priority.NORMAL, now, ctx.tz)
        case = await uow.cases.add(
            Case(
                number=await uow.cases.next_number(now.astimezone(ctx.tz).year),
                kind=CaseKind.HAZARD,
                category_code=category.code,
                text=note,
                reporter_id=actor.id,
                grid_code=grid,
                unit_code=grid,
                created_at=now,
                photos=list(attachments),
                location=cmd.location,
                respond_by=respond_by,
                resolve_by=resolve_by,
                updated_at=now,
            )
        )
        await record(uow, case, *hazard_trail(case, actor.id, now, cmd.fixed_on_spot, attachments))
        if not cmd.fixed_on_spot and case.resolve_by is not None:
            await schedule(uow, DueKind.RESOLVE_DEADLINE, case.number, case.resolve_by)
        if patrol is not None:
            patrol.count(cmd.fixed_on_spot)
            await uow.patrols.update(patrol)
        await uow.commit()
    return case
