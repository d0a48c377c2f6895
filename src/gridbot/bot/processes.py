"""Which gridbot processes share a database, and whether one more may join them.

Each bot process (``gridbot run``, ``gridbot webhook``, the demo) marks its presence with a
lease named ``process:<digest of its worker id>`` that it renews while it runs and gives up
when it stops; a killed process's mark lapses after ``PRESENCE_TTL`` (at once, for a process
of this host whose pid is gone). A new process first marks itself, then looks at the
others, and refuses to start (``refusal``) when running next to them would lose or
duplicate something:

- long polling allows one poller per bot (Telegram answers a second one with 409), and a
  poller next to webhook processes would fight them over ``setWebhook``/``deleteWebhook``;
- several webhook processes need PostgreSQL (SQLite's single writer serves one process)
  and REDIS_URL (conversation state and the one-update-per-chat lock must be shared, or
  two steps of one report race in two processes);
- they all serve one public WEBHOOK_URL, the proxy's: a process that registered another
  address would take every update from the others.

Both processes of a simultaneous start see each other (each marks itself before looking),
so at worst both refuse; never both run.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from gridbot.services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)

PREFIX = "process:"
PRESENCE_TTL = timedelta(seconds=30)
RENEW_SECONDS = 10.0


def url_digest(url: str | None) -> str:
    """A short fingerprint of a webhook address (the address itself may be long)."""
    return hashlib.sha256(url.encode()).hexdigest()[:12] if url else ""


@dataclass(frozen=True)
class Presence:
    """A process as the others see it: its worker id, ``polling`` or ``webhook``, and the
    fingerprint of the webhook address it serves."""

    worker_id: str
    mode: str
    webhook: str = ""

    @property
    def name(self) -> str:
        return PREFIX + hashlib.sha256(self.worker_id.encode()).hexdigest()[:24]

    @property
    def holder(self) -> str:
        return f"{self.mode}|{self.webhook}|{self.worker_id}"[:128]

    @classmethod
    def parse(cls, holder: str) -> Presence:
        mode, _, rest = holder.partition("|")
        webhook, _, worker_id = rest.partition("|")
        return cls(worker_id, mode, webhook)

    def describe(self) -> str:
        return f"{self.worker_id} ({self.mode})"


def refusal(
    me: Presence, others: Sequence[Presence], *, backend: str, shared_state: bool
) -> str | None:
    """Why ``me`` must not run next to ``others`` on this database, or None."""
    if not others:
        return None
    names = ", ".join(other.describe() for other in others)
    if me.mode == "polling" or any(other.mode == "polling" for other in others):
        return (
            f"another gridbot process runs on this database: {names}. Long polling allows "
            "one process per bot; stop the other one, or run several `gridbot webhook` "
            "processes behind one URL (PostgreSQL and REDIS_URL)."
        )
    if backend != "postgresql":
        return (
            f"another gridbot process runs on this SQLite database: {names}. Several "
            "processes need PostgreSQL (DATABASE_URL=postgresql+asyncpg://...)."
        )
    if not shared_state:
        return (
            f"another gridbot process runs on this database: {names}. Several processes "
            "need REDIS_URL, so that conversations (a report in progress) and the "
            "one-update-per-chat lock are shared; without it they would be lost or raced."
        )
    if any(other.webhook != me.webhook for other in others):
        return (
            f"another gridbot process serves a different WEBHOOK_URL: {names}. All the "
            "processes of a bot serve one public address (the reverse proxy's); a second "
            "setWebhook would take every update from the others."
        )
    return None


def _gone_locally(worker_id: str) -> bool:
    """A process of this host (``host:pid:…``) that no longer exists."""
    host, _, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class ProcessRegistry:
    """``others = await registry.join()``, then ``registry.keep(stop)`` in a task while the
    process runs, and ``await registry.leave()`` when it stops."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        me: Presence,
        *,
        ttl: timedelta = PRESENCE_TTL,
        renew_seconds: float = RENEW_SECONDS,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.me = me
        self._ttl = ttl
        self._renew_seconds = renew_seconds
        self._joined = False

    async def join(self) -> list[Presence]:
        """Mark this process present; the other processes present (the dead ones of this
        host are dropped on the way)."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            await uow.leases.acquire(self.me.name, self.me.holder, now, self._ttl)
            held = await uow.leases.held(PREFIX, now)
            others: list[Presence] = []
            for name, holder in held:
                if name == self.me.name:
                    continue
                other = Presence.parse(holder)
                if _gone_locally(other.worker_id):
                    await uow.leases.release(name, holder)
                    continue
                others.append(other)
            await uow.commit()
        self._joined = True
        return others

    async def keep(self, stop: asyncio.Event) -> None:
        """Renew the mark until ``stop``; a failed renewal is logged and tried again."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._renew_seconds)
            if stop.is_set():
                break
            try:
                async with self._uow_factory() as uow:
                    now = self._clock.now()
                    await uow.leases.acquire(self.me.name, self.me.holder, now, self._ttl)
                    await uow.commit()
            except Exception:
                log.exception("could not renew this process's presence")

    async def leave(self) -> None:
        if not self._joined:
            return
        self._joined = False
        try:
            async with self._uow_factory() as uow:
                await uow.leases.release(self.me.name, self.me.holder)
                await uow.commit()
        except Exception:
            log.exception("could not clear this process's presence")
