"""督办 from the overdue list: the workflow's one urge (recorded as a case event, the holder
told through the outbox), then the list's page again with the new count."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import Case
from gridbot.services.context import Actor, Context, known
from gridbot.services.overdue.board import OverdueBoard, board_of
from gridbot.services.overdue.scope import unit_asked
from gridbot.services.workflow import UrgeCase, urge_case


@dataclass(frozen=True)
class UrgeOverdue:
    """A 督办 tap on the list of ``unit_code`` (its page ``page``)."""

    actor: Actor | None
    case_id: int
    unit_code: str | None = None
    page: int = 0


@dataclass(frozen=True)
class UrgedOverdue:
    case: Case
    board: OverdueBoard


async def urge_overdue(cmd: UrgeOverdue, ctx: Context) -> UrgedOverdue:
    """The list is checked first (PermissionDenied for a unit outside the actor's), then
    the urge: PermissionDenied for a case the actor may not urge, NotOverdue for one no
    longer overdue, NoAssignee when nobody holds it, UrgedRecently for a second urge
    within the interval. A refusal changes nothing and sends nothing."""
    actor = known(cmd.actor)
    unit = unit_asked(actor, cmd.unit_code)
    card = await urge_case(UrgeCase(actor, cmd.case_id, overdue_only=True), ctx)
    async with ctx.reading() as uow:
        board = await board_of(uow, actor, unit, cmd.page, ctx.clock.now())
    return UrgedOverdue(card.case, board)
