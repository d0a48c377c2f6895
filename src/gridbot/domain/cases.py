"""Residents' case use cases: report an issue or hazard, post a micro-wish, follow, withdraw.

Each use case changes the unit of work it is given and commits nothing: the caller does
``async with uow_factory() as uow: ...; await uow.commit()``. Messages go through the
Notifier into the same transaction (the outbox), so a refused request sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus, Location, Priority
from gridbot.domain.case_common import (
    MAX_PHOTOS,
    MAX_REPORTS_PER_HOUR,
    MAX_TEXT,
    check_photos,
    check_text,
    known_person,
    lineage,
    zone,
)
from gridbot.domain.case_notices import announce, approver_keyboard, local
from gridbot.domain.case_routing import assign_new_case, report_category, wish_category
from gridbot.domain.case_updates import add_info, mark_affected, withdraw
from gridbot.domain.case_views import CaseView, case_view, my_cases
from gridbot.domain.deadlines import compute_deadlines, end_of_local_day
from gridbot.domain.due import schedule
from gridbot.domain.errors import NotBound, RateLimited, ValidationFailed
from gridbot.domain.messaging import DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Category, OrgUnit, Person, Role, UnitLevel
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.workflow_support import tell_new_assignee

__all__ = [
    "MAX_PHOTOS",
    "MAX_REPORTS_PER_HOUR",
    "MAX_TEXT",
    "CaseView",
    "NewReport",
    "NewWish",
    "add_info",
    "announce",
    "case_view",
    "check_text",
    "mark_affected",
    "my_cases",
    "reporting_grid",
    "submit_report",
    "submit_wish",
    "withdraw",
]


@dataclass(frozen=True)
class NewReport:
    reporter_telegram_id: int
    kind: CaseKind  # ISSUE or HAZARD
    category_code: str
    text: str
    photos: tuple[str, ...] = ()  # Telegram file_ids
    location: Location | None = None
    public: bool = False  # neighbours may follow its progress in the group
    source_chat_id: int | None = None  # the bound group it was started from
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class NewWish:
    reporter_telegram_id: int
    text: str
    photos: tuple[str, ...] = ()
    wanted_by: date | None = None
    public: bool = False
    source_chat_id: int | None = None


async def reporting_grid(
    uow: UnitOfWork, telegram_id: int, source_chat_id: int | None = None
) -> OrgUnit:
    """Where a report lands: the grid of the group it was started in (when that group is
    bound), else the grid the person lives in as a resident. NotBound when neither."""
    if source_chat_id is not None:
        binding = await uow.bindings.get(source_chat_id)
        if binding is not None and binding.active:
            grid = await _grid_of(uow, binding.unit_code)
            if grid is not None:
                return grid
    person = await uow.people.by_telegram_id(telegram_id)
    if person is not None and person.id is not None:
        for role in await uow.people.roles_of(person.id):
            if role.role == Role.RESIDENT:
                grid = await _grid_of(uow, role.unit_code)
                if grid is not None:
                    return grid
    raise NotBound(f"telegram user {telegram_id} has no grid", telegram_id=telegram_id)


async def _grid_of(uow: UnitOfWork, code: str) -> OrgUnit | None:
    return next((u for u in await lineage(uow, code) if u.level == UnitLevel.GRID), None)


async def submit_report(
    cmd: NewReport, uow: UnitOfWork, clock: Clock, notifier: Notifier, tz: tzinfo | str
) -> Case:
    """Register an issue or hazard (立案), dispatch it (派遣) and tell everyone concerned:
    the reporter gets the number, the assignee a case card, a public case's group a post."""
    person, now = await known_person(uow, cmd.reporter_telegram_id), clock.now()
    await _check_rate(uow, person, now)
    text, photos = check_text(cmd.text), check_photos(cmd.photos)
    if cmd.kind == CaseKind.WISH:
        raise ValidationFailed("a wish is posted with submit_wish", code="wrong_kind")
    category = await report_category(uow, cmd.category_code)
    grid = await reporting_grid(uow, cmd.reporter_telegram_id, cmd.source_chat_id)
    respond_by, resolve_by = compute_deadlines(category, cmd.priority, now, tz)
    case = Case(
        number=await uow.cases.next_number(now.astimezone(zone(tz)).year),
        kind=cmd.kind,
        category_code=category.code,
        text=text,
        reporter_id=person.id,
        grid_code=grid.code,
        unit_code=grid.code,
        created_at=now,
        priority=cmd.priority,
        photos=list(photos),
        location=cmd.location,
        public=cmd.public,
        source_chat_id=cmd.source_chat_id,
        respond_by=respond_by,
        resolve_by=resolve_by,
        updated_at=now,
    )
    case, submitted = await _register(uow, case, person, category, now)
    await schedule(uow, DueKind.RESPOND_DEADLINE, case.number, respond_by)
    await schedule(uow, DueKind.RESOLVE_DEADLINE, case.number, resolve_by)
    await announce(uow, notifier, case, submitted)
    # The card to the assignee, a copy to the branch secretary, a line to the worker group.
    await tell_new_assignee(uow, notifier, tz, case, submitted, respond_by)
    return case


