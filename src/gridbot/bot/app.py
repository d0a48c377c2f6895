"""The aiogram Bot and Dispatcher, wired with gridbot's middlewares and routers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage

from gridbot.bot.config import Settings
from gridbot.bot.menus import CommandMenus, set_default_menus
from gridbot.bot.middlewares import RequestContextMiddleware
from gridbot.bot.notifier import BotUsername, OutboxNotifier
from gridbot.bot.templating import Renderer
from gridbot.domain.ports import Clock
from gridbot.handlers import build_root_router
from gridbot.handlers.types import UowFactory

logger = logging.getLogger(__name__)


class SystemClock:
    """The ``Clock`` port on the system's wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def build_bot(settings: Settings, *, session: BaseSession | None = None) -> Bot:
    """A Bot on ``TELEGRAM_API_BASE`` (Telegram, or the sandbox stand), HTML parse mode."""
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    if session is None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def build_storage(settings: Settings) -> BaseStorage:
    """Conversation state: in memory for one process, in Redis when REDIS_URL is set."""
    if settings.redis_url:
        return RedisStorage.from_url(settings.redis_url)
    return MemoryStorage()


def build_dispatcher(
    settings: Settings,
    *,
    uow_factory: UowFactory,
    clock: Clock | None = None,
    renderer: Renderer | None = None,
    storage: BaseStorage | None = None,
    bot_username: BotUsername = None,
) -> Dispatcher:
    """``bot_username`` (from getMe) builds the deep links of queued messages."""
    storage = storage or build_storage(settings)
    # One update at a time per chat and user: the photos of an album, or a double tap, must
    # not race on the same draft (in Redis, across processes too).
    isolation = (
        storage.create_isolation() if isinstance(storage, RedisStorage) else SimpleEventIsolation()
    )
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation)
    renderer = renderer or Renderer()
    clock = clock or SystemClock()
    notifier = OutboxNotifier(
        renderer, clock, default_locale=settings.locale, bot_username=bot_username
    )
    dispatcher.update.outer_middleware(
        RequestContextMiddleware(
            uow_factory=uow_factory,
            clock=clock,
            settings=settings,
            renderer=renderer,
            notifier=notifier,
        )
    )
    # Handler data for the joining and language flows: the menu publisher, and the renderer
    # for answering in a language other than the request's (right after /lang).
    dispatcher["menus"] = CommandMenus(renderer.translator)
    dispatcher["renderer"] = renderer
    dispatcher.include_router(build_root_router())
    return dispatcher


async def set_command_menus(bot: Bot, renderer: Renderer) -> None:
    """The default command menus (bot.menus): residents' commands in private chats, /report
    and /help in groups. Per-person menus are queued whenever a person's roles change. A Bot
    API that does not implement setMyCommands must not stop the bot: failures are logged."""
    await set_default_menus(bot, renderer.translator)
