"""Telegram's limits kept in Redis, for every process of the bot together.

Each window is a sorted set: one member per call, scored with the time its window starts;
it counts until that window passed. An answer rescores its call to the answer's time. In
the bot-wide window an admitted call is scored ``IN_FLIGHT_MS`` ahead, so that calls under
way count however long they take (a process that dies mid-call frees its places then).
A chat's window scores a call at its admission: a chat's calls leave one after another
from the one process holding the chat, so none can be under way beside it, and after a
crash the chat is free as soon as the dead process's claims lapsed. Admission checks the
chat's window and pause, then the bot-wide window and pause, and counts the call in both,
all in one script (one round trip, atomic between processes). Times are Redis's own
(``TIME``), so the processes' clocks need not agree.

``limits`` (the PyPI library) counts a call when it is admitted; Telegram counts it when
it arrives, which network jitter moves, so a window counted at admission can let one call
too many into Telegram's second. Hence these few lines of Lua instead.

When Redis cannot be reached, delivery waits (with growing pauses, logged) rather than
sending without limits; answers and pauses that cannot be recorded are logged and
dropped (the windows are then a little lenient until Redis is back).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gridbot.bot.send_limits import FloodWatch, Rates, Ticket
from gridbot.domain.messaging import ChatKind

log = logging.getLogger(__name__)

IN_FLIGHT_MS = 10_000  # a call's bot-wide place is held this long at most unanswered
# Added to every window: Redis's clock and Telegram's (here: the stand's) tick apart, and a
# call answered within a millisecond of its arrival must not free its place early.
MARGIN_US = 1_000

# Times in microseconds (exact in Lua's doubles for centuries to come).
# KEYS: chat window, chat pause, bot window, bot pause.
# ARGV: chat limit, chat window, bot limit, bot window, token, bot in-flight hold (µs).
# Returns {0, 0} (admitted), {1, µs} (the chat must wait) or {2, µs} (every chat must).
_ADMIT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local function wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count < limit then return 0 end
  local freeing = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  local held = tonumber(freeing[2])
  if held > now then return 20000 end  -- still in flight: its answer starts its window
  return math.max(1, held + window - now + 1)
end
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {1, paused * 1000} end
paused = redis.call('PTTL', KEYS[4])
if paused > 0 then return {2, paused * 1000} end
local w = wait(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
if w > 0 then return {1, w} end
w = wait(KEYS[3], tonumber(ARGV[3]), tonumber(ARGV[4]))
if w > 0 then return {2, w} end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000))
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[6]), ARGV[5])
redis.call('PEXPIRE', KEYS[3], math.ceil((tonumber(ARGV[4]) + tonumber(ARGV[6])) / 1000))
return {0, 0}
"""

# KEYS: chat window, bot window. ARGV: token, chat key's life, bot key's life (µs). The
# call is (re)scored in both, even if a slow answer outlived its place there.
_ANSWERED = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000))
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[3]) / 1000))
return 0
"""

# KEYS: a pause. ARGV: ms. A longer pause already running is kept.
_PAUSE = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[1]))
end
return 0
"""

# KEYS: old chat window, new chat window. The new chat inherits the old one's calls.
_MOVED = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[2], KEYS[1], 'AGGREGATE', 'MAX')
  redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
