"""The synthetic district's organisation: units, categories, staff and residents, as rows.

Modelled on Dongli district (docs/benchmarks.md): 11 streets (their real names), about 100
communities and 1,150 grids of 150-500 households, a worker and a leader on every grid,
community staff, street dispatchers, department liaisons and supervisors, police and fire
guides serving a community's grids each (一员多格), and residents on their grids. Everything
is drawn from one seeded ``random.Random``: the same seed gives the same district.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from gridbot.domain.wishes import DEFAULT_WISH_CATEGORY

from .district_model import District, Grid, Staffed
from .district_names import (
    DEDICATED,
    STREETS,
    community_name,
    numeral,
    person_row,
)
from .district_staff import add_staff
from .org import read_demo_org

DISTRICT = ("DL", "东丽区")
COMMUNITIES, GRIDS = 103, 1147


def build_district(rng: random.Random, residents: int) -> District:
    """The units, categories and staff (as rows) and where the residents will live."""
    district = District(categories=category_rows())
    district.units.append(unit_row(1, *DISTRICT, "district", None))
    shares = _spread(COMMUNITIES, len(STREETS), rng)
    grid_shares = _spread(GRIDS, COMMUNITIES, rng)
    for (code, name), communities in zip(STREETS, shares, strict=True):
        street_id = len(district.units) + 1
        district.units.append(unit_row(street_id, f"DL-{code}", name, "street", 1))
        district.streets[street_id] = Staffed(street_id, f"DL-{code}")
        taken: set[str] = set()
        for index in range(communities):
            stem, initials = community_name(rng, code, index, taken)
            _add_community(district, rng, street_id, stem, initials, grid_shares.pop())
    add_staff(district, rng)
    _place_residents(district, residents)
    return district


def category_rows() -> list[dict[str, Any]]:
    """The demo org's categories, and the wishes' own (inactive) one."""
    found: list[dict[str, Any]] = []
    for spec in read_demo_org()["categories"]:
        found.append(
            {
                "id": len(found) + 1,
                "code": spec["code"],
                "name": spec["name"],
                "name_en": spec.get("name_en"),
                "route_to": spec["route_to"],
                "department": spec.get("department"),
                "respond_hours": float(spec["respond_hours"]),
                "resolve_hours": float(spec["resolve_hours"]),
                "follow_up_days": float(spec["follow_up_days"]),
                "requires_evidence": bool(spec.get("requires_evidence", False)),
                "active": True,
            }
        )
    wish = DEFAULT_WISH_CATEGORY
    found.append(
        {
            "id": len(found) + 1,
            "code": wish.code,
            "name": wish.name,
            "name_en": wish.name_en,
            "route_to": wish.route_to.value,
            "department": None,
            "respond_hours": wish.respond_hours,
            "resolve_hours": wish.resolve_hours,
            "follow_up_days": wish.follow_up_days,
            "requires_evidence": False,
            "active": False,
        }
    )
    return found


def unit_row(
    unit_id: int, code: str, name: str, level: str, parent_id: int | None, kind: str | None = None
) -> dict[str, Any]:
    return {
        "id": unit_id,
        "code": code,
        "name": name,
        "level": level,
        "parent_id": parent_id,
        "kind": kind,
        "join_token": f"j{unit_id:07d}bench",
        "bind_token": f"b{unit_id:07d}bench",
    }


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` over ``parts`` unevenly (each 70%-130% of the mean), summing exactly."""
    weights = [rng.uniform(0.7, 1.3) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    for index in range(total - sum(counts)):
        counts[index % parts] += 1
    return counts


def _add_community(
    district: District, rng: random.Random, street_id: int, stem: str, initials: str, grids: int
) -> None:
    street = district.streets[street_id]
    community_id = len(district.units) + 1
    code = f"{street.code}-{initials}"
    district.units.append(unit_row(community_id, code, f"{stem}社区", "community", street_id))
    district.communities[community_id] = Staffed(community_id, code)
    for number in range(1, grids + 1):
        grid_id = len(district.units) + 1
        dedicated = number == grids and rng.random() < 0.5  # 专属网格: a park, a market
        name = (
            f"{stem}{rng.choice(DEDICATED)}网格" if dedicated else f"{stem}第{numeral(number)}网格"
        )
        kind = "dedicated" if dedicated else "residential"
        district.units.append(
            unit_row(grid_id, f"{code}-{number:02d}", name, "grid", community_id, kind)
        )
        households = rng.randint(60, 200) if dedicated else rng.randint(150, 500)
        district.grids.append(
            Grid(grid_id, f"{code}-{number:02d}", community_id, street_id, households, dedicated)
        )


def _place_residents(district: District, residents: int) -> None:
    """Residents per grid in proportion to its households; ids follow the staff's."""
    households = sum(grid.households for grid in district.grids)
    next_id = len(district.staff) + 1
    district.first_resident_id = next_id
    left = residents
    for index, grid in enumerate(district.grids):
        after = len(district.grids) - index - 1  # grids still to place: one resident at least
        share = max(1, round(residents * grid.households / households))
        grid.residents = left if not after else min(left - after, share)
        grid.first_resident = next_id
        next_id += grid.residents
        left -= grid.residents
    district.residents = residents


def resident_rows(
    district: District, rng: random.Random, batch: int
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """(people, role rows) of the residents, ``batch`` at a time, in id order."""
    people: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    for grid in district.grids:
        for person_id in range(grid.first_resident, grid.first_resident + grid.residents):
            people.append(person_row(person_id, rng))
            roles.append(
                {"person_id": person_id, "role": "resident", "unit_id": grid.id, "on_duty": True}
            )
            if len(people) >= batch:
                yield people, roles
                people, roles = [], []
    if people:
        yield people, roles
