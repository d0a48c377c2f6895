"""The inbox: an update is safe in the database before Telegram is told it arrived.

Telegram forgets an update once a later ``getUpdates`` carries an offset above its id, or
once the webhook's answer to it is 200. aiogram's own polling confirms a batch as soon as
it has fetched it, so a process killed while handling lost the update (a resident's 提交
gone with its draft). Here each update is first written to the ``inbox`` table (once per
update_id: what Telegram sends again is recognised), only then confirmed, and marked when
its handling has ended. At start-up, what was recorded and not marked is handled first, in
order, before anything new is fetched. docs/reliability.md says what this promises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from gridbot.bot.batches import Batched
from gridbot.bot.reach import wait_before
from gridbot.bot.replies import watching
from gridbot.services.ports import Clock
from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository

log = logging.getLogger(__name__)

POLL_SECONDS = 10  # the long poll of getUpdates, as aiogram's default
MAX_IN_FLIGHT = 64  # updates handled at once; the next one waits for a free slot
KEEP_HANDLED = timedelta(days=1)  # handled updates kept this long, then dropped at start-up
REPLAY_AGE = timedelta(minutes=1)  # next to running processes, replay only what is older


class Inbox:
    """Records updates, hands them to the Dispatcher at most ``limit`` at once, marks them."""

    def __init__(
        self,
        database: Database,
        bot: Bot,
        dispatcher: Dispatcher,
        clock: Clock,
        *,
        limit: int = MAX_IN_FLIGHT,
    ) -> None:
        self._database = database
        self._bot = bot
        self._dispatcher = dispatcher
        self._clock = clock
        self._slots = asyncio.Semaphore(limit)
        self._tasks: set[asyncio.Task[None]] = set()
        self._marks = GroupMarks(database, clock)

    async def record(self, updates: Sequence[Update]) -> list[Update]:
        """Write the updates in one transaction; those not recorded before, in order."""
        rows = [(u.update_id, u.model_dump_json(by_alias=True, exclude_none=True)) for u in updates]
        async with self._database.uow() as uow:
            fresh = await SqlInboxRepository(uow.session).record(rows, self._clock.now())
            await uow.commit()
        return [u for u in updates if u.update_id in fresh]

    async def replay(self, *, others_running: bool = False) -> int:
        """At start-up: drop old handled updates, then handle, one by one and in order, the
        ones a stopped process recorded and did not finish. Returns how many. Next to
        other running processes (webhook), only those recorded ``REPLAY_AGE`` ago or
        earlier: the newer ones are probably being handled by the process that got them."""
        now = self._clock.now()
        async with self._database.uow() as uow:
            inbox = SqlInboxRepository(uow.session)
            await inbox.forget_handled(now - KEEP_HANDLED)
            pending = await inbox.pending(
                received_before=now - REPLAY_AGE if others_running else None
            )
            await uow.commit()
        if pending:
            log.info("handling %s update(s) recorded before the last stop", len(pending))
        for _, payload in pending:
            await self.handle(Update.model_validate_json(payload, context={"bot": self._bot}))
        return len(pending)

    async def dispatch(self, updates: Sequence[Update]) -> None:
        """Each update in a task of its own, in order; waits while ``limit`` are running."""
        for update in updates:
            await self._slots.acquire()
            task = asyncio.create_task(
                self._handle_in_slot(update), name=f"update-{update.update_id}"
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def handle(self, update: Update) -> None:
        """Feed one update to the Dispatcher and mark it handled, even when a handler failed
        (the error handler has answered; handling it again would fail again). A handling
        cut off by cancellation is not marked: the next start handles it. An update whose
        change was committed is marked already, in that commit (``bot/replies.py``); the
        others are marked together with whatever else ended meanwhile (``GroupMarks``)."""
        with watching(update.update_id) as outcome:
            try:
                response = await self._dispatcher.feed_update(self._bot, update)
                if isinstance(response, TelegramMethod):
                    await self._dispatcher.silent_call_request(self._bot, response)
            except Exception:
                log.exception("update %s failed", update.update_id)
        if not outcome.marked:
            await self._marks.mark(update.update_id)

    async def settle(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait up to ``timeout`` seconds for the updates being handled; False if some still
        are (they stay unmarked and are handled again at the next start)."""
        running = set(self._tasks)
        if not running:
            return True
        _, late = await asyncio.wait(running, timeout=timeout)
        if late:
            log.warning(
                "stopping with %s update(s) unfinished; handled at the next start", len(late)
            )
        return not late

    async def _handle_in_slot(self, update: Update) -> None:
        try:
            await self.handle(update)
        finally:
            self._slots.release()


class GroupMarks:
    """Marks updates handled in batches (``bot/batches.py``): under load, ten updates
    ending together cost one write, not ten. ``mark`` returns once its update's batch is
    committed (and raises if that commit failed)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._batches: Batched[int, None] = Batched(self._write, name="inbox-marks")

    async def mark(self, update_id: int) -> None:
        await self._batches.put(update_id)

    async def _write(self, update_ids: list[int]) -> None:
        async with self._database.uow() as uow:
            await SqlInboxRepository(uow.session).mark_handled(update_ids, self._clock.now())
            await uow.commit()


async def poll(
    inbox: Inbox,
    bot: Bot,
    dispatcher: Dispatcher,
    stop: asyncio.Event,
    *,
    api_base: str = "the Bot API",
) -> None:
    """Long polling until ``stop``: replay, then fetch, record, confirm (by the next fetch's
    offset), handle. A batch that cannot be recorded is not confirmed: it is fetched again.
    A failed fetch (the Bot API at ``api_base`` unreachable, a 5xx) or record is tried
    again after a growing, jittered wait (bot/reach.py), with one log line per attempt."""
    await inbox.replay()
    allowed = dispatcher.resolve_used_update_types()
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            bot.get_updates(offset=offset, timeout=POLL_SECONDS, allowed_updates=allowed)
        )
        if not await _before_stop(fetch, stop):
            break
        try:
            updates = fetch.result()
        except TelegramUnauthorizedError:
            raise
        except Exception as error:
            failures += 1
            delay = wait_before(failures)
            log.warning(
                "Bot API at %s not reachable: getUpdates failed (%s); attempt %s, next in %.1f s",
                api_base, _reason(error), failures, delay,
            )  # fmt: skip
            await _pause(stop, delay)
            continue
        try:
            fresh = await inbox.record(updates) if updates else []
        except Exception as error:
            failures += 1
            delay = wait_before(failures)
            log.warning(
                "%s update(s) not recorded (%s); fetched again in %.1f s",
                len(updates), _reason(error), delay,
            )  # fmt: skip
            await _pause(stop, delay)
            continue
        if failures:
            log.info("Bot API at %s reached again after %s failed attempt(s)", api_base, failures)
        failures = 0
        if updates:
            offset = updates[-1].update_id + 1
            await inbox.dispatch(fresh)


def _reason(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _before_stop(task: asyncio.Future[list[Update]], stop: asyncio.Event) -> bool:
    """True when ``task`` ended first; else it is cancelled (what it fetched was not
    confirmed, so Telegram sends it again)."""
    stopping = asyncio.ensure_future(stop.wait())
    either: set[asyncio.Future[Any]] = {task, stopping}
    try:
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if task.done():
        return True
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return False
