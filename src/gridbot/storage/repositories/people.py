"""People and the roles they hold on units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, delete, func, select

from gridbot.domain.errors import NotFound
from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.storage.repositories.base import (
    CORE_ORG_REVISION,
    SqlRepository,
    table_of,
)
from gridbot.storage.rows import GridMoveRow, OrgUnitRow, PersonRow, RoleAssignmentRow

# Read for every update, or every report: built once, so that neither the statement nor
# its cache key is made again each time; and Core, on the tables: the rows are read once
# and become domain objects at once, so the ORM's objects and identity map would only add
# work.
_PEOPLE, _ROLES, _UNITS = table_of(PersonRow), table_of(RoleAssignmentRow), table_of(OrgUnitRow)
_WITH_ROLES = (
    select(
        *_PEOPLE.c,
        _ROLES.c.person_id,
        _ROLES.c.role,
        _ROLES.c.on_duty,
        _UNITS.c.code.label("unit_code"),
        CORE_ORG_REVISION.label("org_revision"),
    )
    .select_from(_PEOPLE)
    .outerjoin(_ROLES, _ROLES.c.person_id == _PEOPLE.c.id)
    .outerjoin(_UNITS, _ROLES.c.unit_id == _UNITS.c.id)
    .where(_PEOPLE.c.telegram_id == bindparam("telegram_id"))
    .order_by(_ROLES.c.id)
)
_STAFF_ON = (
    select(_ROLES.c.person_id, _ROLES.c.role, _ROLES.c.on_duty, _UNITS.c.code.label("unit_code"))
    .join(_UNITS, _ROLES.c.unit_id == _UNITS.c.id)
    .where(
        _UNITS.c.code.in_(bindparam("codes", expanding=True)),
        _ROLES.c.role != Role.RESIDENT,
    )
    .order_by(_ROLES.c.id)
)
_MANY = select(_PEOPLE).where(_PEOPLE.c.id.in_(bindparam("ids", expanding=True)))
# The names a group post masks: everyone's on these units, residents included.
_NAMES_ON = (
    select(_PEOPLE.c.name)
    .join(_ROLES, _ROLES.c.person_id == _PEOPLE.c.id)
    .join(_UNITS, _ROLES.c.unit_id == _UNITS.c.id)
    .where(_UNITS.c.code.in_(bindparam("codes", expanding=True)))
    .distinct()
)


class SqlPersonRepository(SqlRepository):
    async def get(self, person_id: int) -> Person | None:
        row = await self._session.get(PersonRow, person_id)
        return row.to_domain() if row else None

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        return await self._first(PersonRow.telegram_id == telegram_id)

    async def by_invite_code(self, code: str) -> Person | None:
        return await self._first(PersonRow.invite_code == code)

    async def find(self, name: str, phone: str | None) -> Person | None:
        if phone:
            return await self._first(PersonRow.phone == phone)
        return await self._first(PersonRow.name == name)

    async def named(self, name: str) -> Sequence[Person]:
        rows = await self._session.scalars(
            select(PersonRow).where(PersonRow.name == name).order_by(PersonRow.id)
        )
        return [row.to_domain() for row in rows]

    async def save(self, person: Person) -> Person:
        row = await self._session.get(PersonRow, person.id) if person.id else None
        if row is None:
            if person.id is not None:
                raise NotFound(f"no person with id {person.id}", person_id=person.id)
            row = PersonRow()
            self._session.add(row)
        row.apply(person)
        await self._session.flush()
        return row.to_domain()

    async def with_roles(
        self, telegram_id: int
    ) -> tuple[Person, Sequence[RoleAssignment], int] | None:
        """The person behind a Telegram account, every role they hold, and the org
        revision: all an update needs to know who is acting, in one query."""
        rows = (await self._session.execute(_WITH_ROLES, {"telegram_id": telegram_id})).all()
        if not rows:
            return None
        first = rows[0]  # telegram_id is unique: every row is the same person's
        roles = [
            RoleAssignmentRow.assignment_of(row, row.unit_code)
            for row in rows
            if row.role is not None and row.unit_code is not None
        ]
        return PersonRow.person_of(first), roles, first.org_revision or 0

    async def roles_of(self, person_id: int) -> Sequence[RoleAssignment]:
        rows = await self._session.execute(
            select(RoleAssignmentRow, OrgUnitRow.code)
            .join(OrgUnitRow, RoleAssignmentRow.unit_id == OrgUnitRow.id)
            .where(RoleAssignmentRow.person_id == person_id)
            .order_by(RoleAssignmentRow.id)
        )
        return [row.to_domain(unit_code) for row, unit_code in rows]

    async def holders(self, role: Role, unit_code: str) -> Sequence[Person]:
        rows = await self._session.scalars(
            select(PersonRow)
            .join(RoleAssignmentRow, RoleAssignmentRow.person_id == PersonRow.id)
            .join(OrgUnitRow, RoleAssignmentRow.unit_id == OrgUnitRow.id)
            .where(RoleAssignmentRow.role == role, OrgUnitRow.code == unit_code)
            .order_by(PersonRow.id)
        )
        return [row.to_domain() for row in rows]

    async def assignments_on(self, unit_codes: Sequence[str]) -> Sequence[RoleAssignment]:
        if not unit_codes:
            return []
        rows = await self._session.execute(_STAFF_ON, {"codes": list(unit_codes)})
        return [RoleAssignmentRow.assignment_of(row, row.unit_code) for row in rows]

    async def record_grid_move(self, person_id: int, unit_code: str, at: datetime) -> None:
        self._session.add(GridMoveRow(person_id=person_id, unit_code=unit_code, at=at))
        await self._session.flush()

    async def grid_moves_since(self, person_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count(GridMoveRow.id)).where(
                GridMoveRow.person_id == person_id, GridMoveRow.at >= since
            )
        )
        return int(count or 0)

    async def names_on(self, unit_codes: Sequence[str]) -> Sequence[str]:
        if not unit_codes:
            return []
        names = await self._session.scalars(_NAMES_ON, {"codes": list(unit_codes)})
        return [name for name in names if name]

    async def count_holders(self, role: Role, unit_codes: Sequence[str]) -> int:
        """How many hold ``role`` on one of these units (a grid's residents: counted, never
        listed)."""
        if not unit_codes:
            return 0
        count = await self._session.scalar(
            select(func.count(RoleAssignmentRow.id))
            .join(OrgUnitRow, RoleAssignmentRow.unit_id == OrgUnitRow.id)
            .where(RoleAssignmentRow.role == role, OrgUnitRow.code.in_(list(unit_codes)))
        )
        return count or 0

    async def many(self, person_ids: Sequence[int]) -> Mapping[int, Person]:
        if not person_ids:
            return {}
        rows = await self._session.execute(_MANY, {"ids": sorted(set(person_ids))})
        return {row.id: PersonRow.person_of(row) for row in rows}

    async def set_roles(self, person_id: int, roles: Sequence[RoleAssignment]) -> None:
        await self._session.execute(
            delete(RoleAssignmentRow).where(
                RoleAssignmentRow.person_id == person_id, RoleAssignmentRow.role != Role.RESIDENT
            )
        )
        for assignment in roles:
            await self.add_role(replace(assignment, person_id=person_id))

    async def add_role(self, assignment: RoleAssignment) -> None:
        """Idempotent: holding a role twice on the same unit only updates ``on_duty``."""
        unit_id = await self._unit_id(assignment.unit_code)
        row = await self._assignment_row(assignment.person_id, assignment.role, unit_id)
        if row is None:
            row = RoleAssignmentRow(
                person_id=assignment.person_id, role=assignment.role, unit_id=unit_id
            )
            self._session.add(row)
        row.on_duty = assignment.on_duty
        await self._session.flush()

    async def remove_role(self, assignment: RoleAssignment) -> None:
        unit_id = await self._unit_id(assignment.unit_code)
        row = await self._assignment_row(assignment.person_id, assignment.role, unit_id)
        if row is not None:
            await self._session.delete(row)
            await self._session.flush()

    async def _assignment_row(
        self, person_id: int, role: Role, unit_id: int
    ) -> RoleAssignmentRow | None:
        return await self._session.scalar(
            select(RoleAssignmentRow).where(
                RoleAssignmentRow.person_id == person_id,
                RoleAssignmentRow.role == role,
                RoleAssignmentRow.unit_id == unit_id,
            )
        )

    async def _first(self, condition: ColumnElement[bool]) -> Person | None:
        row = await self._session.scalar(
            select(PersonRow).where(condition).order_by(PersonRow.id).limit(1)
        )
        return row.to_domain() if row else None
