"""aiogram's FSM storage on gridbot's own database (the ``fsm_states`` table), used when
REDIS_URL is not set: a resident's report in progress survives a restart (a deploy).

While an update is handled, aiogram holds its events-isolation lock for the update's
conversation key; ``DatabaseStorage.create_isolation`` gives one that also keeps that
conversation in memory for the update: it is read once (a reading unit of work, no write
lock) when first asked for, the handler's changes are kept, and when the update is done
they are written in one short writing unit of work with one upsert (or a delete), taking
its turn among the process's writers like any other (``storage/writers.py``); an update of
the inbox is marked handled in that same commit. Updates that end while such a write waits
for its turn are written with the next one, together (``bot/batches.py``). An update that
changes nothing writes nothing. Data is made JSON when it is set, so a value that is not
plain JSON fails in the handler. Outside such a lock each call reads or writes at once.

The process remembers the conversations its updates last read or wrote (up to
``REMEMBERED``, the least recently used forgotten first), so an update whose conversation
it knows reads nothing: with the database as the store this process is the only one
writing them (several processes keep conversations in Redis), and aiogram's lock keeps
other updates of the same key away meanwhile. Calls outside such a lock read and write the
database itself and forget what was remembered of their key.

A conversation untouched for ``ttl`` (7 days) is gone: reads no longer see it, and at most
once an hour a write also deletes such rows by their age (an index range).
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import orjson
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation

from gridbot.bot.batches import Batched
from gridbot.bot.replies import current_outcome
from gridbot.services.ports import Clock
from gridbot.storage.database import Database
from gridbot.storage.repositories.conversations import Conversation, ConversationKey
from gridbot.storage.repositories.inbox import SqlInboxRepository
from gridbot.storage.uow import SqlUnitOfWork

CONVERSATION_TTL = timedelta(days=7)
REMEMBERED = 20_000  # conversations a process keeps in memory, the least recently used go
SWEEP_EVERY = timedelta(hours=1)


# A conversation to write, with the update (of the inbox) whose change it is.
_Write = tuple[ConversationKey, Conversation, int | None]


@dataclass
class _Held:
    """The conversation of an update being handled: ``None`` until first read."""

    conversation: Conversation | None = None
    changed: bool = False


class DatabaseStorage(BaseStorage):
    """``storage = DatabaseStorage(database, clock)``, then
    ``Dispatcher(storage=storage, events_isolation=storage.create_isolation())``; the
    database is the caller's to dispose of (``close`` leaves it open)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        ttl: timedelta = CONVERSATION_TTL,
        remembered: int = REMEMBERED,
    ):
        self.database = database
        self.clock = clock
        self.ttl = ttl
        self._held: dict[StorageKey, _Held] = {}
        self._swept_at: datetime | None = None
        # What this process last read or wrote, with when it was written: the process is
        # the only writer of these rows (several processes share conversations in Redis,
        # not here), so a remembered conversation is the row's content.
        self._remembered: OrderedDict[StorageKey, tuple[Conversation, datetime | None]] = (
            OrderedDict()
        )
        self._remember_at_most = remembered
        # The updates' conversation writes, batched while one waits for its turn.
        self.writes: Batched[_Write, datetime] = Batched(
            self._write_batch, name="conversation-writes"
        )

    def create_isolation(self) -> BaseEventIsolation:
        return HeldConversations(self)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._get(key)).state

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        data = (await self._get(key)).data
        loaded = _loads(data) if data is not None else {}
        return loaded if isinstance(loaded, dict) else {}

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._set(key, state=value)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        # Conversation data must be plain JSON values (so it fits Redis as well): a value
        # that is not fails here, in the handler, before anything is written.
        await self._set(key, data=json.dumps(dict(data), ensure_ascii=False) if data else None)

    async def close(self) -> None:
        # Updates still being handled (a stopping bot drains them) keep what they hold.
        pass

    async def _get(self, key: StorageKey) -> Conversation:
        held = self._held.get(key)
        if held is not None and held.conversation is not None:
            return held.conversation
        stale_before = self.clock.now() - self.ttl
        # Only an update holding the key uses what is remembered: it excludes the other
        # readers and writers of its key (aiogram's lock), so nothing changes it meanwhile.
        found = self._recall(key, stale_before) if held is not None else None
        if found is None:
            async with self.database.reader() as uow:
                found, written_at = await uow.conversations.get_with_age(
                    conversation_key(key), stale_before=stale_before
                )
            if held is not None:
                self._remember(key, found, written_at)
        if held is not None:
            held.conversation = found
        return found

    def _recall(self, key: StorageKey, stale_before: datetime) -> Conversation | None:
        remembered = self._remembered.get(key)
        if remembered is None:
            return None
        conversation, written_at = remembered
        if written_at is not None and written_at < stale_before:
            return Conversation()  # gone by age, as a read of the row would say
        self._remembered.move_to_end(key)
        return conversation

    def _remember(
        self, key: StorageKey, conversation: Conversation, written_at: datetime | None
    ) -> None:
        self._remembered[key] = (conversation, written_at)
        self._remembered.move_to_end(key)
        while len(self._remembered) > self._remember_at_most:
            self._remembered.popitem(last=False)

    async def _set(self, key: StorageKey, **part: str | None) -> None:
        held = self._held.get(key)
        if held is not None:
            held.conversation = replace(await self._get(key), **part)
            held.changed = True
            return
        now = self.clock.now()
        self._remembered.pop(key, None)  # the row decides what the other column becomes
        async with self.database.uow() as uow:
            setter = uow.conversations.set_state if "state" in part else uow.conversations.set_data
            (value,) = part.values()
            await setter(conversation_key(key), value, now=now, stale_before=now - self.ttl)
            await self._sweep(uow, now)
            await uow.commit()
        self._remembered.pop(key, None)

    @asynccontextmanager
    async def hold(self, key: StorageKey) -> AsyncGenerator[None, None]:
        """Keep ``key``'s conversation in memory until the block ends, then write it if it
        changed (the caller excludes other holders of the same key)."""
        held = self._held[key] = _Held()
        try:
            yield
        finally:
            self._held.pop(key, None)
            if held.changed and held.conversation is not None:
                # A write must not be cancelled half-way (storage/engine.py).
                await asyncio.shield(self._write(key, held.conversation))

    async def _write(self, key: StorageKey, conversation: Conversation) -> None:
        """The conversation's change; for an update of the inbox, its mark rides along (the
        change is the update's, so a crash after this commit does not handle it again).
        Updates ending together are written together (``_write_batch``)."""
        outcome = current_outcome()
        inboxed = outcome is not None and outcome.inboxed and outcome.update_id is not None
        update_id = outcome.update_id if outcome is not None and inboxed else None
        self._remembered.pop(key, None)  # unknown until the write is committed
        now = await self.writes.put((conversation_key(key), conversation, update_id))
        self._remember(key, conversation, now)
        if outcome is not None and inboxed:
            outcome.marked = True

    async def _write_batch(self, items: list[_Write]) -> datetime:
        """Several updates' conversations (one per key: an update holds its key until its
        write is committed) and marks, in one writing unit of work; when it was written."""
        now = self.clock.now()
        async with self.database.uow() as uow:
            await uow.conversations.put_many([(key, c) for key, c, _ in items], now=now)
            await self._sweep(uow, now)
            marks = [update_id for _, _, update_id in items if update_id is not None]
            if marks:
                await SqlInboxRepository(uow.session).mark_handled(marks, now)
            await uow.commit()
        return now

    async def _sweep(self, uow: SqlUnitOfWork, now: datetime) -> None:
        if self._swept_at is None or now - self._swept_at >= SWEEP_EVERY:
            self._swept_at = now
            await uow.conversations.expire(now - self.ttl)


class HeldConversations(BaseEventIsolation):
    """One update at a time per conversation key in this process (aiogram's
    ``SimpleEventIsolation``), with the conversation held in memory meanwhile."""

    def __init__(self, storage: DatabaseStorage) -> None:
        self.storage = storage
        self.locks = SimpleEventIsolation()

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        async with self.locks.lock(key), self.storage.hold(key):
            yield

    async def close(self) -> None:
        await self.locks.close()


def _loads(data: str) -> Any:
    """What ``set_data`` wrote, read (by orjson, at a third of the cost; the standard
    library's JSON, which ``NaN`` needs, when orjson refuses it)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def conversation_key(key: StorageKey) -> ConversationKey:
    return ConversationKey(
        bot_id=key.bot_id,
        chat_id=key.chat_id,
        user_id=key.user_id,
        thread_id=key.thread_id,
        business_connection_id=key.business_connection_id,
        destiny=key.destiny,
    )
