"""Deliver the outbox to the Bot API within Telegram's limits.

Delivery is at-least-once: a row is marked SENT only after the Bot API answered. A process
that dies after Telegram accepted a message but before the SENT commit sends it again on
restart; nothing is ever lost.

Every bot process runs a sender. On SQLite there is one process (bot/processes.py refuses
a second), and its sender reads the pending rows. On PostgreSQL every process delivers:
a sender claims the pending rows of the chats no other sender holds (``FOR UPDATE SKIP
LOCKED``, one claimer per chat at a time; storage/repositories/outbox.py), so each chat's
messages leave from one process, in order. A sender renews its claims every
``claim_renew`` seconds for ``claim_ttl`` seconds and stops delivering (its lanes are
cancelled) once it could not renew them in time; a stopping sender gives its claims up, so
another takes the chats at its next poll; those of one that died are taken once they
expired. Claims compare the processes' clocks: they must agree to well within
``claim_ttl - claim_renew``. A hand-over may deliver a message twice (as a crash may),
never lose it.

Telegram's limits are kept by a ``SendLimits`` (bot/send_limits.py): in this process's
memory, or in Redis for every process together (bot/shared_limits.py). Each chat gets a
lane (a task draining that chat's queue in order), so a chat that waits on its own limit
or on a backoff never holds up the others. A message in backoff holds its chat's later
messages in this process; after a restart its stored ``not_before`` lets later ones of the
same chat go first.

Lanes are cancelled when the sender stops or loses its claims, but their writes to the
database are not: each runs as its own shielded task and is awaited before the claims are
given up. (On SQLite a transaction cut off mid-statement can keep the write lock.)
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from asyncio import FIRST_COMPLETED
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiogram.methods
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.methods import TelegramMethod
from pydantic import ValidationError

from gridbot.bot.scheduler import make_worker_id
from gridbot.bot.send_limits import LocalLimits, Rates, SendLimits
from gridbot.domain.messaging import ChatKind, OutboxMessage, OutboxStatus
from gridbot.services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)

ChatHook = Callable[[int], Awaitable[None] | None]
MigrateHook = Callable[[int, int], Awaitable[None] | None]

METHODS: dict[str, type[TelegramMethod[Any]]] = {
    cls.__api_method__: cls
    for name in aiogram.methods.__all__
    if isinstance(cls := getattr(aiogram.methods, name), type)
    and issubclass(cls, TelegramMethod)
    and hasattr(cls, "__api_method__")
}


class UnknownMethodError(ValueError):
    pass


def build_method(message: OutboxMessage) -> TelegramMethod[Any]:
    """The aiogram method object for a stored call, aimed at the row's current chat."""
    cls = METHODS.get(message.method)
    if cls is None:
        raise UnknownMethodError(f"unknown Bot API method {message.method!r}")
    params = dict(message.params)
    if "chat_id" in cls.model_fields:
        params["chat_id"] = message.chat_id
    return cls.model_validate(params)


