"""What a handler reads before acting: my task list (/tasks) and whom a case may go to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gridbot.domain.case import Case, CaseKind, CaseStatus
from gridbot.domain.case_common import known_person
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.org import Role, UnitLevel
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.routing import holders
from gridbot.domain.workflow_support import acting_on

S = CaseStatus
WAITING = (S.SUBMITTED, S.ASSIGNED, S.ESCALATED, S.TRANSFERRED)  # nobody accepted it yet
OPEN = (*WAITING, S.IN_PROGRESS)
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class TransferTarget:
    person_id: int
    name: str
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class TaskView:
    """One line of /tasks. ``due`` is the deadline that matters now: accepting while the
    case waits, resolving once it is accepted."""

    case: Case
    category_name: str
    overdue: bool
    due: datetime | None
    category_name_en: str | None = None

    @property
    def waiting(self) -> bool:
        return self.case.status in WAITING


async def my_tasks(uow: UnitOfWork, clock: Clock, telegram_id: int) -> list[TaskView]:
    """The open issues and hazards assigned to me, soonest deadline first, overdue marked."""
    person = await known_person(uow, telegram_id)
    assert person.id is not None
    now = clock.now()
    cases = [c for c in await uow.cases.by_assignee(person.id, OPEN) if c.kind != CaseKind.WISH]
    categories = {c.category_code: await uow.categories.get(c.category_code) for c in cases}
    tasks = []
    for case in cases:
        due = case.respond_by if case.status in WAITING else case.resolve_by
        category = categories[case.category_code]
        tasks.append(
            TaskView(
                case=case,
                category_name=category.name if category else case.category_code,
                overdue=due is not None and due < now,
                due=due,
                category_name_en=category.name_en if category else None,
            )
        )
    return sorted(tasks, key=_deadline_order)


def _deadline_order(task: TaskView) -> tuple[bool, datetime, str]:
    return task.due is None, task.due or _FAR_FUTURE, task.case.number


async def transfer_targets(uow: UnitOfWork, telegram_id: int, case_id: int) -> list[TransferTarget]:
    """Whom the case may be transferred to (转派): the other on-duty workers of its grid
    first, then the workers of the other grids of the same community."""
    acting = await acting_on(uow, telegram_id, case_id, CaseAction.TRANSFER)
    return await _targets(uow, acting.case)


async def _targets(uow: UnitOfWork, case: Case) -> list[TransferTarget]:
    community = await _community_of(uow, case.grid_code)
    grids = [u for u in await uow.org.children(community) if u.level == UnitLevel.GRID]
    grids.sort(key=lambda u: (u.code != case.grid_code, u.code))
    assignments = await uow.people.assignments_on([g.code for g in grids])
    found: list[TransferTarget] = []
    seen = {case.assignee_id}
    for grid in grids:
        ids = [p for p in holders(assignments, [Role.GRID_WORKER], [grid.code]) if p not in seen]
        people = await uow.people.many(ids)
        for pid in ids:
            person = people.get(pid)
            if person is not None and person.telegram_id is not None and not person.blocked_bot:
                seen.add(pid)
                found.append(TransferTarget(pid, person.name, grid.code, grid.name))
    return found


async def _community_of(uow: UnitOfWork, grid_code: str) -> str:
    grid = await uow.org.get_unit(grid_code)
    parent = grid.parent_code if grid is not None else None
    return parent or grid_code


async def find_target(uow: UnitOfWork, case: Case, person_id: int) -> TransferTarget | None:
    return next((t for t in await _targets(uow, case) if t.person_id == person_id), None)
