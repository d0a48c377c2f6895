"""The category catalog."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from gridbot.domain.org import Category
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import CategoryRow


class SqlCategoryRepository(SqlRepository):
    async def get(self, code: str) -> Category | None:
        row = await self._row(code)
        return row.to_domain() if row else None

    async def list_active(self) -> Sequence[Category]:
        rows = await self._session.scalars(
            select(CategoryRow).where(CategoryRow.active.is_(True)).order_by(CategoryRow.id)
        )
        return [row.to_domain() for row in rows]

    async def save(self, category: Category) -> Category:
        """Insert or update by code."""
        row = await self._row(category.code)
        if row is None:
            row = CategoryRow()
            self._session.add(row)
        row.apply(category)
        await self._session.flush()
        await self._org_changed()
        return row.to_domain()

    async def list_all(self) -> Sequence[Category]:
        """Every category, open or not, in the order of the org file."""
        rows = await self._session.scalars(select(CategoryRow).order_by(CategoryRow.id))
        return [row.to_domain() for row in rows]

    async def _row(self, code: str) -> CategoryRow | None:
        return await self._session.scalar(select(CategoryRow).where(CategoryRow.code == code))
