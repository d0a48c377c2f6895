"""In-memory fakes of the outbox, due, people and lease repositories, a unit of work, a clock
and a Bot API callable, for unit tests of the sender and the scheduler."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import itertools
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from aiogram.client.default import Default
from aiogram.methods import TelegramMethod

from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage, OutboxStatus
from gridbot.domain.org import Person

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Store:
    outbox: dict[int, OutboxMessage] = field(default_factory=dict)
    due: dict[int, DueItem] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    leases: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    claims: dict[int, tuple[str, datetime]] = field(default_factory=dict)  # outbox row's
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    commits: int = 0


class FakeOutboxRepository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.store = uow, uow.store

    async def add(self, message: OutboxMessage) -> OutboxMessage:
        message.id = next(self.store.ids)
        self.store.outbox[message.id] = copy.deepcopy(message)
        self.uow.undo.append(lambda: self.store.outbox.pop(message.id))  # type: ignore[arg-type]
        return message

    async def queue(self, message: OutboxMessage) -> None:
        await self.add(message)

    async def recent_sends(self, since: datetime) -> list[tuple[int, datetime]]:
        sent = [
            (m.chat_id, m.sent_at)
            for m in self.store.outbox.values()
            if m.status is OutboxStatus.SENT and m.sent_at is not None and m.sent_at >= since
        ]
        return sorted(sent, key=lambda pair: pair[1])

    async def pending_ids(self, now: datetime, limit: int) -> list[int]:
        return [m.id for m in await self.pending(now, limit) if m.id is not None]

    async def many(self, ids: Collection[int]) -> list[OutboxMessage]:
        found = [copy.deepcopy(self.store.outbox[i]) for i in ids if i in self.store.outbox]
        return sorted(found, key=lambda m: (m.created_at, m.id))

    async def pending(self, now: datetime, limit: int) -> list[OutboxMessage]:
        rows = [
            m
            for m in self.store.outbox.values()
            if m.status is OutboxStatus.PENDING and (m.not_before is None or m.not_before <= now)
        ]
        rows.sort(key=lambda m: (m.created_at, m.id))
        return [copy.deepcopy(m) for m in rows[:limit]]

    async def claim(
        self, worker: str, now: datetime, until: datetime, chats: int, limit: int
    ) -> list[OutboxMessage]:
        claims = self.store.claims

        def live(message: OutboxMessage) -> bool:
            claim = claims.get(message.id or 0)
            return claim is not None and claim[1] >= now

        held_by_others = {
            m.chat_id
            for m in self.store.outbox.values()
            if m.status is OutboxStatus.PENDING and live(m) and claims[m.id or 0][0] != worker
        }
        free = [
            m
            for m in await self.pending(now, len(self.store.outbox))
            if not live(m) and m.chat_id not in held_by_others
        ]
        chosen = list(dict.fromkeys(m.chat_id for m in free))[:chats]
        taken = [m for m in free if m.chat_id in chosen][:limit]
        for message in taken:
            assert message.id is not None
            self.uow.remember(claims, message.id)  # type: ignore[arg-type]
            claims[message.id] = (worker, until)
        return taken

    async def renew_claims(self, worker: str, until: datetime) -> int:
        mine = [i for i, (holder, _) in self.store.claims.items() if holder == worker]
        for key in mine:
            if self.store.outbox[key].status is OutboxStatus.PENDING:
                self.uow.remember(self.store.claims, key)  # type: ignore[arg-type]
                self.store.claims[key] = (worker, until)
        return len(mine)

    async def release_claims(self, worker: str) -> int:
        mine = [
            i
            for i, (holder, _) in self.store.claims.items()
            if holder == worker and self.store.outbox[i].status is OutboxStatus.PENDING
        ]
        for key in mine:
            self.uow.remember(self.store.claims, key)  # type: ignore[arg-type]
            del self.store.claims[key]
        return len(mine)

    async def update(self, message: OutboxMessage) -> None:
        assert message.id is not None
        self.uow.remember(self.store.outbox, message.id)
        self.store.outbox[message.id] = copy.deepcopy(message)

    async def update_many(self, messages: Sequence[OutboxMessage]) -> None:
        for message in messages:
            if message.id in self.store.outbox:
                await self.update(message)

    async def reroute_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        moved = 0
        for key, message in list(self.store.outbox.items()):
            if message.chat_id == old_chat_id and message.status is OutboxStatus.PENDING:
                self.uow.remember(self.store.outbox, key)
                self.store.outbox[key] = dataclasses.replace(message, chat_id=new_chat_id)
                moved += 1
        return moved


class FakeDueRepository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.store = uow, uow.store

    async def add(self, item: DueItem) -> DueItem:
        item.id = next(self.store.ids)
        self.store.due[item.id] = copy.deepcopy(item)
        self.uow.undo.append(lambda: self.store.due.pop(item.id))  # type: ignore[arg-type]
        return item

    async def queue(self, item: DueItem) -> None:
        key = (item.kind, item.ref, item.due_at)
        if not any((i.kind, i.ref, i.due_at) == key for i in self.store.due.values()):
            await self.add(item)

    async def pending_refs(self, kind: DueKind) -> list[str]:
        refs = {i.ref for i in self.store.due.values() if i.kind == kind and i.done_at is None}
        return sorted(refs)

    async def claim_due(
        self, now: datetime, worker: str, limit: int, kinds: Collection[DueKind] | None = None
    ) -> list[DueItem]:
        due = [
            i
            for i in self.store.due.values()
            if i.done_at is None
            and i.claimed_by is None
            and i.due_at <= now
            and (kinds is None or i.kind in kinds)
        ]
        due.sort(key=lambda i: (i.due_at, i.id))
        for item in due[:limit]:
            self._set(item, claimed_by=worker, claimed_at=now)
        return [copy.deepcopy(self.store.due[i.id]) for i in due[:limit]]  # type: ignore[index]

    async def mark_done(self, item_id: int, at: datetime) -> None:
        self._set(self.store.due[item_id], done_at=at)

    async def cancel(self, kind: DueKind, ref: str) -> int:
        gone = [
            k for k, i in self.store.due.items() if (i.kind, i.ref, i.done_at) == (kind, ref, None)
        ]
        for key in gone:
            self.uow.remember(self.store.due, key)
            del self.store.due[key]
        return len(gone)

    async def release_stale(self, older_than: datetime) -> int:
        stale = [
            i
            for i in self.store.due.values()
            if i.done_at is None and i.claimed_at is not None and i.claimed_at < older_than
        ]
        for item in stale:
            self._set(item, claimed_by=None, claimed_at=None)
        return len(stale)

    def _set(self, item: DueItem, **changes: Any) -> None:
        assert item.id is not None
        self.uow.remember(self.store.due, item.id)
        self.store.due[item.id] = dataclasses.replace(item, **changes)


class FakePersonRepository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.store = uow, uow.store

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        found = [p for p in self.store.people.values() if p.telegram_id == telegram_id]
        return copy.deepcopy(found[0]) if found else None

    async def save(self, person: Person) -> Person:
        if person.id is None:
            person.id = next(self.store.ids)
        self.uow.remember(self.store.people, person.id)
        self.store.people[person.id] = copy.deepcopy(person)
        return person


class FakeLeaseRepository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.store = uow, uow.store

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        current = self.store.leases.get(name)
        if current is not None and current[0] != holder and current[1] >= now:
            return False
        self.uow.undo.append(
            lambda: (
                self.store.leases.__setitem__(name, current)
                if current
                else self.store.leases.pop(name, None)
            )
        )
        self.store.leases[name] = (holder, now + ttl)
        return True

    async def release(self, name: str, holder: str) -> None:
        current = self.store.leases.get(name)
        if current is not None and current[0] == holder:
            del self.store.leases[name]
            self.uow.undo.append(lambda: self.store.leases.__setitem__(name, current))


class FakeUnitOfWork:
    """Writes go straight to the shared store and are undone unless committed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.undo: list[Callable[[], object]] = []
        self.outbox = FakeOutboxRepository(self)
        self.due = FakeDueRepository(self)
        self.people = FakePersonRepository(self)
        self.leases = FakeLeaseRepository(self)

    def remember(self, table: dict[int, Any], key: int) -> None:
        if key in table:
            old = table[key]
            self.undo.append(lambda: table.__setitem__(key, old))
        else:
            self.undo.append(lambda: table.pop(key, None))

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self.undo.clear()
        self.store.commits += 1

    async def rollback(self) -> None:
        while self.undo:
            self.undo.pop()()