class _Calls:
    """Bot API calls under way (``with calls:`` around each), and a wait for none."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def __enter__(self) -> None:
        self._count += 1
        self._idle.clear()

    def __exit__(self, *exc_info: object) -> None:
        self._count -= 1
        if self._count == 0:
            self._idle.set()

    async def none_left(self) -> None:
        await self._idle.wait()


@dataclass(eq=False)
class _Lane:
    queue: deque[OutboxMessage] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None


class OutboxSender:
    """Polls pending outbox rows and delivers them; see the module docstring for guarantees.

    ``claims``: claim rows before delivering them, so that several processes can deliver
    (PostgreSQL); without it the rows are only read (one process). ``limits``: Telegram's
    limits, kept in memory from ``global_rate`` … ``flood_chats`` unless given.

    Hooks: ``on_unreachable(chat_id)`` after a 403 (private chats are also marked
    ``blocked_bot`` here; groups are left to the hook), ``on_migrate(old, new)`` after a
    group became a supergroup (its pending rows are already rerouted). Both may be async.
    """

    def __init__(
        self,
        bot: Bot,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        reader: Callable[[], UnitOfWork] | None = None,
        claims: bool = False,
        limits: SendLimits | None = None,
        global_rate: float = 30,
        private_interval: float = 1.0,
        group_per_minute: int = 20,
        group_window: float = 60.0,
        flood_chats: int = 2,
        batch: int = 100,
        poll_interval: float = 0.2,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        request_timeout: int | None = None,
        on_unreachable: ChatHook | None = None,
        on_migrate: MigrateHook | None = None,
        claim_ttl: float = 15.0,
        claim_renew: float = 5.0,
        worker_id: str | None = None,
    ) -> None:
        self._bot = bot
        self._uow_factory = uow_factory
        # Polling only reads: on SQLite a reading unit of work never waits for writers.
        self._reader = reader or uow_factory
        self._clock = clock
        self._claims = claims
        rates = Rates(global_rate, private_interval, group_per_minute, group_window, flood_chats)
        self.limits: SendLimits = limits or LocalLimits(rates)
        self._batch = batch
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._request_timeout = request_timeout
        self._on_unreachable = on_unreachable
        self._on_migrate = on_migrate
        self._lanes: dict[int, _Lane] = {}
        self._calling = _Calls()
        self._inflight: set[int] = set()
        self._finished_while_polling: set[int] | None = None
        self._wake = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._writes: set[asyncio.Future[None]] = set()
        self._to_store: list[tuple[OutboxMessage, bool]] = []  # the batch being gathered
        self._stored: asyncio.Future[None] | None = None  # done once it is written
        self.worker_id = worker_id or make_worker_id()
        self._claim_ttl = claim_ttl
        self._claim_renew = min(claim_renew, claim_ttl / 2)
        self._claims_until = 0.0  # monotonic; with claims, delivering only before it
        self._claims_renewed = -float("inf")

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; unfinished lanes are cancelled (rows stay pending)."""
        log.info("outbox sender %s started", self.worker_id)
        if self.limits.forgets_on_restart:
            await self._remember_recent_sends()
        cut_off = False  # cancelled, not stopped: lanes stop at once, mid-call or not
        try:
            while not stop.is_set():
                if self._claims and time.monotonic() - self._claims_renewed >= self._claim_renew:
                    await self._renew_claims()
                if self.delivering:
                    try:
                        await self._poll()
                    except Exception:
                        log.exception("outbox poll failed")
                elif self._lanes:
                    log.warning("outbox sender %s could not keep its claims", self.worker_id)
                    await self._cancel_lanes()
                self.limits.tidy()
                await self._pause(stop)
        except asyncio.CancelledError:
            cut_off = True
            raise
        finally:
            await self._cancel_lanes(calls_end=not cut_off)
            await asyncio.gather(*self._writes, return_exceptions=True)
            await self._release_claims()
            log.info("outbox sender %s stopped", self.worker_id)

    async def _pause(self, stop: asyncio.Event) -> None:
        """Until the next poll: ``poll_interval``, a wake-up, or the stop."""
        waits = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())}
        try:
            await asyncio.wait(waits, timeout=self._poll_interval, return_when=FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
        self._wake.clear()

    @property
    def delivering(self) -> bool:
        """Whether this sender delivers now: always without claims; with them, while it
        knows its claims alive."""
        return not self._claims or time.monotonic() < self._claims_until

    async def _renew_claims(self) -> None:
        started = self._claims_renewed = time.monotonic()
        try:
            async with self._uow_factory() as uow:
                until = self._clock.now() + timedelta(seconds=self._claim_ttl)
                await uow.outbox.renew_claims(self.worker_id, until)
                await uow.commit()
        except Exception:
            # Still the holder until the claims would expire; then another may take them.
            log.exception("outbox sender %s could not renew its claims", self.worker_id)
            return
        # Counted from before the request, and a renewal short, so as to stop in time.
        self._claims_until = started + self._claim_ttl - self._claim_renew

    async def _remember_recent_sends(self) -> None:
        """Limits kept in memory start from what was delivered lately (by this process
        before a restart, or another before it): Telegram's memory of it is not empty."""
        rates = self.limits.rates
        window = max(rates.private_interval, rates.group_window)
        now = self._clock.now()
        try:
            async with self._reader() as uow:
                sends = await uow.outbox.recent_sends(now - timedelta(seconds=window))
        except Exception:
            log.exception("outbox sender %s could not read the recent sends", self.worker_id)
            return
        self.limits.recall([(chat, (now - at).total_seconds()) for chat, at in sends])

    async def _release_claims(self) -> None:
        if not self._claims or self._claims_until == 0.0:
            return
        self._claims_until = 0.0
        try:
            async with self._uow_factory() as uow:
                await uow.outbox.release_claims(self.worker_id)
                await uow.commit()
        except Exception:
            log.exception("outbox sender %s could not give up its claims", self.worker_id)

    async def deliver_once(self) -> int:
        """Take one batch of pending rows and deliver them all; returns how many were taken.
        Ignores the claims' renewal: for tests and one-off runs."""
        taken = await self._poll()
        while self._lanes:
            await asyncio.gather(*{lane.task for lane in self._lanes.values() if lane.task})
        return taken

    async def _poll(self) -> int:
        if self._claims:
            return await self._claim()
        self._finished_while_polling = set()
        try:
            async with self._reader() as uow:
                limit = self._batch + len(self._inflight)
                ids = await uow.outbox.pending_ids(self._clock.now(), limit)
                # Most pending rows are usually in flight already (a chat waiting on its
                # limit): only the others are read whole.
                wanted = [i for i in ids if i not in self._inflight]
                rows = await uow.outbox.many(wanted) if wanted else []
            # A row finished during the read may still come back from it: skip it too.
            skip = self._inflight | self._finished_while_polling
        finally:
            self._finished_while_polling = None
        fresh = [row for row in rows if row.id is not None and row.id not in skip]
        for row in fresh:
            self._dispatch(row)
        return len(fresh)

    async def _claim(self) -> int:
        """Claim the rows of chats nobody holds (and new ones of this sender's chats)."""
        now = self._clock.now()
        until = now + timedelta(seconds=self._claim_ttl)
        async with self._uow_factory() as uow:
            rows = await uow.outbox.claim(self.worker_id, now, until, self._batch, self._batch)
            await uow.commit()
        fresh = [row for row in rows if row.id is not None and row.id not in self._inflight]
        for row in fresh:
            self._dispatch(row)
        return len(fresh)

    def wake(self) -> None:
        """New messages were committed: poll now instead of at the next interval."""
        self._wake.set()

    def _dispatch(self, message: OutboxMessage) -> None:
        assert message.id is not None
        self._inflight.add(message.id)
        lane = self._lanes.get(message.chat_id)
        if lane is None:
            lane = self._lanes[message.chat_id] = _Lane()
            lane.task = asyncio.create_task(self._drain(lane), name=f"outbox-{message.chat_id}")
        lane.queue.append(message)

    async def _drain(self, lane: _Lane) -> None:
        try:
            while lane.queue:
                message = lane.queue[0]
                try:
                    await self._deliver(message, lane)
                except Exception:
                    log.exception("outbox message %s: unexpected failure", message.id)
                lane.queue.popleft()
                self._release(message)
        finally:
            for chat_id in [c for c, other in self._lanes.items() if other is lane]:
                del self._lanes[chat_id]
            for message in lane.queue:
                self._release(message)

    def _release(self, message: OutboxMessage) -> None:
        assert message.id is not None
        self._inflight.discard(message.id)
        if self._finished_while_polling is not None:
            self._finished_while_polling.add(message.id)

    async def _cancel_lanes(self, *, calls_end: bool = True) -> None:
        """Stop every lane; with ``calls_end``, once the calls Telegram is answering were
        answered and recorded: a message it accepted is then never left pending, for this
        process after a restart or another one to send again."""
        if calls_end:
            await self._calling.none_left()
        tasks = {lane.task for lane in self._lanes.values() if lane.task}
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _deliver(self, message: OutboxMessage, lane: _Lane) -> None:
        while True:
            try:
                method = build_method(message)
            except (UnknownMethodError, ValidationError) as exc:
                await self._give_up(message, exc)
                return
            ticket = await self.limits.admit(message.chat_id, message.chat_kind)
            try:
                with self._calling:  # the stop waits for this call and its record
                    try:
                        try:
                            result = await self._bot(method, request_timeout=self._request_timeout)
                        finally:
                            await self.limits.answered(ticket)
                    except TelegramRetryAfter as exc:
                        await self.limits.flooded(message.chat_id, exc.retry_after)
                        continue
                    except Exception as exc:
                        error: Exception = exc
                    else:
                        await self._sent(message, result)
                        return
                raise error
            except TelegramMigrateToChat as exc:
                await self._migrated(lane, message.chat_id, exc.migrate_to_chat_id)
            except TelegramForbiddenError as exc:
                await self._unreachable(message, exc)
                return
            except (TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge) as exc:
                if _never_started(message, exc):
                    await self._unreachable(message, exc)
                else:
                    await self._give_up(message, exc)
                return
            except Exception as exc:  # 5xx, network errors, timeouts, garbled answers
                if not await self._back_off(message, exc):
                    return

    async def _sent(self, message: OutboxMessage, result: Any) -> None:
        message.status = OutboxStatus.SENT
        message.sent_at = self._clock.now()
        message.attempts += 1
        message_id = getattr(result, "message_id", None)
        message.message_id = message_id if isinstance(message_id, int) else None
        await self._save(message)

    async def _give_up(self, message: OutboxMessage, exc: Exception) -> None:
        log.error("outbox message %s to %s refused: %s", message.id, message.chat_id, exc)
        message.status = OutboxStatus.FAILED
        message.attempts += 1
        message.last_error = str(exc)[:1000]
        await self._save(message)

    async def _back_off(self, message: OutboxMessage, exc: Exception) -> bool:
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if message.attempts >= self._max_attempts:
            log.error("outbox message %s failed after %s attempts", message.id, message.attempts)
            message.status = OutboxStatus.FAILED
            await self._save(message)
            return False
        delay = min(self._backoff_max, self._backoff_base * 2 ** (message.attempts - 1))
        log.warning("outbox message %s: %s; retry in %.1fs", message.id, exc, delay)
        # Stored so that a restart honours the backoff too.
        message.not_before = self._clock.now() + timedelta(seconds=delay)
        await self._save(message)
        await asyncio.sleep(delay)
        return True

    async def _unreachable(self, message: OutboxMessage, exc: Exception) -> None:
        log.info("chat %s unreachable: %s", message.chat_id, exc)
        message.status = OutboxStatus.UNREACHABLE
        message.attempts += 1
        message.last_error = str(exc)[:1000]
        await self._save(message, blocked=message.chat_kind is ChatKind.PRIVATE)
        await _call_hook(self._on_unreachable, message.chat_id)

    async def _migrated(self, lane: _Lane, old_chat_id: int, new_chat_id: int) -> None:
        log.info("chat %s migrated to %s", old_chat_id, new_chat_id)
        await self._write(self._reroute(old_chat_id, new_chat_id))
        for queued in lane.queue:
            if queued.chat_id == old_chat_id:
                queued.chat_id = new_chat_id
        await self.limits.moved(old_chat_id, new_chat_id)
        # Rows fetched later under the new id join this lane, keeping the order.
        self._lanes.setdefault(new_chat_id, lane)
        await _call_hook(self._on_migrate, old_chat_id, new_chat_id)

    async def _reroute(self, old_chat_id: int, new_chat_id: int) -> None:
        async with self._write_lock, self._uow_factory() as uow:
            await uow.outbox.reroute_chat(old_chat_id, new_chat_id)
            await uow.commit()

    async def _write(self, write: Awaitable[None]) -> None:
        """Run a database write to its end even if the lane awaiting it is cancelled."""
        task = asyncio.ensure_future(write)
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        await asyncio.shield(task)

    async def _save(self, message: OutboxMessage, *, blocked: bool = False) -> None:
        """Record what became of ``message``, with whatever else the lanes finish meanwhile:
        one write transaction for a batch of them (the database's writer is shared with
        every update the bot handles)."""
        if self._stored is None:
            self._stored = asyncio.get_running_loop().create_future()
            self._to_store = []
            task = asyncio.ensure_future(self._store_batch())
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)
        self._to_store.append((message, blocked))
        await asyncio.shield(self._stored)

    async def _store_batch(self) -> None:
        stored = self._stored
        assert stored is not None
        try:
            async with self._write_lock:  # the batch before this one is written
                # What was saved until now is this batch; a later save starts the next.
                batch, self._to_store, self._stored = self._to_store, [], None
                await self._store(batch)
        finally:
            if self._stored is stored:  # never taken (cancelled while waiting)
                self._stored = None
            if not stored.done():
                stored.set_result(None)

    async def _store(self, batch: list[tuple[OutboxMessage, bool]]) -> None:
        try:
            async with self._uow_factory() as uow:
                await uow.outbox.update_many([message for message, _ in batch])
                for message, blocked in batch:
                    if not blocked:
                        continue
                    person = await uow.people.by_telegram_id(message.chat_id)
                    if person is not None and not person.blocked_bot:
                        person.blocked_bot = True
                        await uow.people.save(person)
                await uow.commit()
        except Exception:
            # The rows stay as they were in the database and are delivered again later.
            ids = [message.id for message, _ in batch]
            log.exception("could not record outbox messages %s", ids)


async def _call_hook(hook: Callable[..., Any] | None, *args: int) -> None:
    if hook is None:
        return
    try:
        result = hook(*args)
        if inspect.isawaitable(result):
            await result
    except Exception:
        log.exception("outbox hook %r failed", hook)


def _never_started(message: OutboxMessage, exc: Exception) -> bool:
    """Telegram answers "chat not found" to a private message for someone who never started
    the bot: as unreachable as one who blocked it, and routing must know."""
    return message.chat_kind is ChatKind.PRIVATE and "chat not found" in str(exc).lower()
