"""Start-up calls to the Bot API, tried until they succeed: a bot must outlive a network
blip (or a Telegram outage) at start-up as it does while polling (bot/inbox.py).

One warning per failed attempt names the Bot API address; the waits between attempts
double from ``FIRST_WAIT`` up to ``LONGEST_WAIT``, each with some jitter so that several
processes do not knock in step. A rejected token (401) is not a blip: it ends the start at
once. SIGINT/SIGTERM (``stop``) end the waiting at once too.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from aiogram.exceptions import TelegramUnauthorizedError

from gridbot.bot.problems import StartupProblem

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")
FIRST_WAIT, LONGEST_WAIT = 1.0, 60.0  # seconds
JITTER = 0.2  # each wait is up to this share longer or shorter


class StoppedWhileStarting(Exception):
    """``stop`` was set while the Bot API was still out of reach: nothing started."""


def ends_when_stopped_while_starting(
    run: Callable[P, Coroutine[Any, Any, None]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """For ``run_bot`` and ``run_webhook``: run until stop; a stop that came before the Bot
    API answered is a stop like any other."""

    @functools.wraps(run)
    async def running(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await run(*args, **kwargs)
        except StoppedWhileStarting:
            log.info("stopped before the Bot API answered")

    return running


def wait_before(attempt: int, *, spread: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, …)."""
    steady = min(LONGEST_WAIT, FIRST_WAIT * 2.0 ** min(attempt - 1, 16))
    return min(LONGEST_WAIT, steady * spread(1 - JITTER, 1 + JITTER))


async def until_answered(
    call: Callable[[], Awaitable[T]], method: str, api_base: str, stop: asyncio.Event
) -> T:
    """``await call()`` until it succeeds; ``method`` names it in the log. Raises
    ``StartupProblem`` when the Bot API rejects the token, ``StoppedWhileStarting`` when
    ``stop`` is set first."""
    attempt = 0
    while True:
        attempt += 1
        try:
            result = await _unless_stopped(call(), stop)
        except TelegramUnauthorizedError:
            raise StartupProblem(
                f"BOT_TOKEN: the Bot API at {api_base} rejected it (401 Unauthorized); "
                "copy the token again from @BotFather"
            ) from None
        except (StoppedWhileStarting, asyncio.CancelledError):
            raise
        except Exception as error:
            wait = wait_before(attempt)
            reason = " ".join(str(error).split()) or type(error).__name__
            log.warning(
                "Bot API at %s not reachable: %s failed (%s); attempt %s, next in %.1f s",
                api_base, method, reason, attempt, wait,
            )  # fmt: skip
            await _unless_stopped(asyncio.sleep(wait), stop)
            continue
        if attempt > 1:
            log.info("Bot API at %s reached: %s answered at attempt %s", api_base, method, attempt)
        return result


async def _unless_stopped(work: Awaitable[T], stop: asyncio.Event) -> T:
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise StoppedWhileStarting
    return task.result()
