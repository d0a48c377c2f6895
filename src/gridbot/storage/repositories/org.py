"""Org units and their tree."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.storage.repositories.base import ORG_REVISION, SqlRepository
from gridbot.storage.rows import OrgUnitRow

Parent = aliased(OrgUnitRow, name="parent")


def _units_with_parent_code() -> Select[OrgUnitRow, str]:
    return select(OrgUnitRow, Parent.code).outerjoin(Parent, OrgUnitRow.parent_id == Parent.id)


class SqlOrgRepository(SqlRepository):
    async def get_unit(self, code: str) -> OrgUnit | None:
        return await self._one(_units_with_parent_code().where(OrgUnitRow.code == code))

    async def unit_by_token(self, token: str) -> OrgUnit | None:
        if not token:
            return None
        return await self._one(
            _units_with_parent_code().where(
                or_(OrgUnitRow.join_token == token, OrgUnitRow.bind_token == token)
            )
        )

    async def list_units(self) -> Sequence[OrgUnit]:
        rows = await self._session.execute(_units_with_parent_code())
        units = [row.to_domain(parent_code) for row, parent_code in rows]
        # A parent is always of a higher level than its children.
        return sorted(units, key=lambda unit: (UnitLevel(unit.level).depth, unit.code))

    async def around(self, codes: Collection[str]) -> Sequence[OrgUnit]:
        """The units with these codes and every unit above them, parents first: one
        recursive query however deep the tree."""
        if not codes:
            return []
        start = select(OrgUnitRow.id, OrgUnitRow.parent_id).where(
            OrgUnitRow.code.in_(sorted(set(codes)))
        )
        chain = start.cte("chain", recursive=True)
        above = aliased(OrgUnitRow, name="above")
        chain = chain.union(
            select(above.id, above.parent_id).join(chain, above.id == chain.c.parent_id)
        )
        rows = await self._session.execute(
            _units_with_parent_code().where(OrgUnitRow.id.in_(select(chain.c.id)))
        )
        units = [row.to_domain(parent_code) for row, parent_code in rows]
        return sorted(units, key=lambda unit: (UnitLevel(unit.level).depth, unit.code))

    async def children(self, code: str) -> Sequence[OrgUnit]:
        rows = await self._session.execute(
            _units_with_parent_code().where(Parent.code == code).order_by(OrgUnitRow.code)
        )
        return [row.to_domain(parent_code) for row, parent_code in rows]

    async def save_unit(self, unit: OrgUnit) -> OrgUnit:
        parent_id = await self._unit_id(unit.parent_code) if unit.parent_code else None
        row = await self._session.scalar(select(OrgUnitRow).where(OrgUnitRow.code == unit.code))
        if row is None:
            row = OrgUnitRow()
            self._session.add(row)
        row.apply(unit, parent_id)
        await self._session.flush()
        await self._org_changed()
        return row.to_domain(unit.parent_code)

    async def revision(self) -> int:
        """The counter that moves whenever a unit or category is saved (in any process)."""
        return await self._session.scalar(select(ORG_REVISION)) or 0

    async def _one(self, query: Select[OrgUnitRow, str]) -> OrgUnit | None:
        found = (await self._session.execute(query.limit(1))).first()
        if found is None:
            return None
        row, parent_code = found
        return row.to_domain(parent_code)
