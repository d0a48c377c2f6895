"""The line a group gets of a public case, shown to the resident before they choose to make
it public: the category, the building-level place, the status and their words masked
(``public_summary`` with every name the bot knows on the grid) — the very line the group
post carries (``notices.audience.public_context``), and nothing more of their words."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import CaseStatus
from gridbot.domain.org import Category, OrgUnit
from gridbot.domain.texts import public_summary
from gridbot.services.context import Actor, Context
from gridbot.services.notices.audience import grid_names, group_place
from gridbot.services.notices.public_group import public_group
from gridbot.services.reports.entry import reporting_grid


@dataclass(frozen=True)
class PreviewPublicLine:
    actor: Actor | None
    category_code: str
    text: str
    source_chat_id: int | None = None


@dataclass(frozen=True)
class PublicLine:
    category: Category | None
    place: OrgUnit | None  # the group's building (or grid); None when no group will see it
    status: str  # a new case is assigned to the grid team when it is posted
    summary: str


async def preview_public_line(cmd: PreviewPublicLine, ctx: Context) -> PublicLine:
    """What the group will read if the resident makes the draft public."""
    async with ctx.reading() as uow:
        grid, _ = await reporting_grid(uow, cmd.actor, cmd.source_chat_id)
        reporter = cmd.actor.id if cmd.actor is not None else None
        names = await grid_names(uow, grid.code, reporter)
        group = await public_group(uow, cmd.source_chat_id, reporter)
        place = await group_place(uow, group.chat_id) if group is not None else None
        category = await uow.categories.get(cmd.category_code) if cmd.category_code else None
    summary = public_summary(cmd.text, names=names)
    return PublicLine(category, place, CaseStatus.ASSIGNED.value, summary)
