"""Recording a care visit (走访): 正常 or 需要帮助, a note, an optional photo; the next visit
moves on. From a visit, the worker may raise a case (an issue on the person's grid, routed
like any report) or post a micro-wish on the spot, in their own words: nothing of the
person goes into it."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.care import CarePerson, CareVisit, VisitOutcome, check_outcome, mentions_person
from gridbot.domain.case import Case, CaseKind
from gridbot.domain.errors import NotFound, ValidationFailed
from gridbot.domain.org import Category
from gridbot.domain.policy import Action
from gridbot.domain.texts import check_text, optional_text
from gridbot.services.care.common import acting_on_person, schedule_visit
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork
from gridbot.services.reports import NewReport, NewWish, report_category, submit_report, submit_wish

RAISED = (CaseKind.ISSUE, CaseKind.WISH)  # what a visit may raise on the spot


@dataclass(frozen=True)
class StartVisit:
    actor: Actor | None
    care_id: int


@dataclass(frozen=True)
class RecordVisit:
    actor: Actor | None
    care_id: int
    outcome: str
    note: str | None = None
    photo: str | None = None


@dataclass(frozen=True)
class VisitRecorded:
    person: CarePerson  # with its next visit
    visit: CareVisit


@dataclass(frozen=True)
class StartRaise:
    actor: Actor | None
    visit_id: int
    kind: CaseKind = CaseKind.ISSUE


@dataclass(frozen=True)
class RaiseStart:
    person: CarePerson
    visit: CareVisit
    categories: tuple[Category, ...] = ()  # for an issue


@dataclass(frozen=True)
class RaiseFromVisit:
    actor: Actor | None
    visit_id: int
    kind: CaseKind  # ISSUE or WISH
    text: str
    category_code: str = ""


async def start_visit(cmd: StartVisit, ctx: Context) -> CarePerson:
    """The tap on 记录走访, checked before anything is asked: NotFound for an unknown or
    removed person, PermissionDenied for anyone but their worker and the grid leader."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        person, _ = await acting_on_person(uow, actor, cmd.care_id, Action.VISIT_CARE_PERSON)
    return person


async def record_visit(cmd: RecordVisit, ctx: Context) -> VisitRecorded:
    """Record the visit made now; 需要帮助 needs a note saying what help. The next visit
    falls due the interval after today, and its reminder replaces any pending one."""
    actor, now = known(cmd.actor), ctx.clock.now()
    outcome = check_outcome(cmd.outcome)
    note = optional_text(cmd.note)
    if outcome == VisitOutcome.NEEDS_HELP and note is None:
        check_text(note)  # text_empty: say what help is needed
    async with ctx.writing() as uow:
        person, _ = await acting_on_person(
            uow, actor, cmd.care_id, Action.VISIT_CARE_PERSON, lock=True
        )
        assert person.id is not None
        visit = await uow.care.add_visit(
            CareVisit(person.id, actor.id, now, note, outcome, cmd.photo or None)
        )
        person.visited(now, ctx.tz)
        await uow.care.update_person(person)
        await schedule_visit(uow, person)
        await uow.commit()
    return VisitRecorded(person, visit)


async def start_raise(cmd: StartRaise, ctx: Context) -> RaiseStart:
    """The tap on 上报事项 or 发布微心愿 after a visit, checked before the words are asked
    for; with the categories an issue may be filed under."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        person, visit = await _visited(uow, actor, cmd.visit_id)
    categories = actor.org.report_categories if cmd.kind == CaseKind.ISSUE else ()
    return RaiseStart(person, visit, categories)


async def raise_from_visit(cmd: RaiseFromVisit, ctx: Context) -> Case:
    """An issue (routed like any report, to the person's grid) or a micro-wish, filed by
    the visitor in their own words, never public. A text naming the person or giving
    their phone is refused (care_private): the case is read beyond the person's worker."""
    actor = known(cmd.actor)
    if cmd.kind not in RAISED:
        raise ValidationFailed(f"a visit raises no {cmd.kind}", code="wrong_kind")
    text = check_text(cmd.text)
    async with ctx.reading() as uow:
        person, visit = await _visited(uow, actor, cmd.visit_id)
        if cmd.kind == CaseKind.ISSUE:
            await report_category(uow, actor, cmd.category_code)
    if mentions_person(text, person):
        raise ValidationFailed("the text names the care person", code="care_private")
    if cmd.kind == CaseKind.WISH:
        case = await submit_wish(NewWish(actor, text, grid_code=person.grid_code), ctx)
    else:
        report = NewReport(
            actor, CaseKind.ISSUE, cmd.category_code, text, grid_code=person.grid_code
        )
        case = await submit_report(report, ctx)
    assert visit.id is not None and case.id is not None
    async with ctx.writing() as uow:
        await uow.care.link_case(visit.id, case.id)
        await uow.commit()
    return case


async def _visited(uow: UnitOfWork, actor: Actor, visit_id: int) -> tuple[CarePerson, CareVisit]:
    visit = await uow.care.get_visit(visit_id)
    if visit is None:
        raise NotFound(f"no care visit {visit_id}", visit_id=visit_id)
    person, _ = await acting_on_person(uow, actor, visit.care_person_id, Action.VISIT_CARE_PERSON)
    return person, visit
