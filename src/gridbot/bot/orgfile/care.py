"""The rules of the org file's ``care:`` section (key residents, 重点人群): each entry's
grid, category, interval, worker, phone and lengths, and what must be unique across them.

Each problem is a message ``<file>:<line>: care <name>: <problem>``; nothing is raised.
"""

from __future__ import annotations

from collections.abc import Iterable

from gridbot.bot.orgfile.entries import CareEntry, OrgFile, find_worker
from gridbot.domain.care import (
    CARE_WORKER_ROLES,
    MAX_ADDRESS,
    MAX_INTERVAL_DAYS,
    MAX_NAME,
    MAX_REF,
    MIN_INTERVAL_DAYS,
    CareCategory,
)
from gridbot.domain.org import UnitLevel

PHONE_DIGITS = range(5, 21)


def _names(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


class _CareChecker:
    def __init__(self, org: OrgFile) -> None:
        self.org = org
        self.problems: list[str] = []
        self.units = {u.code: u for u in org.units}

    def problem(self, line: int, entry: CareEntry, message: str) -> None:
        self.problems.append(f"{self.org.source}:{line}: care {entry.name}: {message}")

    def check(self) -> list[str]:
        for entry in self.org.care:
            self.check_grid(entry)
            self.check_category(entry)
            self.check_interval(entry)
            self.check_worker(entry)
            self.check_details(entry)
        self.check_unique()
        return self.problems

    def check_grid(self, entry: CareEntry) -> None:
        unit = self.units.get(entry.grid)
        if unit is None:
            self.problem(entry.at("grid"), entry, f"unknown grid {entry.grid}")
        elif unit.level != UnitLevel.GRID:
            self.problem(entry.at("grid"), entry, f"{entry.grid} is a {unit.level}, not a grid")

    def check_category(self, entry: CareEntry) -> None:
        if entry.category not in set(CareCategory):
            known = _names(CareCategory)
            self.problem(
                entry.at("category"), entry, f"unknown category {entry.category} ({known})"
            )

    def check_interval(self, entry: CareEntry) -> None:
        days = entry.interval_days
        whole = isinstance(days, int) and not isinstance(days, bool)
        if not whole or not MIN_INTERVAL_DAYS <= days <= MAX_INTERVAL_DAYS:
            self.problem(
                entry.at("interval_days"),
                entry,
                f"interval_days must be whole days from {MIN_INTERVAL_DAYS} to "
                f"{MAX_INTERVAL_DAYS}, not {days!r}",
            )

    def check_worker(self, entry: CareEntry) -> None:
        people = self.org.people
        found = find_worker(entry.worker, people)
        line = entry.at("worker")
        if not found:
            self.problem(line, entry, f"worker {entry.worker!r} is not among the people")
            return
        if len(found) > 1:
            lines = _names(people[i].line for i in found)
            self.problem(
                line,
                entry,
                f"worker {entry.worker} is ambiguous (lines {lines}): "
                "name them by their phone or telegram_id",
            )
            return
        worker, unit = people[found[0]], self.units.get(entry.grid)
        if unit is None or unit.level != UnitLevel.GRID:
            return  # the grid's own problem is enough
        if not any(r.role in CARE_WORKER_ROLES and r.unit == entry.grid for r in worker.roles):
            *most, last = CARE_WORKER_ROLES
            roles = f"{', '.join(most)} or {last}"
            self.problem(line, entry, f"worker {worker.name} is not a {roles} of {entry.grid}")

    def check_details(self, entry: CareEntry) -> None:
        if len(entry.name) > MAX_NAME:
            self.problem(entry.line, entry, f"a name is at most {MAX_NAME} characters")
        if entry.address is not None and len(entry.address) > MAX_ADDRESS:
            self.problem(
                entry.at("address"), entry, f"an address is at most {MAX_ADDRESS} characters"
            )
        if entry.ref is not None and len(entry.ref) > MAX_REF:
            self.problem(entry.at("ref"), entry, f"a ref is at most {MAX_REF} characters")
        phone = entry.phone
        if phone is None:
            return
        if not isinstance(phone, str):
            self.problem(entry.at("phone"), entry, f'phone must be quoted text, like "{phone}"')
        elif not (phone.isdigit() and len(phone) in PHONE_DIGITS):
            self.problem(entry.at("phone"), entry, f"phone {phone} must be 5-20 digits")

    def check_unique(self) -> None:
        refs: dict[str, CareEntry] = {}
        named: dict[tuple[str, str], CareEntry] = {}
        for entry in self.org.care:
            if entry.ref is not None:
                if entry.ref in refs:
                    first = refs[entry.ref]
                    self.problem(
                        entry.at("ref"), entry, f"ref {entry.ref} already used on line {first.line}"
                    )
                refs.setdefault(entry.ref, entry)
                continue
            key = (entry.grid, entry.name)
            if key in named:
                self.problem(
                    entry.line,
                    entry,
                    f"same name on the same grid as on line {named[key].line}: "
                    "give each a ref to tell them apart",
                )
            named.setdefault(key, entry)


def check_care(org: OrgFile) -> list[str]:
    """Every problem of the care section, in the order of the file."""
    return _CareChecker(org).check()