async def submit_wish(
    cmd: NewWish, uow: UnitOfWork, clock: Clock, notifier: Notifier, tz: tzinfo | str
) -> Case:
    """Post a micro-wish (微心愿): it waits for the grid's branch secretary to approve it."""
    person, now = await known_person(uow, cmd.reporter_telegram_id), clock.now()
    await _check_rate(uow, person, now)
    text, photos = check_text(cmd.text), check_photos(cmd.photos)
    wanted_by = _wanted_by(cmd.wanted_by, now, tz)
    grid = await reporting_grid(uow, cmd.reporter_telegram_id, cmd.source_chat_id)
    category = await wish_category(uow)
    respond_by, resolve_by = compute_deadlines(category, Priority.NORMAL, now, tz)
    case = Case(
        number=await uow.cases.next_number(now.astimezone(zone(tz)).year),
        kind=CaseKind.WISH,
        category_code=category.code,
        text=text,
        reporter_id=person.id,
        grid_code=grid.code,
        unit_code=grid.code,
        created_at=now,
        photos=list(photos),
        public=cmd.public,
        source_chat_id=cmd.source_chat_id,
        respond_by=respond_by,
        resolve_by=wanted_by or resolve_by,
        wanted_by=wanted_by,
        updated_at=now,
    )
    case, submitted = await _register(uow, case, person, category, now)
    await schedule(uow, DueKind.RESPOND_DEADLINE, case.number, respond_by)
    await announce(uow, notifier, case, submitted)
    if case.assignee_id is not None:
        await notifier.to_person(
            uow,
            case.assignee_id,
            "notices/wish_for_approval.html.j2",
            keyboard=approver_keyboard(case),
            photo=case.photos[0] if case.photos else None,
            case=case,
            wanted_by=local(case.wanted_by, tz),
        )
    return case


async def _register(
    uow: UnitOfWork, case: Case, reporter: Person, category: Category, now: datetime
) -> tuple[Case, CaseEvent]:
    """Save the case with its creation event, then hand it to its first assignee."""
    case = await uow.cases.add(case)
    assert case.id is not None
    submitted = CaseEvent(
        case_id=case.id,
        action="submit",
        actor_id=reporter.id,
        at=now,
        from_status=None,
        to_status=CaseStatus.SUBMITTED,
        attachments=tuple(case.photos),
    )
    await uow.cases.add_event(submitted)
    assigned = await assign_new_case(uow, case, category, now)
    if assigned is not None:
        await uow.cases.update(case)
        await uow.cases.add_event(assigned)
    return case, submitted


async def _check_rate(uow: UnitOfWork, person: Person, now: datetime) -> None:
    assert person.id is not None
    recent = await uow.cases.count_reported_since(person.id, now - timedelta(hours=1))
    if recent >= MAX_REPORTS_PER_HOUR:
        raise RateLimited(
            f"{recent} cases in the last hour", limit=MAX_REPORTS_PER_HOUR, person_id=person.id
        )


def _wanted_by(wanted: date | None, now: datetime, tz: tzinfo | str) -> datetime | None:
    """A wish's date, as the end of that local day; a date already past is refused."""
    if wanted is None:
        return None
    today = now.astimezone(zone(tz)).date()
    if wanted < today:
        raise ValidationFailed(f"{wanted} is in the past", code="date_in_past")
    return end_of_local_day(
        datetime(wanted.year, wanted.month, wanted.day, 12, tzinfo=zone(tz)), tz
    )
