"""Hand-overs: transfer (转派), escalate one level up (上报), whistle to a department (吹哨).

小事不出网格、大事不出社区: a case climbs grid → community → street; the street whistles to
a department, whose liaison reports for duty (报到). Every step is an event that records the
new level and assignee, so reports can say where a case was finally handled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from gridbot.domain.case import Case, CaseEvent, CaseLevel
from gridbot.domain.deadlines import respond_hours
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.lifecycle import CaseAction, apply, next_status
from gridbot.domain.messaging import DueKind
from gridbot.domain.org import OrgUnit, Role, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.routing import escalation_target, holders, whistle_target
from gridbot.domain.texts import optional_text
from gridbot.services.common import Acting, acting_on, record, reschedule, tree_around
from gridbot.services.context import Context, known
from gridbot.services.ports import UnitOfWork
from gridbot.services.teams import grid_team
from gridbot.services.workflow.cards import CaseCard, CaseCommand, card_after, checked

A = CaseAction


@dataclass(frozen=True)
class TransferCase(CaseCommand):
    to_person_id: int
    note: str | None = None


@dataclass(frozen=True)
class EscalateCase(CaseCommand):
    note: str | None = None


@dataclass(frozen=True)
class WhistleCase(CaseCommand):
    department: str
    note: str | None = None


@dataclass(frozen=True)
class TransferTarget:
    person_id: int
    name: str
    unit_code: str
    unit_name: str
    unit: OrgUnit | None = field(default=None, compare=False)  # the unit of ``unit_code``

    def unit_name_in(self, locale: str) -> str:
        return self.unit.name_in(locale) if self.unit is not None else self.unit_name


async def transfer_case(cmd: TransferCase, ctx: Context) -> CaseCard:
    """转派: to another worker of the grid or of another grid of the community (one of
    ``transfer_options``); the case then belongs to that worker's grid."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.TRANSFER)
        next_status(acting.case.kind, acting.case.status, A.TRANSFER)
        text = optional_text(cmd.note)
        targets = await _targets(uow, acting.case, acting.tree)
        target = next((t for t in targets if t.person_id == cmd.to_person_id), None)
        if target is None:
            raise ValidationFailed(
                f"person {cmd.to_person_id} cannot take case {acting.case.number}",
                code="transfer_target",
                person_id=cmd.to_person_id,
            )
        event = apply(
            acting.case,
            A.TRANSFER,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=text,
            assignee_id=target.person_id,
            level=CaseLevel.GRID,
            unit_code=target.unit_code,
        )
        card = await _hand_over(uow, ctx, acting, event)
        await uow.commit()
    return card


async def escalate_case(cmd: EscalateCase, ctx: Context) -> CaseCard:
    """上报: one level up, grid → community → street (a community with nobody on duty is
    skipped). At the street the case is whistled to a department instead."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.ESCALATE)
        case = acting.case
        next_status(case.kind, case.status, A.ESCALATE)
        text = optional_text(cmd.note)
        team = await grid_team(uow, case.grid_code, acting.tree)
        level, unit_code, assignee = escalation_target(
            case, team.tree, team.assignments, team.people
        )
        event = apply(
            case,
            A.ESCALATE,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=text,
            assignee_id=assignee,
            level=level,
            unit_code=unit_code,
        )
        card = await _hand_over(uow, ctx, acting, event)
        await uow.commit()
    return card


async def whistle_case(cmd: WhistleCase, ctx: Context) -> CaseCard:
    """吹哨: the street's dispatcher hands the case to the department's liaison, who must
    report for duty (报到) within the department's response time."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.WHISTLE)
        case = acting.case
        next_status(case.kind, case.status, A.WHISTLE)
        text = optional_text(cmd.note)
        if cmd.department not in await _departments(uow, case, acting.tree):
            raise ValidationFailed(
                f"no liaison of {cmd.department!r} for case {case.number}",
                code="department",
                department=cmd.department,
            )
        team = await grid_team(uow, case.grid_code, acting.tree)
        _, unit_code, liaison = whistle_target(
            case, cmd.department, team.tree, team.assignments, team.people
        )
        event = apply(
            case,
            A.WHISTLE,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=text,
            assignee_id=liaison,
            unit_code=unit_code,
            department=cmd.department,
        )
        card = await _hand_over(uow, ctx, acting, event)
        await uow.commit()
    return card


