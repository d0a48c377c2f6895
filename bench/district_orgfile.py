"""The synthetic district (``bench/district_org.py``) as an org file in the demo's format:
units with their parent codes, the demo's categories, the staff with their roles, and
optionally residents, one ``resident`` role each on their grid.

The statistics benchmark writes the district's rows straight into the database; the org
import benchmark needs the same district as an administrator would hand it to
``gridbot org import``.
"""

from __future__ import annotations

import random
from typing import Any

from .district_names import person_row
from .district_org import build_district
from .org import read_demo_org


def district_org(seed: int = 1, residents: int = 0) -> dict[str, Any]:
    """The org file's content: the district of ``seed`` with ``residents`` residents."""
    rng = random.Random(seed)
    district = build_district(rng, residents)
    codes = {row["id"]: row["code"] for row in district.units}
    units = [_unit(row, codes) for row in district.units]
    by_person: dict[int, list[dict[str, str]]] = {}
    for role in district.roles:
        by_person.setdefault(role["person_id"], []).append(
            {"role": role["role"], "unit": codes[role["unit_id"]]}
        )
    phones: set[str] = set()
    people = [_person(row, by_person[row["id"]], phones) for row in district.staff]
    for grid in district.grids if residents else ():
        for person_id in range(grid.first_resident, grid.first_resident + grid.residents):
            row = person_row(person_id, rng)
            people.append(_person(row, [{"role": "resident", "unit": grid.code}], phones))
    return {"units": units, "categories": read_demo_org()["categories"], "people": people}


def _unit(row: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    unit = {"code": row["code"], "name": row["name"], "level": row["level"]}
    if row["parent_id"] is not None:
        unit["parent"] = codes[row["parent_id"]]
    if row["kind"]:
        unit["kind"] = row["kind"]
    return unit


def _person(row: dict[str, Any], roles: list[dict[str, str]], phones: set[str]) -> dict[str, Any]:
    person: dict[str, Any] = {"name": row["name"]}
    phone = row["phone"]
    if phone and phone not in phones:  # the org file refuses a phone given twice
        phones.add(phone)
        person["phone"] = phone
    person["telegram_id"] = row["telegram_id"]
    if row["department"]:
        person["department"] = row["department"]
    person["roles"] = roles
    return person
