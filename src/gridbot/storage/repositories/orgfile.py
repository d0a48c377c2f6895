"""The organisation in bulk, as the org file import and ``gridbot org show`` need it: what
exists read in a few queries, changes written in one ``executemany`` per kind of change.

A district is some 1,300 units, 2,600 staff and, with residents in the file, a hundred
thousand people: one statement per row took half a minute. Lists of keys are sent in
chunks and rows in batches, so that no statement comes near SQLite's or PostgreSQL's
limit on parameters (32,766 and 32,767).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment
from gridbot.storage.repositories.base import SqlRepository, table_of
from gridbot.storage.rows import OrgUnitRow, PersonRow, RoleAssignmentRow

KEYS_PER_QUERY = 2_000  # keys in one IN (...); three lists of them stay under 32,766
ROWS_PER_BATCH = 1_000  # rows in one executemany batch of a multi-row INSERT ... RETURNING

T = TypeVar("T")
UNITS = table_of(OrgUnitRow)
PEOPLE = table_of(PersonRow)
ROLES = table_of(RoleAssignmentRow)

_UPDATE_UNIT = (
    update(UNITS)
    .where(UNITS.c.id == bindparam("b_id"))
    .values(
        name=bindparam("b_name"),
        name_en=bindparam("b_name_en"),
        level=bindparam("b_level"),
        parent_id=bindparam("b_parent_id"),
        kind=bindparam("b_kind"),
        join_token=bindparam("b_join_token"),
        bind_token=bindparam("b_bind_token"),
    )
)
_PERSON_COLUMNS = (
    "name",
    "phone",
    "telegram_id",
    "language",
    "invite_code",
    "department",
    "blocked_bot",
    "invited_at",
)
_UPDATE_PERSON = (
    update(PEOPLE)
    .where(PEOPLE.c.id == bindparam("b_id"))
    .values({column: bindparam(f"b_{column}") for column in _PERSON_COLUMNS})
)
# Person's fields in their order, for Person(*row).
_AS_PERSON = [PEOPLE.c[f.name] for f in fields(Person)]
_REMOVE_ROLE = delete(ROLES).where(
    ROLES.c.person_id == bindparam("b_person_id"),
    ROLES.c.role == bindparam("b_role"),
    ROLES.c.unit_id == bindparam("b_unit_id"),
)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlOrgFileRepository(SqlRepository):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self._ids: dict[str, int] | None = None  # every unit's id by code, once read

    async def save_units(self, units: Sequence[OrgUnit]) -> None:
        """Insert the units without an id, update those with one (by id), parents resolved
        by code; the org revision moves once. Parents come before their children, or are
        stored already."""
        if not units:
            return
        ids = dict(await self._unit_ids())
        waiting = [unit for unit in units if unit.id is None]
        while waiting:  # one INSERT per level of the tree: a parent's id before its children
            ready = [u for u in waiting if u.parent_code is None or u.parent_code in ids]
            if not ready:
                raise ValueError(f"unit {waiting[0].code}: parent {waiting[0].parent_code}?")
            for batch in chunks(ready, ROWS_PER_BATCH):
                ids.update(await self._insert_units(batch, ids))
            waiting = [unit for unit in waiting if unit.code not in ids]
        updates = [_unit_values(u, ids, prefix="b_") for u in units if u.id is not None]
        for rows in chunks(updates, ROWS_PER_BATCH):
            await self._bulk(_UPDATE_UNIT, rows)
        self._ids = None
        await self._org_changed()

    async def _insert_units(
        self, units: Sequence[OrgUnit], ids: Mapping[str, int]
    ) -> dict[str, int]:
        rows = [_unit_values(unit, ids) for unit in units]
        statement = insert(UNITS).returning(UNITS.c.code, UNITS.c.id)  # in any order
        result = await self._bulk(statement, rows)
        return {code: unit_id for code, unit_id in result}

    async def people_matching(
        self, telegram_ids: Collection[int], phones: Collection[str], names: Collection[str]
    ) -> Sequence[Person]:
        """Everyone with one of these Telegram ids, phones or names, by id."""
        found: dict[int, Person] = {}
        for column, keys in (
            (PEOPLE.c.telegram_id, sorted(telegram_ids)),
            (PEOPLE.c.phone, sorted(phones)),
            (PEOPLE.c.name, sorted(names)),
        ):
            for chunk in chunks(keys, KEYS_PER_QUERY):
                # Core rows, not ORM objects: a district's thousands load several times faster.
                rows = await self._bulk(select(*_AS_PERSON).where(column.in_(chunk)))
                found.update((row.id, Person(*row)) for row in rows.all())
        return [found[person_id] for person_id in sorted(found)]

    async def roles_of_people(
        self, person_ids: Collection[int]
    ) -> Mapping[int, Sequence[RoleAssignment]]:
        """Every role each of these people holds, in the order they were given."""
        found: dict[int, list[RoleAssignment]] = {person_id: [] for person_id in person_ids}
        for chunk in chunks(sorted(found), KEYS_PER_QUERY):
            rows = await self._bulk(
                select(ROLES.c.person_id, ROLES.c.role, UNITS.c.code, ROLES.c.on_duty)
                .join(UNITS, ROLES.c.unit_id == UNITS.c.id)
                .where(ROLES.c.person_id.in_(chunk))
                .order_by(ROLES.c.id)
            )
            for person_id, role, code, on_duty in rows.all():
                found[person_id].append(RoleAssignment(person_id, Role(role), code, on_duty))
        return found

    async def add_people(self, people: Sequence[Person]) -> list[int]:
        """Insert; the new ids, in the order of ``people``. Each has a Telegram id or an
        invite code (both unique): the ids come back with them, in whatever order the
        database returns rows (SQLite batches an INSERT ... RETURNING only then)."""
        if any(p.telegram_id is None and not p.invite_code for p in people):
            raise ValueError("a new person needs a telegram_id or an invite code")
        statement = insert(PEOPLE).returning(
            PEOPLE.c.id, PEOPLE.c.telegram_id, PEOPLE.c.invite_code
        )
        ids: dict[int | str, int] = {}
        for batch in chunks(people, ROWS_PER_BATCH):
            result = await self._bulk(statement, [_person_values(p) for p in batch])
            for person_id, telegram_id, invite_code in result:
                ids[telegram_id if telegram_id is not None else invite_code] = person_id
        return [
            ids[p.telegram_id if p.telegram_id is not None else p.invite_code or ""] for p in people
        ]

    async def update_people(self, people: Sequence[Person]) -> None:
        """Update by id."""
        rows = [{"b_id": p.id, **_person_values(p, prefix="b_")} for p in people]
        for batch in chunks(rows, ROWS_PER_BATCH):
            await self._bulk(_UPDATE_PERSON, batch)

    async def add_roles(self, roles: Sequence[RoleAssignment]) -> None:
        ids = await self._unit_ids()
        rows = [
            {
                "person_id": role.person_id,
                "role": role.role.value,
                "unit_id": ids[role.unit_code],
                "on_duty": role.on_duty,
            }
            for role in roles
        ]
        for batch in chunks(rows, ROWS_PER_BATCH):
            await self._bulk(insert(ROLES), batch)

    async def remove_roles(self, roles: Sequence[RoleAssignment]) -> None:
        ids = await self._unit_ids()
        rows = [
            {"b_person_id": r.person_id, "b_role": r.role.value, "b_unit_id": ids[r.unit_code]}
            for r in roles
        ]
        for batch in chunks(rows, ROWS_PER_BATCH):
            await self._bulk(_REMOVE_ROLE, batch)

    async def holders(
        self, unit_codes: Collection[str] | None, residents_shown: int
    ) -> tuple[Sequence[tuple[str, Role, Person]], Mapping[str, int]]:
        """Who holds which role on these units (None: on every unit), by unit, role and
        person id, with at most ``residents_shown`` residents a unit; and how many
        residents each unit has."""
        rank = func.row_number().over(
            partition_by=(RoleAssignmentRow.unit_id, RoleAssignmentRow.role),
            order_by=RoleAssignmentRow.person_id,
        )
        ranked = (
            select(RoleAssignmentRow.person_id, RoleAssignmentRow.role, OrgUnitRow.code)
            .add_columns(rank.label("rank"))
            .join(OrgUnitRow, RoleAssignmentRow.unit_id == OrgUnitRow.id)
        )
        counted = (
            select(OrgUnitRow.code, func.count(RoleAssignmentRow.id))
            .join(OrgUnitRow, RoleAssignmentRow.unit_id == OrgUnitRow.id)
            .where(RoleAssignmentRow.role == Role.RESIDENT)
            .group_by(OrgUnitRow.code)
        )
        if unit_codes is not None:
            codes = sorted(unit_codes)
            ranked = ranked.where(or_(*(OrgUnitRow.code.in_(c) for c in chunks(codes, 500))))
            counted = counted.where(or_(*(OrgUnitRow.code.in_(c) for c in chunks(codes, 500))))
        shown = ranked.subquery()
        rows = await self._bulk(
            select(shown.c.code, shown.c.role, *_AS_PERSON)
            .join(PEOPLE, PEOPLE.c.id == shown.c.person_id)
            .where(or_(shown.c.role != Role.RESIDENT, shown.c.rank <= residents_shown))
            .order_by(shown.c.code, shown.c.role, PEOPLE.c.id)
        )
        found = [(code, Role(role), Person(*person)) for code, role, *person in rows.all()]
        residents = {code: int(n) for code, n in await self._bulk(counted)}
        return found, residents

    async def _unit_ids(self) -> Mapping[str, int]:
        if self._ids is None:
            rows = await self._bulk(select(OrgUnitRow.code, OrgUnitRow.id))
            self._ids = dict(rows.all())
        return self._ids


def _unit_values(unit: OrgUnit, ids: Mapping[str, int], prefix: str = "") -> dict[str, Any]:
    values = {
        "code": unit.code,
        "name": unit.name,
        "name_en": unit.name_en,
        "level": unit.level.value,
        "parent_id": ids[unit.parent_code] if unit.parent_code else None,
        "kind": unit.kind.value if unit.kind else None,
        # Empty tokens become NULL so that the unique constraints allow many of them.
        "join_token": unit.join_token or None,
        "bind_token": unit.bind_token or None,
    }
    if prefix:
        del values["code"]
        values = {f"{prefix}{key}": value for key, value in values.items()}
        values[f"{prefix}id"] = unit.id
    return values


def _person_values(person: Person, prefix: str = "") -> dict[str, Any]:
    return {f"{prefix}{column}": getattr(person, column) for column in _PERSON_COLUMNS}
