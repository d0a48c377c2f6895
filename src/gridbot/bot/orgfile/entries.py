"""The entries of an org file, each with the line it starts on, and the file as a whole;
``OrgFile.to_spec`` turns a validated file into what ``import_org`` merges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridbot.domain.care import CareCategory
from gridbot.domain.org import Category, GridKind, OrgUnit, Person, Role, UnitLevel
from gridbot.services.care.imports import CareSpec
from gridbot.services.orgimport import OrgSpec, PersonSpec, RoleSpec


class OrgFileError(Exception):
    """The org file cannot be imported; ``problems`` names each place and problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class UnitEntry:
    line: int
    code: str
    name: str
    level: str
    parent: str | None = None
    kind: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # where each key is
    name_en: str | None = None

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class CategoryEntry:
    line: int
    code: str
    name: str
    fields: dict[str, Any] = field(default_factory=dict)  # the optional keys, as written
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class RoleEntry:
    line: int
    role: str
    unit: str
    on_duty: bool = True


@dataclass
class PersonEntry:
    line: int
    name: str
    phone: Any = None
    telegram_id: Any = None
    language: str | None = None
    department: str | None = None
    roles: list[RoleEntry] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class CareEntry:
    """A care person (重点人群). ``worker`` is as written: a name of the people section, or
    that person's phone (text) or telegram_id (a number)."""

    line: int
    name: str
    grid: str
    category: str
    worker: Any
    interval_days: Any
    address: str | None = None
    phone: Any = None
    ref: str | None = None
    last_visit: Any = None
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class OrgFile:
    source: str
    units: list[UnitEntry] = field(default_factory=list)
    categories: list[CategoryEntry] = field(default_factory=list)
    people: list[PersonEntry] = field(default_factory=list)
    care: list[CareEntry] = field(default_factory=list)

    def to_spec(self) -> OrgSpec:
        """The validated file as domain objects, for ``import_org``."""
        return OrgSpec(
            units=[_unit(u) for u in self.units],
            categories=[_category(c) for c in self.categories],
            people=[_person(p) for p in self.people],
            care=[_care(c, self.people) for c in self.care],
        )


def find_worker(value: Any, people: list[PersonEntry]) -> list[int]:
    """The people of the file a care entry's ``worker`` names (indexes): by telegram_id
    (a number), by phone (digits as text), else by name. More than one: ambiguous."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [i for i, p in enumerate(people) if p.telegram_id == value]
    if not isinstance(value, str):
        return []
    by_phone = [i for i, p in enumerate(people) if p.phone is not None and p.phone == value]
    return by_phone or [i for i, p in enumerate(people) if p.name == value.strip()]


def _unit(entry: UnitEntry) -> OrgUnit:
    level = UnitLevel(entry.level)
    kind = GridKind(entry.kind or GridKind.RESIDENTIAL) if level == UnitLevel.GRID else None
    return OrgUnit(entry.code, entry.name, level, entry.parent, kind, name_en=entry.name_en)


def _category(entry: CategoryEntry) -> Category:
    values = dict(entry.fields)
    if "route_to" in values:
        values["route_to"] = Role(values["route_to"])
    return Category(code=entry.code, name=entry.name, **values)


def _person(entry: PersonEntry) -> PersonSpec:
    person = Person(
        name=entry.name,
        phone=entry.phone,
        telegram_id=entry.telegram_id,
        language=entry.language,
        department=entry.department,
    )
    roles = [RoleSpec(Role(r.role), r.unit, r.on_duty) for r in entry.roles]
    return PersonSpec(person, roles)


def _care(entry: CareEntry, people: list[PersonEntry]) -> CareSpec:
    (worker,) = find_worker(entry.worker, people)
    return CareSpec(
        name=entry.name,
        grid_code=entry.grid,
        category=CareCategory(entry.category),
        worker=worker,
        interval_days=int(entry.interval_days),
        address=entry.address,
        phone=entry.phone,
        ref=entry.ref,
        last_visit=entry.last_visit,
    )
