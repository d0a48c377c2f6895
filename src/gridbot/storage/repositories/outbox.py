"""The outbox: messages written with the change that caused them, delivered by the sender."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    FromClause,
    Integer,
    String,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from gridbot.domain.errors import NotFound
from gridbot.domain.messaging import OutboxMessage, OutboxStatus
from gridbot.storage.deferred import defer
from gridbot.storage.repositories.base import SqlRepository, rowcount, table_of
from gridbot.storage.rows import OutboxRow

_ADD = insert(table_of(OutboxRow))  # built once, and Core: one executemany for them all
_LEARNT = ("chat_id", "status", "attempts", "not_before", "sent_at", "last_error", "message_id")
_UPDATE = (
    update(table_of(OutboxRow))
    .where(table_of(OutboxRow).c.id == bindparam("row_id"))
    .values({name: bindparam(name) for name in _LEARNT})
)


def _learnt(message: OutboxMessage) -> dict[str, object]:
    return {"row_id": message.id, **{name: getattr(message, name) for name in _LEARNT}}


def _due(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    return and_(
        OutboxRow.status == OutboxStatus.PENDING,
        or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now),
    )


# The sender's poll, built once: it runs whenever a commit queued messages.
_PENDING_IDS = (
    select(OutboxRow.id)
    .where(_due(bindparam("now", type_=OutboxRow.not_before.type)))
    .order_by(OutboxRow.id)
    .limit(bindparam("limit", type_=Integer))
)
_MANY = (  # Core rows: read once, no ORM objects needed
    select(table_of(OutboxRow))
    .where(table_of(OutboxRow).c.id.in_(bindparam("ids", expanding=True)))
    .order_by(table_of(OutboxRow).c.id)
)

# Claims (several processes deliver; see bot/outbox_sender.py). A chat belongs to one
# process at a time: its pending rows are claimed by one worker, and a row is claimable
# when nobody's claim on it is alive and no other worker's claim on its chat is.
_OUTBOX = table_of(OutboxRow)
_NOW = bindparam("now", type_=OutboxRow.claimed_until.type)
_ME = bindparam("me", type_=String())
_UNTIL = bindparam("until", type_=OutboxRow.claimed_until.type)


def _free(rows: FromClause) -> ColumnElement[bool]:
    """A row waiting, due, and claimed by nobody (or by a claim that lapsed)."""
    return and_(
        rows.c.status == OutboxStatus.PENDING,
        or_(rows.c.not_before.is_(None), rows.c.not_before <= _NOW),
        or_(rows.c.claimed_until.is_(None), rows.c.claimed_until < _NOW),
    )


# The chats another worker holds: those of its live claims (an index holds the pending
# rows' claims alone).
_HELD = _OUTBOX.alias("held")
_HELD_CHATS = select(_HELD.c.chat_id).where(
    _HELD.c.status == OutboxStatus.PENDING,
    _HELD.c.claimed_until >= _NOW,
    _HELD.c.claimed_by != _ME,
)
# The chats to claim rows of, the longest waiting first, among the chats of the oldest
# ``window`` free rows (the pending rows' index in id order: no walk over the whole
# queue, however long; a chat further back is reached as these are delivered).
_OLDEST = (
    select(_OUTBOX.c.id, _OUTBOX.c.chat_id)
    .where(_free(_OUTBOX))
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("window", type_=Integer))
    .subquery("oldest")
)
_CHATS = (
    select(_OLDEST.c.chat_id)
    .where(_OLDEST.c.chat_id.not_in(_HELD_CHATS))
    .group_by(_OLDEST.c.chat_id)
    .order_by(func.min(_OLDEST.c.id))
    .limit(bindparam("chats", type_=Integer))
)
# PostgreSQL: of those, the chats no other transaction is claiming right now. The lock
# (held until this transaction ends) makes two claimers of one chat take turns, so the
# claim that follows, a statement of its own, sees the other's claim once committed.
_LOCK_SPACE = 0x6F7574  # "out": this lock's space among the database's advisory locks
_CANDIDATES = _CHATS.subquery()
_CHATS_LOCKED = select(_CANDIDATES.c.chat_id).where(
    func.pg_try_advisory_xact_lock(_LOCK_SPACE, func.hashint8(_CANDIDATES.c.chat_id))
)
# The rows of the chosen chats, checked again (a claim committed meanwhile counts), in a
# CTE evaluated once: as a plain IN (subquery) PostgreSQL may run it again per row, and
# the LIMIT would then hold per run.
_PICKED = _OUTBOX.alias("picked")
_PICK = (
    select(_PICKED.c.id)
    .where(
        _PICKED.c.chat_id.in_(bindparam("chat_ids", expanding=True)),
        _PICKED.c.chat_id.not_in(_HELD_CHATS),
        _free(_PICKED),
    )
    .order_by(_PICKED.c.id)
    .limit(bindparam("limit", type_=Integer))
    .with_for_update(skip_locked=True)  # rows their holder is writing are not waited for
    .cte("pick")
)
_CLAIM = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(select(_PICK.c.id)), _free(_OUTBOX))
    .values(claimed_by=_ME, claimed_until=_UNTIL)
    .returning(*_OUTBOX.c)
)
_RENEW = (
    update(_OUTBOX)
    .where(_OUTBOX.c.claimed_by == _ME, _OUTBOX.c.status == OutboxStatus.PENDING)
    .values(claimed_until=_UNTIL)
)
_RELEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.claimed_by == _ME, _OUTBOX.c.status == OutboxStatus.PENDING)
    .values(claimed_by=None, claimed_until=None)
)


class SqlOutboxRepository(SqlRepository):
    added = 0  # rows added in this unit of work (its commit wakes the sender)

    async def add(self, message: OutboxMessage) -> OutboxMessage:
        row = OutboxRow()
        row.apply(message)
        self._session.add(row)
        await self._session.flush()
        self.added += 1
        return row.to_domain()

    async def queue(self, message: OutboxMessage) -> None:
        """Like ``add``, but written before the unit of work's next statement or its
        commit, together with the other messages queued meanwhile; no id comes back."""
        defer(self._session.sync_session, _ADD, OutboxRow.values_of(message))
        self.added += 1

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self._session.get(OutboxRow, message_id)
        return row.to_domain() if row else None

    async def pending(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        rows = await self._session.scalars(
            select(OutboxRow).where(_due(now)).order_by(OutboxRow.id).limit(limit)
        )
        return [row.to_domain() for row in rows]

    async def pending_ids(self, now: datetime, limit: int) -> Sequence[int]:
        """The ids of ``pending``, oldest first: a poll that already holds most of them
        reads no more than this."""
        ids = await self._session.scalars(_PENDING_IDS, {"now": now, "limit": limit})
        return list(ids)

    async def many(self, ids: Collection[int]) -> Sequence[OutboxMessage]:
        """The messages with these ids, oldest first."""
        if not ids:
            return []
        rows = await self._session.execute(_MANY, {"ids": sorted(ids)})
        return [OutboxRow.message_of(row) for row in rows]

    async def claim(
        self, worker: str, now: datetime, until: datetime, chats: int, limit: int
    ) -> Sequence[OutboxMessage]:
        """Claim for ``worker`` until ``until`` up to ``limit`` due rows of up to ``chats``
        chats that no other worker holds, oldest first; rows it holds already are not
        returned again. Of two concurrent claimers, one gets a chat."""
        params = {"me": worker, "now": now, "chats": chats, "window": max(1_000, 10 * chats)}
        if self._backend == "postgresql":
            chosen = await self._session.scalars(_CHATS_LOCKED, params)
        else:  # one writer at a time already
            chosen = await self._session.scalars(_CHATS, params)
        chat_ids = list(chosen)
        if not chat_ids:
            return []
        claimed = await self._session.execute(
            _CLAIM, {**params, "chat_ids": chat_ids, "limit": limit, "until": until}
        )
        return sorted((OutboxRow.message_of(row) for row in claimed), key=lambda m: m.id or 0)

    async def renew_claims(self, worker: str, until: datetime) -> int:
        """Make ``worker``'s claims on pending rows last until ``until``; how many."""
        return rowcount(await self._session.execute(_RENEW, {"me": worker, "until": until}))

    async def release_claims(self, worker: str) -> int:
        """Give up ``worker``'s claims on pending rows (another may take them at once)."""
        return rowcount(await self._session.execute(_RELEASE, {"me": worker}))

    async def recent_sends(self, since: datetime) -> Sequence[tuple[int, datetime]]:
        """(chat, when) of every message delivered since ``since``, oldest first."""
        found = await self._session.execute(
            select(OutboxRow.chat_id, OutboxRow.sent_at)
            .where(OutboxRow.status == OutboxStatus.SENT, OutboxRow.sent_at >= since)
            .order_by(OutboxRow.sent_at)
        )
        return [(chat_id, sent_at) for chat_id, sent_at in found if sent_at is not None]

    async def delivered_to(self, chat_ids: Collection[int]) -> Mapping[int, datetime]:
        """When a message was last delivered to each of these chats; chats never reached are
        left out. A command menu is no message (Telegram sets one for any chat)."""
        if not chat_ids:
            return {}
        found = await self._session.execute(
            select(OutboxRow.chat_id, func.max(OutboxRow.sent_at))
            .where(
                OutboxRow.chat_id.in_(sorted(set(chat_ids))),
                OutboxRow.status == OutboxStatus.SENT,
                OutboxRow.message_id.is_not(None),
            )
            .group_by(OutboxRow.chat_id)
        )
        return {chat_id: sent_at for chat_id, sent_at in found if sent_at is not None}

    async def update(self, message: OutboxMessage) -> None:
        """Store what the sender learnt of a message: its status, attempts, times, error."""
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message.id)
            .values(
                chat_id=message.chat_id,
                status=message.status,
                attempts=message.attempts,
                not_before=message.not_before,
                sent_at=message.sent_at,
                last_error=message.last_error,
                message_id=message.message_id,
            )
            .execution_options(synchronize_session=False)
        )
        if message.id is None or rowcount(result) == 0:
            raise NotFound(f"no outbox message with id {message.id}", message_id=message.id)

    async def update_many(self, messages: Sequence[OutboxMessage]) -> None:
        """``update`` for each of ``messages``, in one statement; a message whose row is gone
        is passed over."""
        if messages:
            await self._session.execute(_UPDATE, [_learnt(m) for m in messages])

    async def reroute_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.chat_id == old_chat_id, OutboxRow.status == OutboxStatus.PENDING)
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(result)
