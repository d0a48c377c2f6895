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
from gridbot.services.notices.audience import bound_place, grid_names
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
    """What the group will read if the resident makes the draft public. The actor brings
    their roles and the organisation; only the names and the bindings are read."""
    actor = cmd.actor
    async with ctx.reading() as uow:
        grid, tree = await reporting_grid(uow, actor, cmd.source_chat_id)
        reporter = actor.id if actor is not None else None
        person = actor.person if actor is not None else None
        names = await grid_names(uow, grid.code, reporter, tree=tree, reporter=person)
        roles = actor.roles if actor is not None else None
        group = await public_group(uow, cmd.source_chat_id, reporter, roles=roles, tree=tree)
        place = await bound_place(uow, group, tree)
        code = cmd.category_code
        if not code:
            category = None
        elif actor is not None:
            category = actor.org.category(code)
        else:
            category = await uow.categories.get(code)
    summary = public_summary(cmd.text, names=names)
    return PublicLine(category, place, CaseStatus.ASSIGNED.value, summary)
