"""Conversation state: a chat's step and its data (JSON text), one row per conversation key.

Every write is one small statement or two (an upsert, or a delete; setting the step or the
data alone and clearing it is an update and a delete), so a writer holds the write lock for
a moment. A
conversation untouched since ``stale_before`` counts as gone: reads do not see it, and a
write that finds it starts afresh (its old step or data is not brought back). ``expire``
deletes such rows by the ``updated_at`` index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gridbot.storage.repositories.base import SqlRepository, rowcount, table_of
from gridbot.storage.rows import ConversationRow
from gridbot.storage.sqlite_driver import PIPELINED

KEY_COLUMNS = (
    "bot_id",
    "chat_id",
    "user_id",
    "thread_id",
    "business_connection_id",
    "destiny",
)


@dataclass(frozen=True)
class ConversationKey:
    """Whose conversation: the bot, the chat, the user, and where (a topic thread, a
    business connection; ``destiny`` names a second conversation of the same chat and user)."""

    bot_id: int
    chat_id: int
    user_id: int
    thread_id: int | None = None
    business_connection_id: str | None = None
    destiny: str = "default"

    def columns(self) -> dict[str, Any]:
        """The primary key's values (no thread: 0; no business connection: '')."""
        values = (
            self.bot_id,
            self.chat_id,
            self.user_id,
            self.thread_id or 0,
            self.business_connection_id or "",
            self.destiny,
        )
        return dict(zip(KEY_COLUMNS, values, strict=True))


@dataclass(frozen=True)
class Conversation:
    """A conversation's step (``None``: none) and its data as JSON text (``None``: none)."""

    state: str | None = None
    data: str | None = None


class SqlConversationRepository(SqlRepository):
    async def get(self, key: ConversationKey, *, stale_before: datetime) -> Conversation:
        """The conversation of ``key``; an empty one when there is none or it is stale."""
        found = (
            await self._session.execute(
                select(ConversationRow.state, ConversationRow.data).where(
                    _is(key), ConversationRow.updated_at >= stale_before
                )
            )
        ).one_or_none()
        return Conversation() if found is None else Conversation(found.state, found.data)

    async def get_with_age(
        self, key: ConversationKey, *, stale_before: datetime
    ) -> tuple[Conversation, datetime | None]:
        """The conversation of ``key`` and when it was last written (``None``: no row)."""
        found = (
            await self._session.execute(_READ, {**_keyed(key), "stale_before": stale_before})
        ).one_or_none()
        if found is None:
            return Conversation(), None
        return Conversation(found.state, found.data), found.updated_at

    async def set_state(
        self, key: ConversationKey, state: str | None, *, now: datetime, stale_before: datetime
    ) -> None:
        if state is None:
            await self._clear(key, "state", now, stale_before)
        else:
            await self._put(key, "state", state, now, stale_before)

    async def set_data(
        self, key: ConversationKey, data: str | None, *, now: datetime, stale_before: datetime
    ) -> None:
        """``data``: JSON text of a non-empty object, or ``None`` for no data."""
        if data is None:
            await self._clear(key, "data", now, stale_before)
        else:
            await self._put(key, "data", data, now, stale_before)

    async def put(self, key: ConversationKey, conversation: Conversation, *, now: datetime) -> None:
        """The whole conversation in one statement: an upsert, or a delete when it holds
        neither a step nor data (both built once: an update of a report's draft runs one)."""
        await self.put_many([(key, conversation)], now=now)

    async def put_many(
        self, conversations: Sequence[tuple[ConversationKey, Conversation]], *, now: datetime
    ) -> None:
        """``put`` for several keys (each once): one upsert for those with a step or data,
        one delete for the others, each run over all of its keys."""
        kept = [
            {**key.columns(), "state": c.state, "data": c.data, "updated_at": now}
            for key, c in conversations
            if c.state is not None or c.data is not None
        ]
        gone = [_keyed(key) for key, c in conversations if c.state is None and c.data is None]
        for statement, rows in ((_UPSERT[self._backend], kept), (_DELETE, gone)):
            if rows:  # executemany for several rows only; with the next trip (SQLite)
                params = rows if len(rows) > 1 else rows[0]
                await self._session.execute(statement, params, execution_options=PIPELINED)

    async def expire(self, stale_before: datetime) -> int:
        """Delete the conversations untouched since ``stale_before``; how many."""
        result = await self._session.execute(
            delete(ConversationRow).where(ConversationRow.updated_at < stale_before)
        )
        return rowcount(result)

    async def _put(
        self, key: ConversationKey, column: str, value: str, now: datetime, stale_before: datetime
    ) -> None:
        """One upsert; the other column of a stale row is dropped on the way."""
        other = "data" if column == "state" else "state"
        insert = postgresql.insert if self._backend == "postgresql" else sqlite.insert
        statement = insert(ConversationRow).values(
            **key.columns(), **{column: value}, updated_at=now
        )
        fresh = ConversationRow.updated_at >= stale_before
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=KEY_COLUMNS,
                set_={
                    column: statement.excluded[column],
                    other: case((fresh, getattr(ConversationRow, other)), else_=None),
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )

    async def _clear(
        self, key: ConversationKey, column: str, now: datetime, stale_before: datetime
    ) -> None:
        """No row is left for a conversation with neither a step nor data (nor a stale one)."""
        other = getattr(ConversationRow, "data" if column == "state" else "state")
        await self._session.execute(
            delete(ConversationRow).where(
                _is(key), or_(other.is_(None), ConversationRow.updated_at < stale_before)
            )
        )
        await self._session.execute(
            update(ConversationRow).where(_is(key)).values({column: None, "updated_at": now})
        )


def _is(key: ConversationKey) -> ColumnElement[bool]:
    return and_(*(getattr(ConversationRow, name) == value for name, value in key.columns().items()))


# The statements of an update's read and write, built once: building them per call was a
# tenth of the bot's CPU in a profile of the report flow (docs/benchmarks.md).
_TABLE = table_of(ConversationRow)
_KEY = and_(*(_TABLE.c[name] == bindparam(f"key_{name}") for name in KEY_COLUMNS))
_READ = select(_TABLE.c.state, _TABLE.c.data, _TABLE.c.updated_at).where(
    _KEY, _TABLE.c.updated_at >= bindparam("stale_before")
)
_DELETE = delete(_TABLE).where(_KEY)


def _upsert(insert: Any) -> Any:
    statement = insert(_TABLE)
    return statement.on_conflict_do_update(
        index_elements=KEY_COLUMNS,
        set_={name: statement.excluded[name] for name in ("state", "data", "updated_at")},
    )


_UPSERT = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def _keyed(key: ConversationKey) -> dict[str, Any]:
    return {f"key_{name}": value for name, value in key.columns().items()}
