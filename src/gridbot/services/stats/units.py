"""/stats: a supervisor reads the figures of their unit, or of a unit under it, over a
period; the period buttons and the drill-down into a child unit ask again, and are
checked again."""

from __future__ import annotations

from dataclasses import dataclass, replace

from gridbot.domain.errors import PermissionDenied, UnknownUnit
from gridbot.domain.metrics import parse_period
from gridbot.domain.org import OrgUnit, Role
from gridbot.domain.policy import Action, may, require
from gridbot.services.context import Actor, Context, known
from gridbot.services.stats.figures import UnitStats, compute_stats


@dataclass(frozen=True)
class StatsOf:
    """``period``: as typed after /stats (None: this month); the unit by ``unit_code`` or
    by ``unit_id`` (a button's), else the actor's own (highest) supervised unit."""

    actor: Actor | None
    period: str | None = None
    unit_code: str | None = None
    unit_id: int | None = None


async def unit_stats(cmd: StatsOf, ctx: Context) -> UnitStats:
    """NotBound for a stranger; PermissionDenied for anyone who supervises no unit, or not
    this one (nothing is read then); UnknownUnit for a code that names no unit;
    ValidationFailed (code ``period``) for a period that cannot be read."""
    actor = known(cmd.actor)
    supervised = supervised_units(actor)
    if not supervised:
        raise PermissionDenied(
            f"{actor.person.name} supervises no unit", action=Action.VIEW_STATS.value
        )
    unit = _unit_asked(actor, cmd) or supervised[0]
    require(actor.staff, Action.VIEW_STATS, tree=actor.tree, unit_code=unit.code)
    now = ctx.clock.now()
    period = parse_period(cmd.period, now, ctx.tz)
    async with ctx.reading() as uow:
        stats = await compute_stats(uow, actor.org, unit, period, now)
    parent = actor.tree.parent(unit.code)
    if parent is not None and may(
        actor.staff, Action.VIEW_STATS, tree=actor.tree, unit_code=parent.code
    ):
        stats = replace(stats, parent=parent)
    return stats


def supervised_units(actor: Actor) -> list[OrgUnit]:
    """The units the actor supervises, the highest first (then by code)."""
    tree = actor.tree
    units = {
        code: tree.get(code) for code in actor.staff.units_for(Role.SUPERVISOR) if code in tree
    }
    return sorted(units.values(), key=lambda unit: (unit.level.depth, unit.code))


def _unit_asked(actor: Actor, cmd: StatsOf) -> OrgUnit | None:
    tree = actor.tree
    if cmd.unit_id is not None:
        found = next((unit for unit in tree if unit.id == cmd.unit_id), None)
        if found is None:
            raise UnknownUnit(f"no unit with id {cmd.unit_id}", unit=cmd.unit_id)
        return found
    code = (cmd.unit_code or "").strip()
    if not code:
        return None
    if code not in tree:
        raise UnknownUnit(f"no unit {code!r}", unit=code)
    return tree.get(code)
