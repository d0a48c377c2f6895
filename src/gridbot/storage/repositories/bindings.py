"""Groups bound to units."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CursorResult, bindparam, delete, or_, select, update

from gridbot.domain.binding import ChatBinding
from gridbot.storage.repositories.base import SqlRepository, table_of
from gridbot.storage.rows import ChatBindingRow, OrgUnitRow

# Built once, and Core on the tables (rows read once, made domain objects directly):
# every report reads them.
_BINDINGS, _UNITS = table_of(ChatBindingRow), table_of(OrgUnitRow)
_WITH_CODE = select(*_BINDINGS.c, _UNITS.c.code.label("unit_code")).join(
    _UNITS, _BINDINGS.c.unit_id == _UNITS.c.id
)
_OF_CHAT = _WITH_CODE.where(_BINDINGS.c.chat_id == bindparam("chat_id"))
_OF_UNIT = _WITH_CODE.where(
    _UNITS.c.code == bindparam("unit_code"), _BINDINGS.c.active.is_(True)
).order_by(_BINDINGS.c.id)


class SqlBindingRepository(SqlRepository):
    async def get(self, chat_id: int) -> ChatBinding | None:
        """The binding of this chat, active or not."""
        found = (await self._session.execute(_OF_CHAT, {"chat_id": chat_id})).first()
        if found is None:
            return None
        return ChatBindingRow.binding_of(found, found.unit_code)

    async def for_unit(self, unit_code: str) -> Sequence[ChatBinding]:
        """The active bindings of exactly this unit."""
        rows = await self._session.execute(_OF_UNIT, {"unit_code": unit_code})
        return [ChatBindingRow.binding_of(row, row.unit_code) for row in rows]

    async def save(self, binding: ChatBinding) -> ChatBinding:
        """Insert or update by chat id (binding a group again moves it to the new unit)."""
        unit_id = await self._unit_id(binding.unit_code)
        row = await self._row(binding.chat_id)
        if row is None:
            row = ChatBindingRow()
            self._session.add(row)
        row.apply(binding, unit_id)
        await self._session.flush()
        return row.to_domain(binding.unit_code)

    async def deactivate(self, chat_id: int) -> bool:
        """Returns whether an active binding was deactivated."""
        row = await self._row(chat_id)
        if row is None or not row.active:
            return False
        row.active = False
        await self._session.flush()
        return True

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its binding follows the new chat id."""
        row = await self._row(old_chat_id)
        if row is None:
            return False
        await self._session.execute(
            delete(ChatBindingRow).where(ChatBindingRow.chat_id == new_chat_id)
        )
        row.chat_id = new_chat_id
        await self._session.flush()
        return True

    async def claim_greeting(self, chat_id: int, at: datetime, quiet_since: datetime) -> bool:
        """One conditional UPDATE: of concurrent joins, only one sees the old ``greeted_at``."""
        result = await self._session.execute(
            update(ChatBindingRow)
            .where(
                ChatBindingRow.chat_id == chat_id,
                ChatBindingRow.active.is_(True),
                or_(ChatBindingRow.greeted_at.is_(None), ChatBindingRow.greeted_at <= quiet_since),
            )
            .values(greeted_at=at)
            .execution_options(synchronize_session=False)
        )
        return isinstance(result, CursorResult) and result.rowcount == 1

    async def _row(self, chat_id: int) -> ChatBindingRow | None:
        return await self._session.scalar(
            select(ChatBindingRow).where(ChatBindingRow.chat_id == chat_id)
        )
