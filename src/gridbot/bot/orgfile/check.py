"""The rules of the org file that span entries: codes, the tree, routing, identities, roles.

Each check returns messages ``<file>:<line>: <entry>: <problem>``; nothing is raised here.
"""

from __future__ import annotations

import re
from typing import Any

from gridbot.bot.orgfile.care import check_care
from gridbot.bot.orgfile.entries import CategoryEntry, OrgFile, PersonEntry, UnitEntry
from gridbot.domain.org import GridKind, Role, UnitLevel
from gridbot.domain.orgtree import PARENT_LEVEL

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
PHONE = re.compile(r"\d{5,20}")
LANGUAGES = ("zh", "en")
NEEDS_DEPARTMENT = (Role.GRID_GUIDE, Role.DEPARTMENT_LIAISON)
RESIDENT_LEVELS = (UnitLevel.GRID, UnitLevel.BUILDING)
MAX_UNIT_NAME = 200  # org_units.name and name_en


def _names(values: Any) -> str:
    return ", ".join(str(v) for v in values)


class _Checker:
    def __init__(self, org: OrgFile) -> None:
        self.org = org
        self.problems: list[str] = []

    def problem(self, line: int, label: str, message: str) -> None:
        self.problems.append(f"{self.org.source}:{line}: {label}: {message}")

    def check(self) -> list[str]:
        self.check_units()
        self.check_categories()
        self.check_people()
        return self.problems

    def check_units(self) -> None:
        lines = {u.code: u.line for u in reversed(self.org.units)}
        seen: dict[str, UnitEntry] = {}
        for unit in self.org.units:
            label = f"unit {unit.code}"
            if unit.code in seen:
                self.problem(unit.line, label, f"code already used on line {lines[unit.code]}")
                continue
            if not CODE.fullmatch(unit.code):
                self.problem(unit.line, label, "a code is 1-40 letters, digits, - or _")
            self.check_parent(unit, label, seen, lines)
            self.check_kind(unit, label)
            self.check_names(unit, label)
            seen[unit.code] = unit

    def check_parent(
        self, unit: UnitEntry, label: str, seen: dict[str, UnitEntry], lines: dict[str, int]
    ) -> None:
        try:
            level = UnitLevel(unit.level)
        except ValueError:
            levels = _names(UnitLevel)
            return self.problem(unit.at("level"), label, f"unknown level {unit.level} ({levels})")
        wanted = PARENT_LEVEL[level]
        if unit.parent is None:
            if wanted is not None:
                self.problem(unit.line, label, f"a {level} needs a parent {wanted}")
        elif unit.parent == unit.code:
            self.problem(unit.line, label, "a unit cannot be its own parent")
        elif unit.parent in seen:
            parent = seen[unit.parent]
            if wanted is None:
                self.problem(unit.line, label, f"a {level} has no parent")
            elif parent.level != wanted:
                self.problem(
                    unit.line,
                    label,
                    f"a {level} must be under a {wanted}, "
                    f"not under {parent.level} {parent.code} (line {parent.line})",
                )
        elif unit.parent in lines:
            self.problem(
                unit.line,
                label,
                f"parent {unit.parent} must come before it (it is on line {lines[unit.parent]})",
            )
        else:
            self.problem(unit.line, label, f"unknown parent {unit.parent}")

    def check_kind(self, unit: UnitEntry, label: str) -> None:
        if unit.kind is None:
            return
        if unit.level != UnitLevel.GRID:
            self.problem(unit.at("kind"), label, "only grids have a kind")
        elif unit.kind not in set(GridKind):
            self.problem(unit.at("kind"), label, f"unknown kind {unit.kind} ({_names(GridKind)})")

    def check_names(self, unit: UnitEntry, label: str) -> None:
        for key, name in (("name", unit.name), ("name_en", unit.name_en)):
            if name is not None and len(name) > MAX_UNIT_NAME:
                self.problem(
                    unit.at(key), label, f"{key} is longer than {MAX_UNIT_NAME} characters"
                )

    def check_categories(self) -> None:
        first: dict[str, int] = {}
        for category in self.org.categories:
            label = f"category {category.code}"
            if category.code in first:
                self.problem(
                    category.line, label, f"code already used on line {first[category.code]}"
                )
                continue
            first[category.code] = category.line
            if not CODE.fullmatch(category.code):
                self.problem(category.line, label, "a code is 1-40 letters, digits, - or _")
            self.check_routing(category, label)
            self.check_deadlines(category, label)

    def check_routing(self, category: CategoryEntry, label: str) -> None:
        fields = category.fields
        route_to = fields.get("route_to", Role.GRID_WORKER.value)
        department = fields.get("department")
        if department is not None and not isinstance(department, str):
            self.problem(category.at("department"), label, "department must be text")
        if route_to not in set(Role) or route_to == Role.RESIDENT:
            staff = _names(r for r in Role if r != Role.RESIDENT)
            return self.problem(
                category.at("route_to"), label, f"unknown route_to role {route_to} ({staff})"
            )
        if route_to in NEEDS_DEPARTMENT and not department:
            self.problem(category.line, label, f"routing to {route_to} needs a department")
        for key in ("name_en",):
            if key in fields and not isinstance(fields[key], str):
                self.problem(category.at(key), label, f"{key} must be text")
        for key in ("requires_evidence", "active"):
            if key in fields and not isinstance(fields[key], bool):
                self.problem(category.at(key), label, f"{key} must be true or false")

    def check_deadlines(self, category: CategoryEntry, label: str) -> None:
        numbers: dict[str, float] = {}
        for key in ("respond_hours", "resolve_hours", "follow_up_days"):
            value = category.fields.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                self.problem(
                    category.at(key), label, f"{key} must be a positive number, not {value}"
                )
            else:
                numbers[key] = value
        respond, resolve = numbers.get("respond_hours"), numbers.get("resolve_hours")
        if respond is not None and resolve is not None and resolve < respond:
            self.problem(
                category.at("resolve_hours"), label, "resolve_hours is shorter than respond_hours"
            )

    def check_people(self) -> None:
        units = {u.code: u for u in self.org.units}
        telegram_ids: dict[int, PersonEntry] = {}
        phones: dict[str, PersonEntry] = {}
        named: dict[str, list[PersonEntry]] = {}
        for person in self.org.people:
            named.setdefault(person.name, []).append(person)
        for person in self.org.people:
            label = f"person {person.name}"
            self.check_identity(person, label, telegram_ids, phones, named)
            if person.language is not None and person.language not in LANGUAGES:
                self.problem(
                    person.at("language"), label, f"unknown language {person.language} (zh, en)"
                )
            self.check_roles(person, label, units)

    def check_identity(
        self,
        person: PersonEntry,
        label: str,
        telegram_ids: dict[int, PersonEntry],
        phones: dict[str, PersonEntry],
        named: dict[str, list[PersonEntry]],
    ) -> None:
        tg, phone = person.telegram_id, person.phone
        if tg is not None:
            if isinstance(tg, bool) or not isinstance(tg, int) or tg <= 0:
                self.problem(
                    person.at("telegram_id"),
                    label,
                    f"telegram_id must be a positive integer, not {tg!r}",
                )
            elif tg in telegram_ids:
                other = telegram_ids[tg]
                self.problem(
                    person.at("telegram_id"),
                    label,
                    f"telegram_id {tg} already used by {other.name} (line {other.line})",
                )
            else:
                telegram_ids[tg] = person
        if phone is not None:
            if not isinstance(phone, str):
                self.problem(
                    person.at("phone"), label, f'phone must be quoted text, like "{phone}"'
                )
            elif not PHONE.fullmatch(phone):
                self.problem(person.at("phone"), label, f"phone {phone} must be 5-20 digits")
            elif phone in phones:
                other = phones[phone]
                self.problem(
                    person.at("phone"),
                    label,
                    f"phone {phone} already used by {other.name} (line {other.line})",
                )
            else:
                phones[phone] = person
        if tg is None and phone is None and len(named[person.name]) > 1:
            lines = _names(p.line for p in named[person.name] if p is not person)
            self.problem(
                person.line,
                label,
                f"same name as on line {lines}: give a telegram_id or phone to tell them apart",
            )

    def check_roles(self, person: PersonEntry, label: str, units: dict[str, UnitEntry]) -> None:
        held: set[tuple[str, str]] = set()
        for role in person.roles:
            where = f"{label}: role {role.role} on {role.unit}"
            if role.role not in set(Role):
                self.problem(role.line, label, f"unknown role {role.role} ({_names(Role)})")
            if role.unit not in units:
                self.problem(role.line, label, f"role {role.role} on unknown unit {role.unit}")
            elif role.role == Role.RESIDENT and units[role.unit].level not in RESIDENT_LEVELS:
                self.problem(role.line, where, "a resident belongs to a grid or a building")
            if (role.role, role.unit) in held:
                self.problem(role.line, where, "given twice")
            held.add((role.role, role.unit))
            if role.role in NEEDS_DEPARTMENT and not person.department:
                self.problem(role.line, where, "needs the person's department")


def check_org_file(org: OrgFile) -> list[str]:
    """Every problem with the entries of ``org`` that a single entry cannot show alone."""
    return _Checker(org).check() + check_care(org)
