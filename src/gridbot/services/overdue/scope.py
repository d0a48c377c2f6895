"""Whose overdue cases a person may read: the units they supervise, and the grids they lead
or are the branch secretary of. Decided on the org tree alone, before anything is read."""

from __future__ import annotations

from gridbot.domain.errors import PermissionDenied, UnknownUnit
from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import OVERDUE_VIEWERS, Action, require
from gridbot.services.context import Actor


def scope_units(actor: Actor) -> list[OrgUnit]:
    """The units the actor reads overdue cases of, highest first; a unit under another of
    them is left out (it is part of that one)."""
    tree = actor.tree
    held = {a.unit_code for a in actor.roles if a.role in OVERDUE_VIEWERS and a.unit_code in tree}
    tops = [code for code in held if not any(o != code and tree.is_within(code, o) for o in held)]
    units = [tree.get(code) for code in tops]
    return sorted(units, key=lambda unit: (unit.level.depth, unit.code))


def unit_asked(actor: Actor, code: str | None) -> OrgUnit:
    """The unit of an /overdue request: the actor's highest by default, else the unit (a
    building stands for its grid) with ``code``. PermissionDenied for someone who reads no
    unit's overdue cases, or asks for a unit outside theirs; UnknownUnit for an unknown code."""
    scope = scope_units(actor)
    if not scope:
        raise PermissionDenied(
            f"{actor.person.name} supervises no unit", action=Action.VIEW_OVERDUE.value
        )
    if code is None or not code.strip():
        return scope[0]
    unit = _unit(actor.tree, code.strip())
    require(actor.staff, Action.VIEW_OVERDUE, tree=actor.tree, unit_code=unit.code)
    return unit


def _unit(tree: OrgTree, code: str) -> OrgUnit:
    found = code if code in tree else code.upper()
    if found not in tree:
        raise UnknownUnit(f"no unit {code!r}", unit=code)
    unit = tree.get(found)
    return tree.grid_of(found) or unit if unit.level == UnitLevel.BUILDING else unit


def grids_of(tree: OrgTree, unit: OrgUnit) -> list[str]:
    """The codes of the grids at or under ``unit``: the cases of a unit are its grids'."""
    return [u.code for u in [unit, *tree.descendants(unit.code)] if u.level == UnitLevel.GRID]
