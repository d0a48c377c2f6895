"""Registering a resident's report (立案) or micro-wish and dispatching it (派遣)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus, Location, Priority
from gridbot.domain.deadlines import compute_deadlines, end_of_local_date
from gridbot.domain.errors import (
    IllegalTransition,
    NoAssignee,
    NobodyReachable,
    RateLimited,
    ValidationFailed,
)
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.messaging import DueKind
from gridbot.domain.org import Category, OrgUnit, Person
from gridbot.domain.routing import Target, can_be_reached, escalation_target, route_new_case
from gridbot.domain.staffing import CASE_HANDLERS
from gridbot.domain.texts import MAX_REPORTS_PER_HOUR, check_photos, check_text
from gridbot.domain.wishes import DEFAULT_WISH_CATEGORY, WISH_CATEGORY
from gridbot.services.common import schedule
from gridbot.services.context import Actor, Context, known
from gridbot.services.notices.audience import grid_names, worker_groups
from gridbot.services.notices.table import GRID_UNREACHABLE
from gridbot.services.ports import UnitOfWork
from gridbot.services.reports.entry import report_category, reporting_grid, serving_grid
from gridbot.services.teams import Team, grid_team


@dataclass(frozen=True)
class NewReport:
    actor: Actor | None
    kind: CaseKind  # ISSUE or HAZARD
    category_code: str
    text: str
    photos: tuple[str, ...] = ()  # Telegram file_ids
    location: Location | None = None
    public: bool = False  # neighbours may follow its progress in the group
    source_chat_id: int | None = None  # the bound group it was started from
    priority: Priority = Priority.NORMAL
    grid_code: str | None = None  # staff filing for someone they serve (a care visit)


@dataclass(frozen=True)
class NewWish:
    actor: Actor | None
    text: str
    photos: tuple[str, ...] = ()
    wanted_by: date | None = None
    public: bool = False
    source_chat_id: int | None = None
    grid_code: str | None = None  # staff filing for someone they serve (a care visit)


async def submit_report(cmd: NewReport, ctx: Context) -> Case:
    """Register an issue or hazard, dispatch it and tell everyone concerned: the reporter
    gets the number, the assignee a case card, a public case's group a post."""
    actor, now = known(cmd.actor), ctx.clock.now()
    text, photos = check_text(cmd.text), check_photos(cmd.photos)
    if cmd.kind == CaseKind.WISH:
        raise ValidationFailed("a wish is posted with submit_wish", code="wrong_kind")
    async with ctx.reading() as uow:
        category = await report_category(uow, actor, cmd.category_code)
        landing = await _landing(
            uow, actor, cmd.source_chat_id, now, cmd.grid_code, public=cmd.public
        )
    respond_by, resolve_by = compute_deadlines(category, cmd.priority, now, ctx.tz)
    async with ctx.writing() as uow:
        case = await _register(
            uow,
            ctx,
            Case(
                number=await uow.cases.next_number(now.astimezone(ctx.tz).year),
                kind=cmd.kind,
                category_code=category.code,
                text=text,
                reporter_id=actor.id,
                grid_code=landing.grid.code,
                unit_code=landing.grid.code,
                created_at=now,
                priority=cmd.priority,
                photos=list(photos),
                location=cmd.location,
                public=cmd.public,
                source_chat_id=cmd.source_chat_id,
                respond_by=respond_by,
                resolve_by=resolve_by,
                updated_at=now,
            ),
            category,
            landing,
        )
        await schedule(uow, DueKind.RESPOND_DEADLINE, case.number, respond_by)
        await schedule(uow, DueKind.RESOLVE_DEADLINE, case.number, resolve_by)
        await uow.commit()
    return case


