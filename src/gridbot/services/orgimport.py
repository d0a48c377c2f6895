"""Importing the organisation (units, categories, people and their roles, care persons)
from an org file.

The file has already been read and validated (``gridbot.bot.orgfile``); this use case only
merges it into storage, in one transaction and idempotently: everything is matched by a
stable key and updated in place, so importing the same file twice changes nothing the
second time (nor moves the org revision). What exists is read in a few queries and the
differences written in batches: a district's file is thousands of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from gridbot.domain.org import Category, OrgUnit, Person, Role, RoleAssignment
from gridbot.services.care.imports import CareSpec, import_care
from gridbot.services.context import Context
from gridbot.services.orgimport_people import (
    InviteIssue,
    RoleChanges,
    match_people,
    merge_person,
    save_people,
)
from gridbot.services.ports import UnitOfWork

TokenFactory = Callable[[], str]


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    unit_code: str
    on_duty: bool = True


@dataclass
class PersonSpec:
    person: Person
    roles: list[RoleSpec] = field(default_factory=list)


@dataclass
class OrgSpec:
    """A validated org file: units with parents first, categories, people with roles,
    care persons."""

    units: list[OrgUnit] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    care: list[CareSpec] = field(default_factory=list)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, *, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass(frozen=True)
class Invite:
    name: str
    code: str  # /start inv_<code>


@dataclass
class ImportReport:
    units: Tally = field(default_factory=Tally)
    categories: Tally = field(default_factory=Tally)
    people: Tally = field(default_factory=Tally)
    care: Tally = field(default_factory=Tally)
    invites: list[Invite] = field(default_factory=list)
    people_ids: list[int] = field(default_factory=list)  # of the file's people, in order


@dataclass(frozen=True)
class ImportOrg:
    spec: OrgSpec
    new_token: TokenFactory  # join/bind tokens and invite codes, made once and kept


async def import_org(cmd: ImportOrg, ctx: Context) -> ImportReport:
    """Merge the org file into storage; all or nothing.

    Units and categories are matched by code, people by telegram_id, else phone, else name.
    Join/bind tokens and invite codes are made once by ``new_token`` and kept on re-import;
    an invite code not accepted within ``ctx.timing.invite_valid`` is made anew (and dated).
    A person's staff roles become exactly the file's; resident bindings made in the bot are
    kept.
    """
    async with ctx.writing() as uow:
        issue = InviteIssue(cmd.new_token, ctx.clock.now(), ctx.timing.invite_valid)
        report = await _merge(cmd.spec, uow, issue)
        for created, changed in await import_care(cmd.spec.care, report.people_ids, uow, ctx):
            report.care.count(created=created, changed=changed)
        await uow.commit()
    return report


async def _merge(spec: OrgSpec, uow: UnitOfWork, issue: InviteIssue) -> ImportReport:
    report = ImportReport()
    await _import_units(spec.units, uow, issue.new_token, report.units)
    await _import_categories(spec.categories, uow, report.categories)
    await _import_people(spec.people, uow, issue, report)
    return report


async def _import_units(
    units: Sequence[OrgUnit], uow: UnitOfWork, token_factory: TokenFactory, tally: Tally
) -> None:
    stored = {unit.code: unit for unit in await uow.org.list_units()}
    changed: list[OrgUnit] = []
    for unit in units:
        existing = stored.get(unit.code)
        merged = replace(
            unit,
            join_token=existing.join_token if existing and existing.join_token else token_factory(),
            bind_token=existing.bind_token if existing and existing.bind_token else token_factory(),
            id=existing.id if existing else None,
        )
        if merged != existing:
            changed.append(merged)
        tally.count(created=existing is None, changed=merged != existing)
    if changed:
        await uow.orgfile.save_units(changed)


async def _import_categories(categories: Sequence[Category], uow: UnitOfWork, tally: Tally) -> None:
    stored = {category.code: category for category in await uow.categories.list_all()}
    for category in categories:
        existing = stored.get(category.code)
        merged = replace(category, id=existing.id if existing else None)
        changed = merged != existing
        if changed:
            await uow.categories.save(merged)
        tally.count(created=existing is None, changed=changed)


async def _import_people(
    entries: Sequence[PersonSpec], uow: UnitOfWork, issue: InviteIssue, report: ImportReport
) -> None:
    matches = await match_people([entry.person for entry in entries], uow)
    merged = [merge_person(e.person, m, issue) for e, m in zip(entries, matches, strict=True)]
    people, changed = await save_people(merged, matches, uow)
    held = await uow.orgfile.roles_of_people([m.id for m in matches if m and m.id is not None])
    roles = RoleChanges()
    for entry, person, existing, person_changed in zip(
        entries, people, matches, changed, strict=True
    ):
        assert person.id is not None, "saving a person gives it an id"
        wanted = {RoleAssignment(person.id, r.role, r.unit_code, r.on_duty) for r in entry.roles}
        roles_changed = roles.diff(person.id, held.get(person.id, ()), wanted)
        report.people.count(created=existing is None, changed=person_changed or roles_changed)
        report.people_ids.append(person.id)
        if person.telegram_id is None and person.invite_code:
            report.invites.append(Invite(person.name, person.invite_code))
    await roles.write(uow)
