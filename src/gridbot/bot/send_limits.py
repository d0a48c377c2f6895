"""Telegram's limits on sending, kept by one process (``LocalLimits``) or, through Redis,
by every process of the bot together (``bot/shared_limits.py``).

The outbox sender asks ``admit`` before each Bot API call and says ``answered`` when its
answer came; a 429 is reported with ``flooded``. Per chat: at least ``private_interval``
seconds between two calls to a private chat, at most ``group_per_minute`` calls to a group
in any ``group_window`` seconds. Bot-wide: about ``global_rate`` calls a second. A call
counts from its admission until its window passed after its answer: Telegram saw it
somewhere in between.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from aiolimiter import AsyncLimiter

from gridbot.domain.messaging import ChatKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rates:
    """Telegram's limits, as the sender keeps them."""

    global_rate: float = 30
    private_interval: float = 1.0
    group_per_minute: int = 20
    group_window: float = 60.0
    flood_chats: int = 2  # chats flooded within ``retry_after`` that make it bot-wide


@dataclass(frozen=True)
class Ticket:
    """One admitted call: handed back with ``answered``."""

    chat_id: int
    token: str = ""


class SendLimits(Protocol):
    rates: Rates
    # Whether the windows start empty at each start (the sender then fills them from the
    # deliveries the database recorded lately).
    forgets_on_restart: bool

    async def admit(self, chat_id: int, kind: ChatKind) -> Ticket:
        """Wait until a call to this chat may leave now; it is counted from here."""
        ...

    async def answered(self, ticket: Ticket) -> None:
        """The call's answer (or failure) arrived: its window starts now."""
        ...

    async def flooded(self, chat_id: int, retry_after: float) -> None:
        """A 429 for this chat: pause it, or every chat when several were refused."""
        ...

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: the new chat inherits the old one's window."""
        ...

    def recall(self, sends: Sequence[tuple[int, float]]) -> None:
        """Calls answered before this process started: (chat, seconds ago)."""
        ...

    def tidy(self) -> None:
        """Forget chats idle for longer than any window."""
        ...


class FloodWatch:
    """Which 429s mean the bot-wide limit: several chats refused within ``retry_after``."""

    def __init__(self, chats: int) -> None:
        self._chats = chats
        self._floods: deque[tuple[float, int]] = deque()

    def bot_wide(self, chat_id: int, retry_after: float) -> bool:
        now = time.monotonic()
        self._floods.append((now, chat_id))
        while self._floods and self._floods[0][0] < now - max(1.0, retry_after):
            self._floods.popleft()
        return len({chat for _, chat in self._floods}) >= self._chats


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


class LocalLimits:
    """The limits kept in this process's memory: right when it is the only sender.

    Per-chat limits are exact sliding windows (``ChatLimits``); the global rate is a leaky
    bucket with a capacity of a tenth of the rate (it absorbs late timer wake-ups, which a
    strict window would turn into lost throughput whenever the event loop is busy), under a
    strict window (``GlobalWindow``: never more than the rate in any second, as Telegram
    could have seen them). Admission is first come, first served across chats.
    """

    forgets_on_restart = True

    def __init__(self, rates: Rates | None = None) -> None:
        self.rates = rates = rates or Rates()
        burst = max(1, round(rates.global_rate / 10))
        self._bucket = AsyncLimiter(burst, burst / rates.global_rate)
        self._window = GlobalWindow(int(rates.global_rate))
        self._admission = asyncio.Lock()
        self.chats = ChatLimits(rates.private_interval, rates.group_per_minute, rates.group_window)
        self._global_ready = 0.0
        self._floods = FloodWatch(rates.flood_chats)

    async def admit(self, chat_id: int, kind: ChatKind) -> Ticket:
        # The chat's own limit first, outside the admission lock, so it holds up no one.
        while True:
            delay = self.chats.wait_time(chat_id, kind)
            if delay <= 0:
                break
            await asyncio.sleep(delay)
        async with self._admission:  # FIFO across chats
            while True:
                delay = self._global_ready - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                    continue
                await self._window.ready()
                await self._bucket.acquire()
                # A global flood may have started while this chat waited for the bucket.
                if self._global_ready <= time.monotonic():
                    self._window.start()  # nothing else is admitted until the call
                    return Ticket(chat_id)

    async def answered(self, ticket: Ticket) -> None:
        self.chats.record(ticket.chat_id)
        self._window.answered()

    async def flooded(self, chat_id: int, retry_after: float) -> None:
        self.chats.pause(chat_id, retry_after)
        if self._floods.bot_wide(chat_id, retry_after):
            self._global_ready = max(self._global_ready, time.monotonic() + retry_after)
            log.warning("global flood control: pausing all chats for %ss", retry_after)
        else:
            log.warning("chat %s flood control: pausing it for %ss", chat_id, retry_after)

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        self.chats.move(old_chat_id, new_chat_id)

    def recall(self, sends: Sequence[tuple[int, float]]) -> None:
        ticks = time.monotonic()
        for chat_id, ago in sends:
            self.chats.record(chat_id, ticks - ago)

    def tidy(self) -> None:
        self.chats.forget_idle()
