"""The benchmark's organisation: the demo org file plus generated residents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gridbot.bot.demo import DEMO_GROUPS, find_org_file

TEAM_ROLES = ("grid_worker", "grid_leader")  # told of every new case on their grid
FIRST_RESIDENT_ID = 3001  # clear of the demo's people (1001.. staff, 2001.. residents)
RESIDENT_LEVELS = ("grid", "building")


@dataclass(frozen=True)
class Resident:
    user_id: int
    name: str
    unit: str

    @property
    def persona(self) -> dict[str, Any]:
        """As the stand's /sim/users and web chat take a person."""
        return {"user_id": self.user_id, "first_name": self.name, "language_code": "zh-hans"}


def make_residents(count: int, org: dict[str, Any]) -> list[Resident]:
    """居民01.. with telegram ids 3001.., spread round-robin over the grids and buildings, so
    the cases (and their notices to grid workers) spread over every grid of the demo."""
    units = [unit["code"] for unit in org["units"] if unit["level"] in RESIDENT_LEVELS]
    return [
        Resident(FIRST_RESIDENT_ID + index, f"居民{index + 1:02d}", units[index % len(units)])
        for index in range(count)
    ]


def with_residents(org: dict[str, Any], residents: list[Resident]) -> dict[str, Any]:
    """The org file's content with one ``resident`` role per generated resident."""
    people = [
        {
            "name": resident.name,
            "telegram_id": resident.user_id,
            "roles": [{"role": "resident", "unit": resident.unit}],
        }
        for resident in residents
    ]
    return {**org, "people": [*org["people"], *people]}


def write_org_file(path: Path, org: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(org, allow_unicode=True, sort_keys=False), encoding="utf-8")


def personas(org: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone with a telegram id, as the stand's web chat and /sim/users take a person."""
    return [
        {
            "user_id": person["telegram_id"],
            "first_name": person["name"],
            "language_code": "en" if person.get("language") == "en" else "zh-hans",
        }
        for person in org["people"]
        if person.get("telegram_id")
    ]


def read_demo_org() -> dict[str, Any]:
    org: dict[str, Any] = yaml.safe_load(find_org_file().read_text(encoding="utf-8"))
    return org


def grid_teams(org: dict[str, Any], residents: list[Resident]) -> dict[int, list[int]]:
    """For each resident, the chats gridbot tells of their new case besides their own: the
    grid's workers and leaders (those with a telegram id) and the grid's bound work group.
    ``bench/calls_bot.py`` sends its notices there."""
    parents = {unit["code"]: unit.get("parent") for unit in org["units"]}
    levels = {unit["code"]: unit["level"] for unit in org["units"]}
    teams = {}
    for resident in residents:
        grid = resident.unit if levels[resident.unit] == "grid" else parents[resident.unit]
        staff = [
            person["telegram_id"]
            for person in org["people"]
            if person.get("telegram_id")
            and any(r["role"] in TEAM_ROLES and r["unit"] == grid for r in person["roles"])
        ]
        groups = [g.chat_id for g in DEMO_GROUPS if g.bind == f"/bind {grid} worker"]
        teams[resident.user_id] = staff + groups
    return teams
