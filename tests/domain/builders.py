"""Plain builders for the domain tests: a small org tree, staff and cases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gridbot.domain.care import CareCategory, CarePerson
from gridbot.domain.case import Case, CaseKind, CaseLevel, CaseStatus
from gridbot.domain.org import GridKind, OrgUnit, Person, Role, RoleAssignment, Staff, UnitLevel
from gridbot.domain.orgtree import OrgTree

DISTRICT = "DL"
STREET = "DL-WX"
COMMUNITY = "DL-WX-LY"
OTHER_COMMUNITY = "DL-WX-HP"
GRID = "DL-WX-LY-01"
NEIGHBOUR_GRID = "DL-WX-LY-02"
FAR_GRID = "DL-WX-HP-01"
BUILDING = "DL-WX-LY-01-B1"

T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
REPORTER = 98
ASSIGNEE = 99


def units() -> list[OrgUnit]:
    """District → street → two communities → grids, and one building."""
    return [
        OrgUnit(DISTRICT, "东丽区", UnitLevel.DISTRICT),
        OrgUnit(STREET, "万新街道", UnitLevel.STREET, DISTRICT),
        OrgUnit(COMMUNITY, "临月里社区", UnitLevel.COMMUNITY, STREET),
        OrgUnit(OTHER_COMMUNITY, "和平社区", UnitLevel.COMMUNITY, STREET),
        OrgUnit(GRID, "临月里第一网格", UnitLevel.GRID, COMMUNITY, GridKind.RESIDENTIAL),
        OrgUnit(NEIGHBOUR_GRID, "临月里第二网格", UnitLevel.GRID, COMMUNITY),
        OrgUnit(FAR_GRID, "和平第一网格", UnitLevel.GRID, OTHER_COMMUNITY),
        OrgUnit(BUILDING, "1号楼", UnitLevel.BUILDING, GRID),
    ]


def tree() -> OrgTree:
    return OrgTree(units())


def staff(person_id: int, *roles: tuple[Role, str], department: str | None = None) -> Staff:
    person = Person(name=f"person {person_id}", id=person_id, department=department)
    return Staff(person, [RoleAssignment(person_id, role, unit) for role, unit in roles])


def person(person_id: int, department: str | None = None) -> Person:
    return Person(name=f"person {person_id}", id=person_id, department=department)


def make_case(**changes: Any) -> Case:
    """An issue on GRID, handled at grid level by ASSIGNEE, reported by REPORTER."""
    fields: dict[str, Any] = {
        "number": "2026-000001",
        "kind": CaseKind.ISSUE,
        "category_code": "security",
        "text": "the street light is broken",
        "reporter_id": REPORTER,
        "grid_code": GRID,
        "created_at": T0,
        "status": CaseStatus.ASSIGNED,
        "level": CaseLevel.GRID,
        "unit_code": GRID,
        "assignee_id": ASSIGNEE,
        "department": "police",
        "id": 1,
    }
    fields.update(changes)
    return Case(**fields)


def make_wish(**changes: Any) -> Case:
    wish: dict[str, Any] = {
        "kind": CaseKind.WISH,
        "category_code": "wish",
        "status": CaseStatus.APPROVED,
        "department": None,
    }
    return make_case(**(wish | changes))


def care_person(worker_id: int, grid_code: str = GRID) -> CarePerson:
    return CarePerson(
        name="王奶奶",
        grid_code=grid_code,
        category=CareCategory.ELDERLY_ALONE,
        worker_id=worker_id,
        id=5,
    )
