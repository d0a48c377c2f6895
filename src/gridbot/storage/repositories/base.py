"""What every repository shares: the session of its unit of work. Repositories never commit."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gridbot.domain.errors import NotFound
from gridbot.storage.base import Base
from gridbot.storage.rows import OrgRevisionRow, OrgUnitRow
from gridbot.storage.sqlite_driver import ON_THREAD

# The stored org revision, as a column: read with whatever else a query reads.
ORG_REVISION = select(OrgRevisionRow.revision).where(OrgRevisionRow.id == 1).scalar_subquery()
_REVISIONS = cast(Table, OrgRevisionRow.__table__)
# The same for Core statements (an ORM column would make the whole statement an ORM one).
CORE_ORG_REVISION = select(_REVISIONS.c.revision).where(_REVISIONS.c.id == 1).scalar_subquery()


class SqlRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _backend(self) -> str:
        return self._session.get_bind().dialect.name

    async def _bulk(self, statement: Any, parameters: Any = None) -> Any:
        """A statement over many rows (a batch of the org file, of the purge): on SQLite it
        runs on the driver's thread, never on the event loop's."""
        return await self._session.execute(statement, parameters, execution_options=ON_THREAD)

    async def _org_changed(self) -> None:
        """A unit or category was saved: processes holding the org in memory read it again."""
        await self._session.execute(
            update(OrgRevisionRow)
            .where(OrgRevisionRow.id == 1)
            .values(revision=OrgRevisionRow.revision + 1)
        )

    async def _unit_id(self, code: str) -> int:
        unit_id = await self._session.scalar(select(OrgUnitRow.id).where(OrgUnitRow.code == code))
        if unit_id is None:
            raise NotFound(f"no unit with code {code!r}", unit_code=code)
        return unit_id


def table_of(row: type[Base]) -> Table:
    """The table of a row class, for Core statements (one ``executemany`` for many rows,
    which the ORM's bulk INSERT splits wherever a row leaves a column NULL)."""
    return cast(Table, row.__table__)


def rowcount(result: object) -> int:
    """Rows matched by an UPDATE or DELETE (0 when the driver cannot tell)."""
    count = getattr(result, "rowcount", 0)
    return int(count) if count and count > 0 else 0
