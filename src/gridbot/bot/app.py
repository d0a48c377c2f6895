"""The aiogram Bot and Dispatcher, and the service ``Context`` they hand to handlers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Protocol

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage

from gridbot.bot.config import Settings
from gridbot.bot.conversations import DatabaseStorage
from gridbot.bot.i18n import Translator
from gridbot.bot.json_session import JsonBodySession
from gridbot.bot.loop_filters import keep_filters_on_the_loop
from gridbot.bot.middlewares import RequestContextMiddleware
from gridbot.bot.responses import bind_bot_in_one_step, pin_response_models
from gridbot.bot.templating import Renderer
from gridbot.handlers import build_root_router
from gridbot.services.context import Context, Timing
from gridbot.services.notices import BotUsername, Notices
from gridbot.services.ports import Clock, UnitOfWork
from gridbot.storage.database import Database

logger = logging.getLogger(__name__)


class SystemClock:
    """The ``Clock`` port on the system's wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class Store(Protocol):
    """Where units of work come from (``gridbot.storage.Database``, or a test's fake)."""

    def uow(self) -> UnitOfWork:
        """A unit of work that writes."""
        ...

    def reader(self) -> UnitOfWork:
        """A unit of work that only reads."""
        ...


def build_context(
    settings: Settings,
    store: Store,
    *,
    clock: Clock | None = None,
    renderer: Renderer | None = None,
    bot_username: BotUsername = None,
) -> Context:
    """The service context of one bot process; ``bot_username`` (from getMe) builds the
    deep links of queued messages."""
    clock = clock or SystemClock()
    renderer = renderer or Renderer(Translator(settings.locale))
    notices = Notices(
        renderer, clock, settings.tz, bot_username=bot_username, quiet=settings.quiet_hours
    )
    timing = Timing(
        rating_reminder=timedelta(hours=settings.rating_remind_hours),
        rating_close=timedelta(hours=settings.rating_close_hours),
        brief_at=settings.brief_time,
        invite_valid=timedelta(days=settings.invite_days),
        digests=settings.digests,
    )
    return Context(store.uow, store.reader, clock, settings.tz, notices, timing=timing)


def build_bot(settings: Settings, *, session: BaseSession | None = None) -> Bot:
    """A Bot on ``TELEGRAM_API_BASE`` (Telegram, or the sandbox stand), HTML parse mode."""
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    if session is None:
        session = JsonBodySession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    pin_response_models()
    bind_bot_in_one_step()
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def build_storage(
    settings: Settings, store: Store | None = None, clock: Clock | None = None
) -> BaseStorage:
    """Conversation state: in Redis when REDIS_URL is set, else in the bot's own database
    (both survive a restart). Only a store that is not a database (a test's fake) keeps it
    in memory."""
    if settings.redis_url:
        return RedisStorage.from_url(settings.redis_url)
    if isinstance(store, Database):
        return DatabaseStorage(store, clock or SystemClock())
    return MemoryStorage()


def build_dispatcher(
    settings: Settings, ctx: Context, *, storage: BaseStorage | None = None
) -> Dispatcher:
    storage = storage or build_storage(settings)
    # One update at a time per chat and user: the photos of an album, or a double tap, must
    # not race on the same draft (in Redis, across processes too; in the database, with
    # the conversation held in memory for the update and written once at its end).
    isolation = (
        storage.create_isolation()
        if isinstance(storage, RedisStorage | DatabaseStorage)
        else SimpleEventIsolation()
    )
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation)
    renderer = ctx.notices.renderer
    assert isinstance(renderer, Renderer)
    dispatcher.update.outer_middleware(RequestContextMiddleware(ctx, renderer))
    # For answering in a language other than the request's (right after /lang).
    dispatcher["renderer"] = renderer
    dispatcher.include_router(build_root_router())
    keep_filters_on_the_loop(dispatcher)  # not one thread hop per filter tried
    return dispatcher
