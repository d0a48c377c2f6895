"""What the bot does on the stand, as it happens: the benchmark's clock and its only waiter.

The stand records every Bot API call in ``state.calls`` but tells nobody. The benchmark runs
the stand in its own process, so it adds one aiohttp middleware to the stand's app: after
each Bot API call has changed the world (a message stored, an edit applied) the middleware
stamps the new calls with ``time.perf_counter()`` and wakes every waiter. Waiters look at
the stand's state directly; nothing polls and nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.typedefs import Handler

from gridbot.sandbox.state import ApiCall, SandboxState

T = TypeVar("T")


class ReplyKind(Enum):
    MESSAGE = "message"  # a send* method: a new message in the chat
    EDIT = "edit"  # an editMessage* method
    ANSWER = "answer"  # answerCallbackQuery: the toast of a tap


@dataclass(frozen=True)
class Reply:
    """One visible thing the bot did in a chat, stamped when the stand had stored it."""

    kind: ReplyKind
    chat_id: int
    message_id: int | None
    text: str
    at: float  # time.perf_counter()


class BenchFailed(Exception):
    """The run cannot go on: a step timed out or the bot process stopped."""


class StandWatch:
    """Install before the stand starts (an aiohttp app freezes its middlewares then)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.polls = 0  # getUpdates requests that reached the stand
        self.calls = 0  # every other Bot API request (refused ones too)
        self._replies: dict[int, list[Reply]] = {}
        self._seen_calls = 0
        self._wake = asyncio.Event()
        self._failure: str | None = None

    def install(self, app: web.Application) -> None:
        @web.middleware
        async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
            method = request.match_info.get("method")
            if method is None:  # the person's side and the web chat: nobody waits on those
                return await handler(request)
            if method.lower() == "getupdates":
                self.polls += 1
                self._notify()
            else:
                self.calls += 1
            try:
                return await handler(request)
            finally:
                self._take_new_calls()

        app.middlewares.append(observe)

    def replies(self, chat_id: int) -> list[Reply]:
        return self._replies.setdefault(chat_id, [])

    def fail(self, reason: str) -> None:
        """Make every waiter give up now (the bot process has exited)."""
        self._failure = reason
        self._notify()

    async def until(self, check: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
        """``check()`` once it is not None, re-checked whenever the bot has done something."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            wake = self._wake  # taken before the check: a change during it still wakes us
            found = check()
            if found is not None:
                return found
            if self._failure is not None:
                raise BenchFailed(f"{self._failure} while waiting for {what}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise BenchFailed(f"timed out after {timeout:.0f} s waiting for {what}")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await wake.wait()

    def _take_new_calls(self) -> None:
        now = time.perf_counter()
        calls = self.state.calls
        for call in calls[self._seen_calls :]:
            reply = self._reply_of(call, now)
            if reply is not None:
                self.replies(reply.chat_id).append(reply)
        self._seen_calls = len(calls)
        self._notify()

    def _reply_of(self, call: ApiCall, at: float) -> Reply | None:
        method, params = call.method.lower(), call.params
        if not call.ok:
            return None
        if method == "answercallbackquery":
            record = self.state.callbacks.get(str(params.get("callback_query_id")))
            if record is None:
                return None
            return Reply(ReplyKind.ANSWER, record.chat_id, record.message_id, "", at)
        if method.startswith("send") and method != "sendchataction":
            message_id = call.result.get("message_id") if isinstance(call.result, dict) else None
            return Reply(ReplyKind.MESSAGE, int(params["chat_id"]), message_id, _text(params), at)
        if method.startswith("editmessage") and "chat_id" in params:
            message_id = int(params["message_id"])
            return Reply(ReplyKind.EDIT, int(params["chat_id"]), message_id, _text(params), at)
        return None

    def _notify(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()


def _text(params: dict[str, Any]) -> str:
    return str(params.get("text") or params.get("caption") or "")