def uow_factory(store: Store) -> Callable[[], FakeUnitOfWork]:
    return lambda: FakeUnitOfWork(store)


@dataclass
class Call:
    at: float
    method: str
    chat_id: int | None
    params: dict[str, Any]


Fault = Callable[[TelegramMethod[Any]], BaseException | None]


class FakeBot:
    """Stands in for ``aiogram.Bot``: records each call; ``faults`` may raise instead."""

    def __init__(self, latency: float = 0.0) -> None:
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.latency = latency
        self.started = asyncio.Event()  # set when a call begins, before its latency
        self._message_ids = itertools.count(1)

    async def __call__(
        self, method: TelegramMethod[Any], request_timeout: int | None = None
    ) -> Any:
        self.started.set()
        if self.latency:
            await asyncio.sleep(self.latency)
        dumped = method.model_dump(exclude_none=True)
        params = {k: v for k, v in dumped.items() if not isinstance(v, Default)}
        self.calls.append(
            Call(time.monotonic(), method.__api_method__, params.get("chat_id"), params)
        )
        for fault in self.faults:
            error = fault(method)
            if error is not None:
                raise error
        return SimpleNamespace(message_id=next(self._message_ids))

    def delivered(self, chat_id: int) -> list[Call]:
        return [c for c in self.calls if c.chat_id == chat_id]


def fail_times(
    times: int, make: Callable[[TelegramMethod[Any]], BaseException], chat_id: int | None = None
) -> Fault:
    """A fault raised by the next ``times`` calls (to ``chat_id`` if given)."""
    left = [times]

    def fault(method: TelegramMethod[Any]) -> BaseException | None:
        if left[0] <= 0 or (chat_id is not None and getattr(method, "chat_id", None) != chat_id):
            return None
        left[0] -= 1
        return make(method)

    return fault
