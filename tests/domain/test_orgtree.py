from __future__ import annotations

import pytest

from gridbot.domain.errors import NotFound, ValidationFailed
from gridbot.domain.org import GridKind, OrgUnit, UnitLevel
from gridbot.domain.orgtree import OrgTree, parse_level, validate_units

from .builders import (
    BUILDING,
    COMMUNITY,
    DISTRICT,
    FAR_GRID,
    GRID,
    NEIGHBOUR_GRID,
    OTHER_COMMUNITY,
    STREET,
    tree,
    units,
)


def codes(found: list[OrgUnit]) -> list[str]:
    return [unit.code for unit in found]


def test_get_returns_the_unit_and_an_unknown_code_is_not_found() -> None:
    assert tree().get(GRID).level == UnitLevel.GRID
    with pytest.raises(NotFound, match="NOPE"):
        tree().get("NOPE")


def test_parent_of_a_grid_is_its_community_and_the_district_has_none() -> None:
    org = tree()
    assert org.parent(GRID) == org.get(COMMUNITY)
    assert org.parent(DISTRICT) is None


def test_children_are_the_direct_children_only() -> None:
    assert codes(tree().children(STREET)) == [COMMUNITY, OTHER_COMMUNITY]
    assert tree().children(BUILDING) == []


def test_a_whole_tree_stays_whole_when_merged_and_a_partial_one_partial() -> None:
    everything = units()
    whole = OrgTree(everything[:-1], whole=True)
    assert whole.whole and whole.merged(everything[-1:]).whole
    assert not OrgTree(everything).whole
    assert not OrgTree(everything[:-1]).merged(everything[-1:]).whole


def test_ancestors_are_listed_nearest_first() -> None:
    assert codes(tree().ancestors(BUILDING)) == [GRID, COMMUNITY, STREET, DISTRICT]


def test_descendants_are_every_unit_below_parents_first() -> None:
    assert codes(tree().descendants(COMMUNITY)) == [GRID, BUILDING, NEIGHBOUR_GRID]
    assert len(tree().descendants(DISTRICT)) == len(units()) - 1


@pytest.mark.parametrize(
    ("code", "ancestor", "expected"),
    [
        (GRID, GRID, True),
        (BUILDING, COMMUNITY, True),
        (GRID, DISTRICT, True),
        (FAR_GRID, COMMUNITY, False),
        (COMMUNITY, GRID, False),
        ("NOPE", DISTRICT, False),
        (GRID, "NOPE", False),
    ],
)
def test_is_within_holds_for_the_unit_itself_and_everything_below(
    code: str, ancestor: str, expected: bool
) -> None:
    assert tree().is_within(code, ancestor) is expected


def test_grid_of_a_building_is_its_grid_and_of_a_grid_the_grid_itself() -> None:
    org = tree()
    assert org.grid_of(BUILDING) == org.get(GRID)
    assert org.grid_of(GRID) == org.get(GRID)
    assert org.grid_of(COMMUNITY) is None


def test_ancestor_at_finds_the_community_street_and_district_of_a_unit() -> None:
    org = tree()
    assert org.ancestor_at(BUILDING, UnitLevel.COMMUNITY) == org.get(COMMUNITY)
    assert org.ancestor_at(GRID, UnitLevel.STREET) == org.get(STREET)
    assert org.ancestor_at(STREET, UnitLevel.STREET) == org.get(STREET)
    assert org.ancestor_at(STREET, UnitLevel.GRID) is None


def test_a_tree_refuses_duplicate_codes_and_unknown_parents() -> None:
    with pytest.raises(ValidationFailed, match="appears twice"):
        OrgTree([*units(), OrgUnit(GRID, "again", UnitLevel.GRID, COMMUNITY)])
    with pytest.raises(ValidationFailed, match="unknown parent 'GHOST'"):
        OrgTree([OrgUnit("X", "x", UnitLevel.STREET, "GHOST")])


def test_a_well_formed_org_file_validates() -> None:
    validate_units(units())


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        (OrgUnit("G", "g", UnitLevel.GRID, STREET), "grid 'G' must be under a community"),
        (OrgUnit("B", "b", UnitLevel.BUILDING, COMMUNITY), "building 'B' must be under a grid"),
        (OrgUnit("C", "c", UnitLevel.COMMUNITY, DISTRICT), "must be under a street"),
        (OrgUnit("S", "s", UnitLevel.STREET), "street 'S' must be under a district"),
        (OrgUnit("S", "s", UnitLevel.STREET, GRID), "not under grid"),
        (OrgUnit("D", "d", UnitLevel.DISTRICT, DISTRICT), "cannot have a parent"),
        (
            OrgUnit("C", "c", UnitLevel.COMMUNITY, STREET, GridKind.DEDICATED),
            "only grids have a kind",
        ),
        (OrgUnit("G", "g", UnitLevel.GRID, "LATER"), "must be listed before it"),
        (OrgUnit(GRID, "g", UnitLevel.GRID, COMMUNITY), "appears twice"),
        (OrgUnit(" ", "blank", UnitLevel.GRID, COMMUNITY), "needs a code"),
    ],
)
def test_a_unit_in_the_wrong_place_is_refused_with_a_clear_reason(
    unit: OrgUnit, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        validate_units([*units(), unit])


def test_levels_are_parsed_and_an_unknown_one_lists_the_allowed_levels() -> None:
    assert parse_level(" Grid ") == UnitLevel.GRID
    with pytest.raises(ValidationFailed, match="district, street, community, grid, building"):
        parse_level("village")