async def submit_wish(cmd: NewWish, ctx: Context) -> Case:
    """Post a micro-wish (微心愿): it waits for the grid's branch secretary to approve it."""
    actor, now = known(cmd.actor), ctx.clock.now()
    text, photos = check_text(cmd.text), check_photos(cmd.photos)
    wanted_by = _wanted_by(cmd.wanted_by, now, ctx)
    async with ctx.reading() as uow:
        landing = await _landing(
            uow, actor, cmd.source_chat_id, now, cmd.grid_code, public=cmd.public
        )
    async with ctx.writing() as uow:
        category = actor.org.category(WISH_CATEGORY) or await wish_category(uow)
        respond_by, resolve_by = compute_deadlines(category, Priority.NORMAL, now, ctx.tz)
        case = await _register(
            uow,
            ctx,
            Case(
                number=await uow.cases.next_number(now.astimezone(ctx.tz).year),
                kind=CaseKind.WISH,
                category_code=category.code,
                text=text,
                reporter_id=actor.id,
                grid_code=landing.grid.code,
                unit_code=landing.grid.code,
                created_at=now,
                photos=list(photos),
                public=cmd.public,
                source_chat_id=cmd.source_chat_id,
                respond_by=respond_by,
                resolve_by=wanted_by or resolve_by,
                wanted_by=wanted_by,
                updated_at=now,
            ),
            category,
            landing,
        )
        await schedule(uow, DueKind.RESPOND_DEADLINE, case.number, respond_by)
        await uow.commit()
    return case


@dataclass(frozen=True)
class _Landing:
    """Where a report lands, read before the write lock is taken (it changes rarely, and
    a busy writer should hold the lock for the writes only): the grid, its team with the
    people of the grid and its community (the first assignee and the secretary, as a
    rule), and the grid's workers' groups."""

    grid: OrgUnit
    team: Team
    worker_groups: list[int]
    people: Mapping[int, Person]  # the team's, and the reporter
    loads: Mapping[int, int]  # open cases held by each of those a case may be routed to
    names: tuple[str, ...] | None = None  # what a group post masks, when one will be sent

    @property
    def reachable(self) -> set[int]:
        return {pid for pid, person in self.team.people.items() if can_be_reached(person)}


async def _landing(
    uow: UnitOfWork,
    actor: Actor,
    source_chat_id: int | None,
    now: datetime,
    grid_code: str | None = None,
    *,
    public: bool = False,
) -> _Landing:
    """The hourly limit checked, then where the report lands: on ``grid_code`` when a
    staff member files on a grid they serve, else where ``reporting_grid`` says. When a
    group will hear of it (the grid's workers' group; its residents' group, if ``public``),
    the names its post must mask."""
    await _check_rate(uow, actor, now)
    if grid_code is not None:
        grid, tree = await serving_grid(uow, actor, grid_code)
    else:
        grid, tree = await reporting_grid(uow, actor, source_chat_id)
    near = [u.code for u in (grid, tree.parent(grid.code)) if u is not None]
    team = await grid_team(uow, grid.code, tree, people_on=near)
    groups = worker_groups(await uow.bindings.for_unit(grid.code))
    routed_to = sorted({a.person_id for a in team.assignments if a.role in CASE_HANDLERS})
    loads = await uow.cases.open_load(routed_to, now)  # one grouped count
    names = None
    if groups or public:
        names = await grid_names(uow, grid.code, actor.id, tree=tree, reporter=actor.person)
    return _Landing(
        grid,
        team,
        groups,
        {**team.people, actor.id: actor.person},
        {pid: load.open for pid, load in loads.items()},
        names,
    )


async def wish_category(uow: UnitOfWork) -> Category:
    category = await uow.categories.get(WISH_CATEGORY)
    if category is None:
        category = await uow.categories.save(replace(DEFAULT_WISH_CATEGORY))
    return category


