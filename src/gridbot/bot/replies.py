"""Replies that tell the truth after a commit.

A handler calls its use case (which commits) and then answers the person: edits the card,
sends the result. When that Bot API call fails (Telegram down, 5xx, a timeout, 429), the
change is made all the same; the error handler must not say "please try again" (a second
tap would be refused, or worse, do it twice). So, within an update whose writing unit of
work has committed:

- a failed reply (send…, edit…) is written to the outbox, which delivers it with its
  retries, and ``ReplyQueued`` ends the handler; the error handler then says nothing;
- a failed ``answerCallbackQuery`` (the spinner on the button) is only logged: it cannot
  be sent later, and the reply says what happened.

Before any commit a failure stays what it was: nothing changed, "try again" is true.

The same watch marks the update handled in the inbox within the commit of its change
(``WatchedUnitOfWork``), so that a crash after the commit does not make the change twice.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, cast

import aiohttp
from aiogram import BaseMiddleware, Bot
from aiogram.client.default import Default
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from pydantic import BaseModel

from gridbot.bot.middlewares import Handler
from gridbot.domain.messaging import ChatKind, OutboxMessage
from gridbot.handlers.errors import ReplyQueued
from gridbot.services.ports import Clock, UnitOfWork
from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository

log = logging.getLogger(__name__)

# Failures that say nothing about the request itself: delivering it later may succeed.
PASSING = (
    TelegramNetworkError,
    TelegramServerError,
    TelegramRetryAfter,
    aiohttp.ClientError,
    TimeoutError,
)


@dataclass
class UpdateOutcome:
    """What became of the update being handled: a writing unit of work committed; the
    update was marked handled in the inbox within a commit (so no separate mark is due);
    it came through the inbox (``Inbox.handle``), so it has a row there to mark."""

    update_id: int | None = None
    committed: bool = False
    marked: bool = False
    inboxed: bool = False


_outcome: contextvars.ContextVar[UpdateOutcome | None] = contextvars.ContextVar(
    "gridbot_update_outcome", default=None
)


class CommitWatch(BaseMiddleware):
    """Outer middleware on updates: each update notes whether a writing unit of work of
    its handling has committed."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        update_id = event.update_id if isinstance(event, Update) else None
        outer = _outcome.get()
        if outer is not None and outer.update_id == update_id:
            return await handler(event, data)  # the inbox is watching this update already
        token = _outcome.set(UpdateOutcome(update_id))
        try:
            return await handler(event, data)
        finally:
            _outcome.reset(token)


def current_outcome() -> UpdateOutcome | None:
    """The outcome of the update this task is handling, if any."""
    return _outcome.get()


@contextmanager
def watching(update_id: int) -> Iterator[UpdateOutcome]:
    """Watch an update the inbox hands to the Dispatcher, from outside its middlewares (so
    that what runs after ``CommitWatch``, such as the conversation's write when aiogram
    releases its lock, still sees it)."""
    outcome = UpdateOutcome(update_id, inboxed=True)
    token = _outcome.set(outcome)
    try:
        yield outcome
    finally:
        _outcome.reset(token)


class WatchedUnitOfWork:
    """A writing unit of work whose commit is noted for the update being handled.

    On a database it also marks the update handled in the inbox, in the same transaction:
    a process killed right after the commit does not handle the update again at its next
    start (which would, for instance, submit a report twice). What the handler would have
    said after the commit is then not said; the outbox rows of the change are sent."""

    def __init__(self, inner: UnitOfWork, clock: Clock, *, inbox: bool) -> None:
        self._inner = inner
        self._clock = clock
        self._inbox = inbox

    async def __aenter__(self) -> Any:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self._inner.__aexit__(kind, error, trace)

    async def commit(self) -> None:
        outcome = _outcome.get()
        if outcome is not None and outcome.update_id is not None and self._inbox:
            inbox = SqlInboxRepository(self._inner.session)  # type: ignore[attr-defined]
            await inbox.mark_handled([outcome.update_id], self._clock.now())
            await self._inner.commit()
            outcome.committed = outcome.marked = True
            return
        await self._inner.commit()
        if outcome is not None:
            outcome.committed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class WatchedStore:
    """The bot's store for the service context: its writers note their commits."""

    def __init__(self, store: Any, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._inbox = isinstance(store, Database)

    def uow(self) -> Any:
        return WatchedUnitOfWork(self._store.uow(), self._clock, inbox=self._inbox)

    def reader(self) -> Any:
        return self._store.reader()


class QueueFailedReplies(BaseRequestMiddleware):
    """A Bot session middleware: after a commit, a reply that fails goes to the outbox."""

    def __init__(self, writer: Any, clock: Clock) -> None:
        self._writer = writer
        self._clock = clock

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except PASSING as error:
            outcome = _outcome.get()
            if outcome is None or not outcome.committed:
                raise
            if isinstance(method, AnswerCallbackQuery):
                log.info("a tap's answer failed after its change was made: %s", error)
                # The chain passes on the call's result (aiogram types it as a Response).
                return cast(Response[TelegramType], True)
            params = params_of(method, bot)
            if not isinstance(params.get("chat_id"), int):
                raise
            await self._queue(method.__api_method__, params)
            log.info(
                "%s failed after a commit (%s); queued in the outbox", method.__api_method__, error
            )
            raise ReplyQueued(method.__api_method__) from error

    async def _queue(self, api_method: str, params: dict[str, Any]) -> None:
        chat_id = int(params["chat_id"])
        kind = ChatKind.PRIVATE if chat_id > 0 else ChatKind.GROUP
        message = OutboxMessage(chat_id, api_method, params, self._clock.now(), chat_kind=kind)
        async with self._writer() as uow:
            await uow.outbox.add(message)
            await uow.commit()


def params_of(method: TelegramMethod[Any], bot: Bot) -> dict[str, Any]:
    """The method's parameters as the outbox stores them (JSON), defaults resolved."""
    params: dict[str, Any] = {}
    for name, value in method:
        if isinstance(value, Default):
            value = bot.default[value.name]
        if value is None:
            continue
        if isinstance(value, BaseModel):
            value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
        params[name] = value
    return params
