"""Finding one's grid by tapping street → community → grid (the grid picker)."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.gridpicker import PickerStep, picker_step
from gridbot.domain.org import OrgUnit, Role
from gridbot.services.context import Actor, Context


@dataclass(frozen=True)
class PickGrid:
    actor: Actor | None  # a stranger may pick a grid too
    code: str  # the unit whose screen is asked for (ROOT: the streets)


def residence(actor: Actor | None) -> OrgUnit | None:
    """The grid the actor lives in now, if any."""
    if actor is None:
        return None
    for role in actor.roles:
        if role.role == Role.RESIDENT and role.unit_code in actor.tree:
            return actor.tree.grid_of(role.unit_code)
    return None


async def pick_step(cmd: PickGrid, ctx: Context) -> PickerStep:
    """One screen of the picker; UnknownLink for a unit that is no step of it."""
    async with ctx.reading() as uow:
        tree = (await ctx.org.current(uow)).tree
    return picker_step(tree, cmd.code, residence(cmd.actor))
