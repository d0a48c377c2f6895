"""Finding one's grid by tapping street → community → grid, for people without a join link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from gridbot.domain.errors import UnknownLink
from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.domain.orgtree import OrgTree

ROOT = ""  # the picker's first screen: the streets
# How often one person may join or move by the picker: enough to correct a wrong tap, not
# enough to walk through the district's grids (a grid's residents are counted, 同样问题 too).
MAX_MOVES = 3
MOVES_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class PickerStep:
    """One screen of the picker: ``options`` to tap, or a ``grid`` to confirm."""

    parent: OrgUnit | None  # the street or community whose children are shown
    options: tuple[OrgUnit, ...] = ()
    back: str | None = None  # the code of the screen before (ROOT for the first), if any
    grid: OrgUnit | None = None
    current: OrgUnit | None = None  # the grid the person lives in now


def picker_step(tree: OrgTree, code: str, current: OrgUnit | None) -> PickerStep:
    """The screen for ``code``: ROOT lists the streets, a street its communities, a
    community its grids, and a grid asks to confirm. Only units with grids below are shown."""
    if code == ROOT:
        return PickerStep(None, _with_grids(tree, tree.at_level(UnitLevel.STREET)), current=current)
    if code not in tree:
        raise UnknownLink("unknown unit in the grid picker", code=code)
    unit = tree.get(code)
    back = _back_of(tree, unit)
    if unit.level == UnitLevel.GRID:
        return PickerStep(tree.parent(code), back=back, grid=unit, current=current)
    if unit.level not in (UnitLevel.STREET, UnitLevel.COMMUNITY):
        raise UnknownLink("not a step of the grid picker", code=code)
    options = _with_grids(tree, tree.children(code))
    if not options:
        raise UnknownLink("no grids below", code=code)
    return PickerStep(unit, options, back=back, current=current)


def _with_grids(tree: OrgTree, units: list[OrgUnit]) -> tuple[OrgUnit, ...]:
    def has_grid(unit: OrgUnit) -> bool:
        # Depth first, stopping at the first grid: the streets' screen walked all ~1,300
        # units of a district (0.5 ms a tap) to show eleven buttons.
        return unit.level == UnitLevel.GRID or any(map(has_grid, tree.children(unit.code)))

    return tuple(sorted((u for u in units if has_grid(u)), key=lambda u: u.code))


def _back_of(tree: OrgTree, unit: OrgUnit) -> str:
    """A community's screen goes back to its street's, a grid's to its community's."""
    parent = tree.parent(unit.code)
    if parent is None or parent.level not in (UnitLevel.STREET, UnitLevel.COMMUNITY):
        return ROOT
    return parent.code