async def _register(
    uow: UnitOfWork, ctx: Context, case: Case, category: Category, landing: _Landing
) -> Case:
    """Save the case with its creation event, hand it to its first assignee, and tell
    everyone concerned of both."""
    team = landing.team
    # Dispatched before it is stored, so that its row is written once, as the case ends up:
    # the lifecycle moves saved cases only, hence a stand-in id (0) until the insert.
    dispatched = replace(case, id=0)
    assigned, unreachable = _first_assignment(dispatched, category, landing)
    case = await uow.cases.add(replace(dispatched, id=None))
    assert case.id is not None
    submitted = CaseEvent(
        case_id=case.id,
        action=CaseAction.SUBMIT.value,
        actor_id=case.reporter_id,
        at=case.created_at,
        from_status=None,
        to_status=CaseStatus.SUBMITTED,
        attachments=tuple(case.photos),
    )
    events = (
        submitted,
        *(replace(e, case_id=case.id) for e in (unreachable, assigned) if e is not None),
    )
    for event in events:
        await uow.cases.add_event(event)
    await ctx.notices.case_event(
        uow,
        case,
        *events,
        category=category,
        tree=team.tree,
        assignments=team.assignments,
        people=landing.people,
        worker_groups=landing.worker_groups,
        names=landing.names,
    )
    return case


def _first_assignment(
    case: Case, category: Category, landing: _Landing
) -> tuple[CaseEvent | None, CaseEvent | None]:
    """The assignment, and the note for the grid's leaders when nobody on the grid could be
    reached. Nobody on duty (or reachable) in the grid: the community (else the street)
    takes it, as an escalation would. Nobody anywhere: the case stays submitted and
    unassigned (None); its response deadline then calls up the chain. A wish has no
    "assigned" status: it stays submitted, in its approver's hands."""
    target, unreachable = _first_target(case, category, landing)
    if target is None:
        return None, unreachable
    level, unit_code, assignee = target
    if case.is_wish:
        case.assignee_id = assignee
        return CaseEvent(
            case_id=case.id or 0,  # set once the case is stored
            action=CaseAction.ASSIGN.value,
            actor_id=None,
            at=case.created_at,
            from_status=case.status,
            to_status=case.status,
            level=case.level,
            assignee_id=assignee,
        ), unreachable
    return apply(
        case,
        CaseAction.ASSIGN,
        actor_id=None,
        now=case.created_at,
        assignee_id=assignee,
        level=level,
        unit_code=unit_code,
    ), unreachable


def _first_target(
    case: Case, category: Category, landing: _Landing
) -> tuple[Target | None, CaseEvent | None]:
    team = landing.team
    tree, assignments, people = team.tree, team.assignments, team.people
    unreachable = None
    try:
        chosen = route_new_case(
            case, category, tree, assignments, people, landing.reachable, landing.loads
        )
        return (case.level, case.grid_code, chosen), None
    except NobodyReachable:
        unreachable = _unreachable(case)
    except NoAssignee:
        if case.is_wish:
            return None, None  # a wish is the grid's own business: it waits for its secretary
    try:
        return escalation_target(case, tree, assignments, people), unreachable
    except (NoAssignee, IllegalTransition):
        return None, unreachable


def _unreachable(case: Case) -> CaseEvent:
    """The audit trail's line, and the grid leaders' notice, of a case sent up at once
    because the bot reaches nobody on duty for it on the grid."""
    return CaseEvent(
        case_id=case.id or 0,  # set once the case is stored
        action=GRID_UNREACHABLE,
        actor_id=None,
        at=case.created_at,
        from_status=case.status,
        to_status=case.status,
        level=case.level,
    )


async def _check_rate(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    recent = await uow.cases.count_reported_since(actor.id, now - timedelta(hours=1))
    if recent >= MAX_REPORTS_PER_HOUR:
        raise RateLimited(
            f"{recent} cases in the last hour", limit=MAX_REPORTS_PER_HOUR, person_id=actor.id
        )


def _wanted_by(wanted: date | None, now: datetime, ctx: Context) -> datetime | None:
    """A wish's date, as the end of that local day; a date already past is refused."""
    if wanted is None:
        return None
    if wanted < now.astimezone(ctx.tz).date():
        raise ValidationFailed(f"{wanted} is in the past", code="date_in_past")
    return end_of_local_date(wanted, ctx.tz)
