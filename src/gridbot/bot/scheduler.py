"""Run due items (deadlines, follow-ups, digests) when they fall due.

A tick claims due rows in its own committed transaction (``claim_due`` is atomic, so two
processes never get the same row), then runs each row's handler in a unit of work that
also marks the row done: the handler's effects (outbox rows, case changes) and the done
mark commit together, so a reminder is queued exactly once. A handler that fails is
rolled back and its row stays claimed until ``release_stale`` frees it after
``retry_after``; a process that dies mid-tick is recovered the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)

DueHandler = Callable[[DueItem, UnitOfWork], Awaitable[None]]


def make_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class DueScheduler:
    """Ticks every ``interval`` seconds; ``tick()`` may also be awaited directly.

    Handlers are ``async (item, uow) -> None`` and must not commit: the scheduler commits
    their work together with the done mark. Items are handled ``chunk`` at a time in one
    transaction; when one of them fails, the chunk is redone item by item.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        interval: float = 1.0,
        batch: int = 1000,
        chunk: int = 50,
        retry_after: timedelta = timedelta(minutes=2),
        worker_id: str | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._interval = interval
        self._batch = batch
        self._chunk = max(1, chunk)
        self._retry_after = retry_after
        self.worker_id = worker_id or make_worker_id()
        self._handlers: dict[DueKind, DueHandler] = {}
        self._scheduler: AsyncIOScheduler | None = None
        self._ticking: asyncio.Task[object] | None = None

    def register(self, kind: DueKind, handler: DueHandler) -> None:
        self._handlers[kind] = handler

    @property
    def kinds(self) -> frozenset[DueKind]:
        """The kinds it claims: items of any other kind wait for a scheduler that has one."""
        return frozenset(self._handlers)

    def start(self) -> None:
        """Start ticking on the running event loop."""
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._scheduler.add_job(
            self._safe_tick,
            "interval",
            seconds=self._interval,
            id="due-tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._scheduler.start()
        log.info("due scheduler %s started", self.worker_id)

    async def shutdown(self, grace: float = 5.0) -> None:
        """Stop ticking; a tick in progress gets ``grace`` seconds to finish. One that takes
        longer is abandoned: its claims go stale and another tick retries them."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.pause()
            ticking = self._ticking
            if ticking is not None and not ticking.done():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(ticking), grace)
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        log.info("due scheduler %s stopped", self.worker_id)

    async def tick(self) -> int:
        """Claim what is due and handle it; returns how many items were claimed."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            released = await uow.due.release_stale(now - self._retry_after)
            # Only what this process can handle: an item of a kind nobody handles yet (a
            # feature still to come) waits for the release that brings its handler.
            claimed = await uow.due.claim_due(
                now, self.worker_id, self._batch, kinds=tuple(self._handlers)
            )
            await uow.commit()
        if released:
            log.info("released %s stale due items", released)
        for start in range(0, len(claimed), self._chunk):
            await self._handle_chunk(claimed[start : start + self._chunk])
        return len(claimed)

    async def _safe_tick(self) -> None:
        self._ticking = asyncio.current_task()
        try:
            await self.tick()
        except Exception:
            log.exception("due tick failed")
        finally:
            self._ticking = None

    async def _handle_chunk(self, items: Sequence[DueItem]) -> None:
        if len(items) > 1:
            try:
                async with self._uow_factory() as uow:
                    for item in items:
                        await self._handle(item, uow)
                    await uow.commit()
                return
            except Exception:
                log.warning("a due item failed; handling its chunk item by item")
        for item in items:
            try:
                async with self._uow_factory() as uow:
                    await self._handle(item, uow)
                    await uow.commit()
            except Exception:
                log.exception(
                    "due item %s (%s %s) failed; retried after %s",
                    item.id,
                    item.kind,
                    item.ref,
                    self._retry_after,
                )

    async def _handle(self, item: DueItem, uow: UnitOfWork) -> None:
        assert item.id is not None
        await self._handlers[item.kind](item, uow)
        await uow.due.mark_done(item.id, self._clock.now())