async def transfer_options(cmd: CaseCommand, ctx: Context) -> list[TransferTarget]:
    """Whom this person may transfer the case to now: the other on-duty workers of its
    grid first, then those of the other grids of the same community. Refused like
    ``check_action``."""
    async with ctx.reading() as uow:
        acting = await checked(uow, known(cmd.actor), cmd.case_id, A.TRANSFER)
        return await _targets(uow, acting.case, acting.tree)


async def whistle_options(cmd: CaseCommand, ctx: Context) -> list[str]:
    """The departments this dispatcher may whistle the case to now: those with an on-duty
    liaison on its street or district."""
    async with ctx.reading() as uow:
        acting = await checked(uow, known(cmd.actor), cmd.case_id, A.WHISTLE)
        return await _departments(uow, acting.case, acting.tree)


async def _hand_over(uow: UnitOfWork, ctx: Context, acting: Acting, event: CaseEvent) -> CaseCard:
    """Record the move, restart the response clock for the new holder, tell everyone."""
    case = acting.case
    await record(uow, case, event)
    # ``respond_by`` keeps the first deadline (the response rate measures the first
    # acceptance); the new holder gets a fresh one, and earlier reminders go.
    hours = respond_hours(acting.category, case.priority, case.level, case.department)
    accept_by = ctx.clock.now() + timedelta(hours=hours)
    payload = {"step": 0, "assignee_id": case.assignee_id, "level": case.level.value}
    await reschedule(uow, DueKind.RESPOND_DEADLINE, case.number, accept_by, payload)
    tree = await tree_around(uow, [case.unit_code or case.grid_code], acting.tree)
    await ctx.notices.case_event(
        uow, case, event, category=acting.category, tree=tree, accept_by=accept_by
    )
    return await card_after(uow, acting)


async def _targets(uow: UnitOfWork, case: Case, tree: OrgTree) -> list[TransferTarget]:
    tree = await tree_around(uow, [case.grid_code], tree)
    community = tree.parent(case.grid_code)
    siblings = await uow.org.children(community.code) if community else []
    grids = [u for u in siblings if u.level == UnitLevel.GRID] or [tree.get(case.grid_code)]
    grids.sort(key=lambda u: (u.code != case.grid_code, u.code))
    assignments = await uow.people.assignments_on([g.code for g in grids])
    workers = {g.code: holders(assignments, [Role.GRID_WORKER], [g.code]) for g in grids}
    people = await uow.people.many(sorted({p for ids in workers.values() for p in ids}))
    found: list[TransferTarget] = []
    seen = {case.assignee_id}
    for grid in grids:
        for pid in workers[grid.code]:
            person = people.get(pid)
            if pid in seen or person is None or person.telegram_id is None or person.blocked_bot:
                continue
            seen.add(pid)
            found.append(TransferTarget(pid, person.name, grid.code, grid.name, grid))
    return found


async def _departments(uow: UnitOfWork, case: Case, tree: OrgTree) -> list[str]:
    tree = await tree_around(uow, [case.grid_code], tree)
    levels = (UnitLevel.STREET, UnitLevel.DISTRICT)
    units = [tree.ancestor_at(case.grid_code, level) for level in levels]
    codes = [u.code for u in units if u is not None]
    liaisons = holders(await uow.people.assignments_on(codes), [Role.DEPARTMENT_LIAISON], codes)
    people = await uow.people.many(liaisons) if liaisons else {}
    return sorted({p.department for p in people.values() if p.department})
