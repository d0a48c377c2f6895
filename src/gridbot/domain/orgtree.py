"""The org tree: district → street → community → grid → building, navigated by unit code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from gridbot.domain.errors import NotFound, ValidationFailed
from gridbot.domain.org import GridKind, OrgUnit, UnitLevel

# The one level each level must hang under; a district is the root of an instance.
PARENT_LEVEL: dict[UnitLevel, UnitLevel | None] = {
    UnitLevel.DISTRICT: None,
    UnitLevel.STREET: UnitLevel.DISTRICT,
    UnitLevel.COMMUNITY: UnitLevel.STREET,
    UnitLevel.GRID: UnitLevel.COMMUNITY,
    UnitLevel.BUILDING: UnitLevel.GRID,
}


class OrgTree:
    """An in-memory view of the org units, for routing, permissions and reports.

    A tree may be partial: the units around a few others (each with its chain up to the
    district) answer routing and permission questions without loading a whole district;
    ``children`` and ``descendants`` then only know the units that were loaded. A ``whole``
    tree holds every unit of the organisation (as read from storage at one moment), so its
    ``children`` are all there are.
    """

    def __init__(self, units: Iterable[OrgUnit], *, whole: bool = False) -> None:
        self.whole = whole
        self._units: dict[str, OrgUnit] = {}
        self._children: dict[str, list[OrgUnit]] = {}
        for unit in units:
            if unit.code in self._units:
                raise ValidationFailed(f"unit {unit.code!r} appears twice", code=unit.code)
            self._units[unit.code] = unit
        for unit in self._units.values():
            if unit.parent_code is None:
                continue
            if unit.parent_code not in self._units:
                raise ValidationFailed(
                    f"unit {unit.code!r} names an unknown parent {unit.parent_code!r}",
                    code=unit.code,
                )
            self._children.setdefault(unit.parent_code, []).append(unit)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __iter__(self) -> Iterator[OrgUnit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def covers(self, codes: Iterable[str]) -> bool:
        """Whether every one of ``codes`` is in this tree."""
        return all(code in self._units for code in codes)

    def merged(self, units: Iterable[OrgUnit]) -> OrgTree:
        """This tree with more units (a unit it already holds stays as it is)."""
        extra = [unit for unit in units if unit.code not in self._units]
        if not extra:
            return self
        return OrgTree([*self._units.values(), *extra], whole=self.whole)

    def get(self, code: str) -> OrgUnit:
        """The unit with this code; raises NotFound."""
        try:
            return self._units[code]
        except KeyError:
            raise NotFound(f"no unit with code {code!r}", code=code) from None

    def parent(self, code: str) -> OrgUnit | None:
        parent_code = self.get(code).parent_code
        return None if parent_code is None else self._units[parent_code]

    def children(self, code: str) -> list[OrgUnit]:
        self.get(code)
        return list(self._children.get(code, ()))

    def ancestors(self, code: str) -> list[OrgUnit]:
        """The units above this one, nearest first."""
        found: list[OrgUnit] = []
        seen = {code}
        unit = self.parent(code)
        while unit is not None:
            if unit.code in seen:  # a cycle would otherwise loop forever
                raise ValidationFailed(f"unit {code!r} is its own ancestor", code=code)
            seen.add(unit.code)
            found.append(unit)
            unit = self.parent(unit.code)
        return found

    def descendants(self, code: str) -> list[OrgUnit]:
        """Every unit below this one, depth first, parents before their children."""
        found: list[OrgUnit] = []
        stack = list(reversed(self.children(code)))
        while stack:
            unit = stack.pop()
            found.append(unit)
            stack.extend(reversed(self._children.get(unit.code, ())))
        return found

    def is_within(self, code: str, ancestor_code: str) -> bool:
        """True when ``code`` is ``ancestor_code`` or lies below it. Unknown codes are not."""
        if code not in self._units or ancestor_code not in self._units:
            return False
        return code == ancestor_code or any(u.code == ancestor_code for u in self.ancestors(code))

    def ancestor_at(self, code: str, level: UnitLevel) -> OrgUnit | None:
        """The unit at ``level`` on the way up from ``code`` (the unit itself if at that level)."""
        for unit in [self.get(code), *self.ancestors(code)]:
            if unit.level == level:
                return unit
        return None

    def grid_of(self, code: str) -> OrgUnit | None:
        """A building's grid, a grid itself; None for units above the grid level."""
        return self.ancestor_at(code, UnitLevel.GRID)

    def at_level(self, level: UnitLevel) -> list[OrgUnit]:
        return [u for u in self._units.values() if u.level == level]


def parse_level(text: str) -> UnitLevel:
    """A level from the org file; raises ValidationFailed naming the allowed levels."""
    try:
        return UnitLevel(text.strip().lower())
    except ValueError:
        allowed = ", ".join(level.value for level in UnitLevel)
        raise ValidationFailed(f"unknown level {text!r}; allowed: {allowed}", level=text) from None


def validate_unit(unit: OrgUnit, parent: OrgUnit | None) -> None:
    """Check one unit against its parent: the level rules of the org file."""
    if not unit.code.strip():
        raise ValidationFailed("a unit needs a code")
    expected = PARENT_LEVEL[unit.level]
    if expected is None and parent is not None:
        raise ValidationFailed(f"{unit.level} {unit.code!r} cannot have a parent", code=unit.code)
    if expected is not None:
        if parent is None:
            raise ValidationFailed(
                f"{unit.level} {unit.code!r} must be under a {expected}", code=unit.code
            )
        if parent.level != expected:
            raise ValidationFailed(
                f"{unit.level} {unit.code!r} must be under a {expected}, "
                f"not under {parent.level} {parent.code!r}",
                code=unit.code,
            )
    if unit.kind is not None and unit.level != UnitLevel.GRID:
        raise ValidationFailed(
            f"only grids have a kind; {unit.level} {unit.code!r} has {unit.kind}", code=unit.code
        )


def validate_units(units: Sequence[OrgUnit]) -> None:
    """Check a whole import: unique codes, parents listed before children, level rules."""
    seen: dict[str, OrgUnit] = {}
    for unit in units:
        if unit.code in seen:
            raise ValidationFailed(f"unit {unit.code!r} appears twice", code=unit.code)
        parent = None
        if unit.parent_code is not None:
            parent = seen.get(unit.parent_code)
            if parent is None:
                raise ValidationFailed(
                    f"unit {unit.code!r}: parent {unit.parent_code!r} must be listed before it",
                    code=unit.code,
                )
        validate_unit(unit, parent)
        seen[unit.code] = unit


def grid_kind_of(unit: OrgUnit) -> GridKind:
    """The kind of a grid; a grid imported without one is residential."""
    return unit.kind or GridKind.RESIDENTIAL
