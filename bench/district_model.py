"""The synthetic district as the generator holds it while writing: where every grid is,
who works on it, and where its residents' ids begin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Grid:
    id: int
    code: str
    community_id: int
    street_id: int
    households: int
    dedicated: bool
    worker: int = 0  # person ids
    leader: int = 0
    secretary: int = 0
    helpers: list[int] = field(default_factory=list)  # party members: claim wishes
    police_guide: int = 0
    fire_guide: int = 0
    first_resident: int = 0
    residents: int = 0


@dataclass
class Staffed:
    """A community or street with the people cases escalate to there."""

    id: int
    code: str
    staff: list[int] = field(default_factory=list)
    liaisons: dict[str, int] = field(default_factory=dict)  # street: department -> person


@dataclass
class District:
    units: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)  # people rows
    roles: list[dict[str, Any]] = field(default_factory=list)  # their role rows
    grids: list[Grid] = field(default_factory=list)
    communities: dict[int, Staffed] = field(default_factory=dict)
    streets: dict[int, Staffed] = field(default_factory=dict)
    residents: int = 0
    first_resident_id: int = 0

    @property
    def street_codes(self) -> list[str]:
        return [street.code for street in self.streets.values()]
