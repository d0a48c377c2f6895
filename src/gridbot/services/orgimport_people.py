"""The org file's people merged into storage as a whole: who exists is read in a few
queries, each entry is matched and merged in memory, and the differences are written in
batches (a district's file names thousands of staff and may name a hundred thousand
residents).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.services.ports import UnitOfWork

RoleKey = tuple[Role, str]  # a role on a unit


@dataclass(frozen=True)
class InviteIssue:
    """How invite codes are made at this import: by ``new_token``, dated ``now``, and made
    anew once ``valid`` has passed without anyone accepting them."""

    new_token: Callable[[], str]
    now: datetime
    valid: timedelta


@dataclass
class RoleChanges:
    removed: list[RoleAssignment] = field(default_factory=list)
    added: list[RoleAssignment] = field(default_factory=list)

    def diff(
        self, person_id: int, current: Iterable[RoleAssignment], wanted: set[RoleAssignment]
    ) -> bool:
        """A person's staff roles become exactly ``wanted``'s; its resident bindings are
        added unless held already (those made in the bot are kept). Whether anything
        changed."""
        held = set(current)
        staff = _one_per_key(a for a in wanted if a.role != Role.RESIDENT)
        held_staff = {a for a in held if a.role != Role.RESIDENT}
        changed = staff != held_staff
        if changed:
            self.removed += sorted(held_staff - staff, key=role_order)
            self.added += sorted(staff - held_staff, key=role_order)
        bound = {(a.role, a.unit_code) for a in held if a.role == Role.RESIDENT}
        for binding in sorted(wanted - staff, key=role_order):
            if binding.role == Role.RESIDENT and (binding.role, binding.unit_code) not in bound:
                bound.add((binding.role, binding.unit_code))
                self.added.append(replace(binding, person_id=person_id))
                changed = True
        return changed

    async def write(self, uow: UnitOfWork) -> None:
        await uow.orgfile.remove_roles(self.removed)  # first: a changed on_duty is re-added
        await uow.orgfile.add_roles(self.added)


def _one_per_key(assignments: Iterable[RoleAssignment]) -> set[RoleAssignment]:
    # A role on a unit is one row. The org file's check refuses a role given twice; a
    # spec built otherwise keeps one of them rather than failing on the unique key.
    found: dict[RoleKey, RoleAssignment] = {}
    for assignment in sorted(assignments, key=role_order):
        found[(assignment.role, assignment.unit_code)] = assignment
    return set(found.values())


def role_order(assignment: RoleAssignment) -> tuple[str, str]:
    return assignment.role.value, assignment.unit_code


async def match_people(wanted: Sequence[Person], uow: UnitOfWork) -> list[Person | None]:
    """Match strongest identities first (telegram_id, then phone, then name), so a name
    never claims someone a telegram_id owns; each stored person matches one entry at most."""
    matches: list[Person | None] = [None] * len(wanted)
    claimed: set[int | None] = {None}

    def claim(index: int, found: Person | None) -> None:
        if found is not None and found.id not in claimed:
            matches[index] = found
            claimed.add(found.id)

    # Each identity read only for those the stronger ones left unmatched.
    known = await uow.orgfile.people_matching(
        {p.telegram_id for p in wanted if p.telegram_id is not None}, (), ()
    )
    by_telegram_id = {p.telegram_id: p for p in known if p.telegram_id is not None}
    for i, person in enumerate(wanted):
        if person.telegram_id is not None:
            claim(i, by_telegram_id.get(person.telegram_id))
    phones = {p.phone for p, found in zip(wanted, matches, strict=True) if not found and p.phone}
    by_phone: dict[str | None, Person] = {}
    for person in await uow.orgfile.people_matching((), phones, ()) if phones else ():
        by_phone.setdefault(person.phone, person)  # by id: the first stored with the phone
    for i, person in enumerate(wanted):
        if matches[i] is None and person.phone:
            claim(i, by_phone.get(person.phone))
    left = [i for i, found in enumerate(matches) if found is None]
    namesakes = await _named(uow, {wanted[i].name for i in left})
    for i in left:
        candidates = [p for p in namesakes.get(wanted[i].name, ()) if p.id not in claimed]
        claim(i, next((p for p in candidates if _may_match_by_name(wanted[i], p)), None))
    return matches


async def _named(uow: UnitOfWork, names: set[str]) -> Mapping[str, list[Person]]:
    found: dict[str, list[Person]] = {}
    for person in await uow.orgfile.people_matching((), (), names) if names else ():
        found.setdefault(person.name, []).append(person)
    return found


def _may_match_by_name(wanted: Person, found: Person) -> bool:
    # A same-named person who joined in the bot (telegram_id, no invite) is somebody else.
    if found.name != wanted.name:
        return False
    if found.telegram_id is None or found.telegram_id == wanted.telegram_id:
        return True
    return wanted.telegram_id is None and found.invite_code is not None


def merge_person(wanted: Person, existing: Person | None, issue: InviteIssue) -> Person:
    """The stored person as the file wants them, with an invite when they need one."""
    if existing is None:
        merged = replace(wanted)
    else:
        # The bot owns the telegram_id once an invite is accepted, and the language choice.
        telegram_id = wanted.telegram_id if wanted.telegram_id is not None else existing.telegram_id
        merged = replace(
            existing,
            name=wanted.name,
            phone=wanted.phone,
            department=wanted.department,
            telegram_id=telegram_id,
        )
    lapsed = merged.invite_lapsed(issue.now, issue.valid)
    if merged.telegram_id is None and (not merged.invite_code or lapsed):
        merged.invite_code = issue.new_token()
        merged.invited_at = issue.now
    return merged


async def save_people(
    merged: Sequence[Person], existing: Sequence[Person | None], uow: UnitOfWork
) -> tuple[list[Person], list[bool]]:
    """Insert the new, update the changed; every person with their id, and which changed."""
    changed = [person != before for person, before in zip(merged, existing, strict=True)]
    new = [person for person, before in zip(merged, existing, strict=True) if before is None]
    for person, person_id in zip(new, await uow.orgfile.add_people(new), strict=True):
        person.id = person_id
    updated = [p for p, b, c in zip(merged, existing, changed, strict=True) if b and c]
    await uow.orgfile.update_people(updated)
    return list(merged), changed