end
return 0
"""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _window_us(seconds: float) -> int:
    return max(1, round(seconds * 1_000_000)) + MARGIN_US


class RedisLimits:
    """``SendLimits`` shared by every process whose ``RedisLimits`` use the same Redis and
    bot id. Admission within this process is first come, first served across chats."""

    forgets_on_restart = False  # Redis remembers

    def __init__(
        self,
        redis: Redis,
        bot_id: int,
        worker_id: str,
        rates: Rates | None = None,
        *,
        in_flight_ms: int = IN_FLIGHT_MS,
    ) -> None:
        self.rates = rates or Rates()
        self._redis = redis
        self._prefix = f"gridbot:{{limits:{bot_id}}}"  # one hash slot for a script's keys
        self._worker_id = worker_id
        self._calls = itertools.count(1)
        self._in_flight_ms = in_flight_ms
        self._admit = redis.register_script(_ADMIT)
        self._answer = redis.register_script(_ANSWERED)
        self._pause = redis.register_script(_PAUSE)
        self._move = redis.register_script(_MOVED)
        self._admission = asyncio.Lock()
        self._floods = FloodWatch(self.rates.flood_chats)
        self._unreachable_since: float | None = None

    def _chat(self, chat_id: int) -> str:
        return f"{self._prefix}:chat:{chat_id}"

    @property
    def _bot(self) -> str:
        return f"{self._prefix}:bot"

    def _chat_window(self, kind: ChatKind) -> tuple[int, int]:
        if kind is ChatKind.PRIVATE:
            return 1, _window_us(self.rates.private_interval)
        return max(1, self.rates.group_per_minute), _window_us(self.rates.group_window)

    async def admit(self, chat_id: int, kind: ChatKind) -> Ticket:
        token = f"{self._worker_id}:{next(self._calls)}"
        chat_limit, chat_window = self._chat_window(kind)
        chat = self._chat(chat_id)
        keys = [chat, chat + ":pause", self._bot, self._bot + ":pause"]
        args = [
            chat_limit,
            chat_window,
            max(1, int(self.rates.global_rate)),
            _window_us(1.0),
            token,
            self._in_flight_ms * 1000,
        ]
        while True:
            async with self._admission:
                while True:
                    answer = await self._run(self._admit, keys, args)
                    if answer is None:  # Redis unreachable: wait, then ask again
                        continue
                    who, wait = int(answer[0]), int(answer[1]) / 1_000_000
                    if who == 0:
                        return Ticket(chat_id, token)
                    if who == 1:
                        break  # the chat's own wait holds up no other chat
                    await asyncio.sleep(wait)  # every chat waits: keep the turn
            await asyncio.sleep(wait)

    async def answered(self, ticket: Ticket) -> None:
        keys = [self._chat(ticket.chat_id), self._bot]
        longest = max(self.rates.private_interval, self.rates.group_window)
        args = [ticket.token, _window_us(longest), _window_us(1.0) + self._in_flight_ms * 1000]
        await self._once(self._answer, keys, args)

    async def flooded(self, chat_id: int, retry_after: float) -> None:
        if self._floods.bot_wide(chat_id, retry_after):
            log.warning("global flood control: pausing all chats for %ss", retry_after)
            await self._once(self._pause, [self._bot + ":pause"], [_ms(retry_after)])
        else:
            log.warning("chat %s flood control: pausing it for %ss", chat_id, retry_after)
            await self._once(self._pause, [self._chat(chat_id) + ":pause"], [_ms(retry_after)])

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        await self._once(self._move, [self._chat(old_chat_id), self._chat(new_chat_id)], [])

    def recall(self, sends: Sequence[tuple[int, float]]) -> None:
        """Nothing to do: the windows are in Redis."""

    def tidy(self) -> None:
        """Nothing to do: Redis expires idle windows."""

    async def _once(self, script: Any, keys: list[str], args: list[Any]) -> None:
        try:
            await script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            log.warning("send limits: Redis refused a record (%s); carrying on", exc)

    async def _run(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """The script's answer; None after a wait when Redis could not be reached."""
        try:
            answer = await script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            loop = asyncio.get_running_loop()
            if self._unreachable_since is None:
                self._unreachable_since = loop.time()
            waited = loop.time() - self._unreachable_since
            pause = min(30.0, 0.5 + waited / 2)
            log.warning("send limits: Redis unreachable (%s); delivery waits %.1fs", exc, pause)
            await asyncio.sleep(pause)
            return None
        if self._unreachable_since is not None:
            log.info("send limits: Redis reachable again")
            self._unreachable_since = None
        return answer
