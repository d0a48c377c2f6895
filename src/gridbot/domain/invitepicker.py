"""Choosing the unit of an invitation by tapping down from the units one administers:
district → street → community → grid → building, only as deep as the role is held."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gridbot.domain.errors import UnknownUnit
from gridbot.domain.org import OrgUnit, Role
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.staffing import invitable_at

ROOT = ""  # the first screen: the units one administers (skipped when there is one)


@dataclass(frozen=True)
class InviteStep:
    """One screen: ``unit`` (None on the first screen), whether the role may be held on it
    (``here``), the units below to tap into, and the screen before (None: none)."""

    unit: OrgUnit | None
    options: tuple[OrgUnit, ...] = ()
    here: bool = False
    back: str | None = None


def top_units(tree: OrgTree, codes: Iterable[str]) -> list[OrgUnit]:
    """The units among ``codes`` not below another of them, by code."""
    known = [code for code in dict.fromkeys(codes) if code in tree]
    tops = [c for c in known if not any(o != c and tree.is_within(c, o) for o in known)]
    return sorted((tree.get(code) for code in tops), key=lambda unit: unit.code)


def invite_step(tree: OrgTree, administered: Iterable[str], role: Role, code: str) -> InviteStep:
    """The screen for ``code`` (ROOT: the first one); UnknownUnit for a unit outside the
    ones administered, or one below which the role is held nowhere."""
    tops = top_units(tree, administered)
    if code == ROOT and len(tops) == 1:
        code = tops[0].code
    if code == ROOT:
        return InviteStep(None, tuple(u for u in tops if leads_to(tree, u, role)))
    if code not in tree or not any(tree.is_within(code, top.code) for top in tops):
        raise UnknownUnit(f"{code!r} is not administered here", unit=code)
    unit = tree.get(code)
    if not leads_to(tree, unit, role):
        raise UnknownUnit(f"no unit for a {role} at or below {code!r}", unit=code)
    options = tuple(
        sorted(
            (child for child in tree.children(code) if leads_to(tree, child, role)),
            key=lambda child: child.code,
        )
    )
    return InviteStep(unit, options, invitable_at(role, unit.level), _back(tree, unit, tops))


def leads_to(tree: OrgTree, unit: OrgUnit, role: Role) -> bool:
    """Whether the role may be held on the unit or on one below it."""
    return invitable_at(role, unit.level) or any(
        invitable_at(role, below.level) for below in tree.descendants(unit.code)
    )


def _back(tree: OrgTree, unit: OrgUnit, tops: list[OrgUnit]) -> str | None:
    if any(top.code == unit.code for top in tops):
        return ROOT if len(tops) > 1 else None
    parent = tree.parent(unit.code)
    return parent.code if parent is not None else None
