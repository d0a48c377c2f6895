"""Importing the organisation (units, categories, people and their roles, care persons)
from an org file.

The file has already been read and validated (``gridbot.bot.orgfile``); this use case only
merges it into storage, in one transaction and idempotently: everything is matched by a
stable key and updated in place, so importing the same file twice changes nothing the
second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from gridbot.domain.org import Category, OrgUnit, Person, Role, RoleAssignment
from gridbot.services.care.imports import CareSpec, import_care
from gridbot.services.context import Context
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
        issue = _InviteIssue(cmd.new_token, ctx.clock.now(), ctx.timing.invite_valid)
        report = await _merge(cmd.spec, uow, issue)
        for created, changed in await import_care(cmd.spec.care, report.people_ids, uow, ctx):
            report.care.count(created=created, changed=changed)
        await uow.commit()
    return report


@dataclass(frozen=True)
class _InviteIssue:
    """How invite codes are made at this import: by ``new_token``, dated ``now``, and made
    anew once ``valid`` has passed without anyone accepting them."""

    new_token: TokenFactory
    now: datetime
    valid: timedelta


async def _merge(spec: OrgSpec, uow: UnitOfWork, issue: _InviteIssue) -> ImportReport:
    token_factory = issue.new_token
    report = ImportReport()
    for unit in spec.units:
        await _import_unit(unit, uow, token_factory, report.units)
    for category in spec.categories:
        await _import_category(category, uow, report.categories)
    matches = await _match_people(spec.people, uow)
    for entry, existing in zip(spec.people, matches, strict=True):
        person = await _import_person(entry, existing, uow, issue, report)
        assert person.id is not None
        report.people_ids.append(person.id)
        if person.telegram_id is None and person.invite_code:
            report.invites.append(Invite(person.name, person.invite_code))
    return report


async def _import_unit(
    unit: OrgUnit, uow: UnitOfWork, token_factory: TokenFactory, tally: Tally
) -> None:
    existing = await uow.org.get_unit(unit.code)
    merged = replace(
        unit,
        join_token=existing.join_token if existing and existing.join_token else token_factory(),
        bind_token=existing.bind_token if existing and existing.bind_token else token_factory(),
        id=existing.id if existing else None,
    )
    changed = merged != existing
    if changed:
        await uow.org.save_unit(merged)
    tally.count(created=existing is None, changed=changed)


async def _import_category(category: Category, uow: UnitOfWork, tally: Tally) -> None:
    existing = await uow.categories.get(category.code)
    merged = replace(category, id=existing.id if existing else None)
    changed = merged != existing
    if changed:
        await uow.categories.save(merged)
    tally.count(created=existing is None, changed=changed)


async def _match_people(entries: Sequence[PersonSpec], uow: UnitOfWork) -> list[Person | None]:
    """Match strongest identities first, so a name never claims someone a telegram_id owns."""
    matches: list[Person | None] = [None] * len(entries)
    claimed: set[int | None] = {None}

    def claim(index: int, found: Person | None) -> None:
        if found is not None and found.id not in claimed:
            matches[index] = found
            claimed.add(found.id)

    for i, entry in enumerate(entries):
        if entry.person.telegram_id is not None:
            claim(i, await uow.people.by_telegram_id(entry.person.telegram_id))
    for i, entry in enumerate(entries):
        phone = entry.person.phone
        if matches[i] is None and phone:
            found = await uow.people.find(entry.person.name, phone)
            claim(i, found if found and found.phone == phone else None)
    for i, entry in enumerate(entries):
        if matches[i] is None:
            namesakes = await uow.people.named(entry.person.name)
            candidates = [p for p in namesakes if p.id not in claimed]
            claim(i, next((p for p in candidates if _may_match_by_name(entry.person, p)), None))
    return matches


def _may_match_by_name(wanted: Person, found: Person) -> bool:
    # A same-named person who joined in the bot (telegram_id, no invite) is somebody else.
    if found.name != wanted.name:
        return False
    if found.telegram_id is None or found.telegram_id == wanted.telegram_id:
        return True
    return wanted.telegram_id is None and found.invite_code is not None


async def _import_person(
    entry: PersonSpec,
    existing: Person | None,
    uow: UnitOfWork,
    issue: _InviteIssue,
    report: ImportReport,
) -> Person:
    merged = _merge_person(entry.person, existing)
    lapsed = merged.invite_lapsed(issue.now, issue.valid)
    if merged.telegram_id is None and (not merged.invite_code or lapsed):
        merged.invite_code = issue.new_token()
        merged.invited_at = issue.now
    changed = merged != existing
    person = await uow.people.save(merged) if changed else merged
    assert person.id is not None, "saving a person gives it an id"
    roles_changed = await _replace_roles(person.id, entry.roles, uow)
    report.people.count(created=existing is None, changed=changed or roles_changed)
    return person


def _merge_person(wanted: Person, existing: Person | None) -> Person:
    if existing is None:
        return replace(wanted)
    # The bot owns the telegram_id once an invite is accepted, and the language choice.
    return replace(
        existing,
        name=wanted.name,
        phone=wanted.phone,
        department=wanted.department,
        telegram_id=wanted.telegram_id if wanted.telegram_id is not None else existing.telegram_id,
    )


async def _replace_roles(person_id: int, roles: Sequence[RoleSpec], uow: UnitOfWork) -> bool:
    current = set(await uow.people.roles_of(person_id))
    wanted = {RoleAssignment(person_id, r.role, r.unit_code, r.on_duty) for r in roles}
    staff = {a for a in wanted if a.role != Role.RESIDENT}
    current_staff = {a for a in current if a.role != Role.RESIDENT}
    changed = False
    if staff != current_staff:
        await uow.people.set_roles(person_id, sorted(staff, key=_role_order))
        changed = True
    bound = {(a.role, a.unit_code) for a in current if a.role == Role.RESIDENT}
    for binding in sorted(wanted - staff, key=_role_order):
        if (binding.role, binding.unit_code) not in bound:
            await uow.people.add_role(binding)
            changed = True
    return changed


def _role_order(assignment: RoleAssignment) -> tuple[str, str]:
    return assignment.role.value, assignment.unit_code
