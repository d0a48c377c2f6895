"""/tasks: the open cases a handler holds, soonest deadline first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gridbot.domain.case import Case, CaseKind
from gridbot.domain.lifecycle import OPEN, WAITING
from gridbot.services.context import Actor, Context, known

_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class MyTasks:
    actor: Actor | None


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


async def my_tasks(cmd: MyTasks, ctx: Context) -> list[TaskView]:
    """The open issues and hazards assigned to me, soonest deadline first, overdue marked."""
    actor, now = known(cmd.actor), ctx.clock.now()
    async with ctx.reading() as uow:
        cases = [c for c in await uow.cases.by_assignee(actor.id, OPEN) if c.kind != CaseKind.WISH]
    tasks = []
    for case in cases:
        due = case.respond_by if case.status in WAITING else case.resolve_by
        category = actor.org.category(case.category_code)
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
