"""Deliver the outbox to the Bot API within Telegram's limits.

Delivery is at-least-once: a row is marked SENT only after the Bot API answered. A process
that dies after Telegram accepted a message but before the SENT commit sends it again on
restart; nothing is ever lost.

Every bot process runs a sender, but only one delivers: the holder of the database lease
``outbox-sender`` (rows are read, not claimed, and the per-chat limits live in the
holder's memory). The holder renews the lease every ``lease_renew`` seconds for
``lease_ttl`` seconds and stops delivering (its lanes are cancelled) once it could not
renew in time; the others try to take it every ``lease_renew`` seconds. A stopping sender
releases the lease, so another takes over within ``lease_renew`` seconds; one that dies
is replaced once its lease expired. Leases compare the processes' clocks: they must agree
to well within ``lease_ttl - lease_renew``. A hand-over may deliver a message twice (as a
crash may), never lose it.

Each chat gets a lane (a task draining that chat's queue in order), so a chat that waits
on its own limit or on a backoff never holds up the others. Per-chat limits are exact
sliding windows (``ChatLimits``); the global ~30/s is a leaky bucket with a capacity of a
tenth of the rate, under a strict window (``GlobalWindow``: never more than 30 calls in any
second, as Telegram could have seen them). A message in backoff holds its chat's later
messages in this process; after a restart its stored ``not_before`` lets later ones of the
same chat go first.

Lanes are cancelled when the sender stops or loses the lease, but their writes to the
database are not: each runs as its own shielded task and is awaited before the lease is
released. (On SQLite a transaction cut off mid-statement can keep the write lock.)
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
from aiolimiter import AsyncLimiter
from pydantic import ValidationError

from gridbot.bot.scheduler import make_worker_id
from gridbot.domain.messaging import ChatKind, OutboxMessage, OutboxStatus
from gridbot.services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)

LEASE = "outbox-sender"

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


class ChatLimits:
    """Sliding windows per chat: at least ``private_interval`` seconds between two calls to
    a private chat, at most ``group_limit`` calls to a group in any ``group_window`` seconds.

    A call is recorded when its answer arrives: the next one can then never reach Telegram
    inside the window, whatever the network jitter (each chat has one call in flight).
    """

    def __init__(
        self,
        private_interval: float = 1.0,
        group_limit: int = 20,
        group_window: float = 60.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.private_interval = private_interval
        self.group_limit = max(1, group_limit)
        self.group_window = group_window
        self._now = now
        self._calls: dict[int, deque[float]] = {}
        self._paused_until: dict[int, float] = {}

    def wait_time(self, chat_id: int, kind: ChatKind) -> float:
        now = self._now()
        ready = self._paused_until.get(chat_id, 0.0)
        calls = self._calls.get(chat_id)
        if calls:
            if kind is ChatKind.PRIVATE:
                ready = max(ready, calls[-1] + self.private_interval)
            elif len(calls) >= self.group_limit:
                ready = max(ready, calls[-self.group_limit] + self.group_window)
        return max(0.0, ready - now)

    def record(self, chat_id: int, at: float | None = None) -> None:
        """A call answered now (or at ``at``, on this clock); calls come in time order."""
        calls = self._calls.setdefault(chat_id, deque(maxlen=self.group_limit))
        calls.append(self._now() if at is None else at)

    def pause(self, chat_id: int, seconds: float) -> None:
        until = self._now() + seconds
        self._paused_until[chat_id] = max(until, self._paused_until.get(chat_id, 0.0))

    def move(self, old_chat_id: int, new_chat_id: int) -> None:
        # The supergroup inherits the history: being conservative costs nothing.
        if old_chat_id in self._calls:
            self._calls[new_chat_id] = self._calls.pop(old_chat_id)
        if old_chat_id in self._paused_until:
            self._paused_until[new_chat_id] = self._paused_until.pop(old_chat_id)

    def forget_idle(self) -> None:
        horizon = self._now() - max(self.private_interval, self.group_window)
        for chat_id in [c for c, calls in self._calls.items() if calls[-1] < horizon]:
            del self._calls[chat_id]
        for chat_id in [c for c, t in self._paused_until.items() if t < self._now()]:
            del self._paused_until[chat_id]


class GlobalWindow:
    """At most ``limit`` calls in any ``window`` seconds, wherever Telegram's clock put them.

    A call counts from the moment it is admitted until ``window`` seconds after its answer
    arrived: Telegram saw it somewhere in between, so any ``window`` seconds of Telegram's
    time hold only calls that were counted together here. (A bucket leaking ``limit`` a
    second lets ``limit + 1`` in through a second at full speed, and network jitter moves
    calls closer together.) It costs a call's latency per ``window``: 30 calls a second
    at 10 ms is 29.7 a second.
    """

    def __init__(
        self, limit: int, window: float = 1.0, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = max(1, limit)
        self.window = window
        self._now = now
        self._in_flight = 0
        self._answered: deque[float] = deque()  # answer times, oldest first
        self._changed = asyncio.Event()

    def _counted(self) -> int:
        horizon = self._now() - self.window
        while self._answered and self._answered[0] <= horizon:
            self._answered.popleft()
        return self._in_flight + len(self._answered)

    async def ready(self) -> None:
        """Until one more call fits; only one caller at a time (the admission lock)."""
        while self._counted() >= self.limit:
            if self._answered:
                await asyncio.sleep(self._answered[0] + self.window - self._now())
            else:  # all in flight: the first answer starts its window
                self._changed.clear()
                await self._changed.wait()

    def start(self) -> None:
        self._in_flight += 1

    def answered(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)
        self._answered.append(self._now())
        self._changed.set()


@dataclass(eq=False)
class _Lane:
    queue: deque[OutboxMessage] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None


class OutboxSender:
    """Polls pending outbox rows and delivers them; see the module docstring for guarantees.

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
        global_rate: float = 30,
        private_interval: float = 1.0,
        group_per_minute: int = 20,
        group_window: float = 60.0,
        batch: int = 100,
        poll_interval: float = 0.2,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        flood_chats: int = 2,
        request_timeout: int | None = None,
        on_unreachable: ChatHook | None = None,
        on_migrate: MigrateHook | None = None,
        lease_ttl: float = 15.0,
        lease_renew: float = 5.0,
        worker_id: str | None = None,
    ) -> None:
        self._bot = bot
        self._uow_factory = uow_factory
        # Polling only reads: on SQLite a reading unit of work never waits for writers.
        self._reader = reader or uow_factory
        self._clock = clock
        # Telegram's global limit is approximate ("about 30 per second"), so a leaky bucket
        # fits it: its small capacity absorbs late timer wake-ups, which a strict window
        # would turn into lost throughput whenever the event loop is busy.
        burst = max(1, round(global_rate / 10))
        self._global = AsyncLimiter(burst, burst / global_rate)
        self._window = GlobalWindow(int(global_rate))
        self._admission = asyncio.Lock()
        self.limits = ChatLimits(private_interval, group_per_minute, group_window)
        self._batch = batch
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._flood_chats = flood_chats
        self._request_timeout = request_timeout
        self._on_unreachable = on_unreachable
        self._on_migrate = on_migrate
        self._lanes: dict[int, _Lane] = {}
        self._inflight: set[int] = set()
        self._finished_while_polling: set[int] | None = None
        self._global_ready = 0.0
        self._floods: deque[tuple[float, int]] = deque()
        self._wake = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._writes: set[asyncio.Future[None]] = set()
        self._to_store: list[tuple[OutboxMessage, bool]] = []  # the batch being gathered
        self._stored: asyncio.Future[None] | None = None  # done once it is written
        self.worker_id = worker_id or make_worker_id()
        self._lease_ttl = lease_ttl
        self._lease_renew = min(lease_renew, lease_ttl / 2)
        self._lease_until = 0.0  # monotonic; delivering only before it
        self._lease_tried = -float("inf")

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; unfinished lanes are cancelled (rows stay pending)."""
        log.info("outbox sender %s started", self.worker_id)
        try:
            while not stop.is_set():
                if time.monotonic() - self._lease_tried >= self._lease_renew:
                    await self._renew_lease()
                if self.is_leader:
                    try:
                        await self._poll()
                    except Exception:
                        log.exception("outbox poll failed")
                elif self._lanes:
                    log.warning("outbox sender %s lost the lease", self.worker_id)
                    await self._cancel_lanes()
                self.limits.forget_idle()
                await self._pause(stop)
        finally:
            await self._cancel_lanes()
            await asyncio.gather(*self._writes, return_exceptions=True)
            await self._release_lease()
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
    def is_leader(self) -> bool:
        """Whether this sender holds the lease (and so delivers), as far as it knows."""
        return time.monotonic() < self._lease_until

    async def _renew_lease(self) -> None:
        started = self._lease_tried = time.monotonic()
        was_leader = self.is_leader
        try:
            async with self._uow_factory() as uow:
                ttl = timedelta(seconds=self._lease_ttl)
                held = await uow.leases.acquire(LEASE, self.worker_id, self._clock.now(), ttl)
                await uow.commit()
        except Exception:
            # Still the holder until the lease would expire; then another may take over.
            log.exception("outbox sender %s could not renew its lease", self.worker_id)
            return
        # Counted from before the request, and a renewal short, so as to stop in time.
        self._lease_until = started + self._lease_ttl - self._lease_renew if held else 0.0
        if held and not was_leader:
            log.info("outbox sender %s holds the lease", self.worker_id)
            await self._remember_recent_sends()

    async def _remember_recent_sends(self) -> None:
        """A new holder starts its chats' windows from what the previous holder delivered
        lately: its own memory of them is empty, Telegram's is not."""
        window = max(self.limits.private_interval, self.limits.group_window)
        now, ticks = self._clock.now(), time.monotonic()
        try:
            async with self._reader() as uow:
                sends = await uow.outbox.recent_sends(now - timedelta(seconds=window))
        except Exception:
            log.exception("outbox sender %s could not read the recent sends", self.worker_id)
            return
        for chat_id, sent_at in sends:
            self.limits.record(chat_id, ticks - (now - sent_at).total_seconds())

    async def _release_lease(self) -> None:
        if self._lease_until == 0.0:
            return
        self._lease_until = 0.0
        try:
            async with self._uow_factory() as uow:
                await uow.leases.release(LEASE, self.worker_id)
                await uow.commit()
        except Exception:
            log.exception("outbox sender %s could not release its lease", self.worker_id)

    async def deliver_once(self) -> int:
        """Take one batch of pending rows and deliver them all; returns how many were taken.
        Ignores the lease: for tests and one-off runs, not next to running senders."""
        taken = await self._poll()
        while self._lanes:
            await asyncio.gather(*{lane.task for lane in self._lanes.values() if lane.task})
        return taken

    async def _poll(self) -> int:
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

    async def _cancel_lanes(self) -> None:
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
            await self._wait_turn(message)
            try:
                try:
                    result = await self._bot(method, request_timeout=self._request_timeout)
                finally:
                    self.limits.record(message.chat_id)
                    self._window.answered()
            except TelegramRetryAfter as exc:
                self._flood(message, exc.retry_after)
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
            else:
                await self._sent(message, result)
                return

    async def _wait_turn(self, message: OutboxMessage) -> None:
        # The chat's own limit first, outside the admission lock, so it holds up no one.
        while True:
            delay = self.limits.wait_time(message.chat_id, message.chat_kind)
            if delay <= 0:
                break
            await asyncio.sleep(delay)
        async with self._admission:  # FIFO across lanes
            while True:
                delay = self._global_ready - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                    continue
                await self._window.ready()
                await self._global.acquire()
                # A global flood may have started while this lane waited for the bucket.
                if self._global_ready <= time.monotonic():
                    self._window.start()  # nothing else is admitted until the call
                    return

    def _flood(self, message: OutboxMessage, retry_after: float) -> None:
        now = time.monotonic()
        self.limits.pause(message.chat_id, retry_after)
        self._floods.append((now, message.chat_id))
        while self._floods and self._floods[0][0] < now - max(1.0, retry_after):
            self._floods.popleft()
        # One chat flooded is that chat's limit; several at once is the bot-wide limit.
        if len({chat for _, chat in self._floods}) >= self._flood_chats:
            self._global_ready = max(self._global_ready, now + retry_after)
            log.warning("global flood control: pausing all chats for %ss", retry_after)
        else:
            log.warning("chat %s flood control: pausing it for %ss", message.chat_id, retry_after)

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
        self.limits.move(old_chat_id, new_chat_id)
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
