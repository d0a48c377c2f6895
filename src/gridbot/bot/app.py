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
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import BotCommand, BotCommandScopeDefault

from gridbot.bot.commands import commands_of
from gridbot.bot.config import Settings
from gridbot.bot.middlewares import RequestContextMiddleware
from gridbot.bot.templating import Renderer
from gridbot.domain.people import CommandGroup
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
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(settings.redis_url)
    return MemoryStorage()


def build_dispatcher(
    settings: Settings,
    *,
    uow_factory: UowFactory,
    clock: Clock | None = None,
    renderer: Renderer | None = None,
    storage: BaseStorage | None = None,
) -> Dispatcher:
    dispatcher = Dispatcher(storage=storage or build_storage(settings))
    dispatcher.update.outer_middleware(
        RequestContextMiddleware(
            uow_factory=uow_factory,
            clock=clock or SystemClock(),
            settings=settings,
            renderer=renderer or Renderer(),
        )
    )
    dispatcher.include_router(build_root_router())
    return dispatcher


async def set_command_menus(bot: Bot, renderer: Renderer) -> None:
    """The residents' command menu, in every locale and as the default for other languages.

    Per-person menus (staff roles) are set per chat when roles change. A Bot API that does not
    implement setMyCommands must not stop the bot, so failures are logged and ignored.
    """
    translator = renderer.translator
    for language_code in (None, *translator.locales):
        locale = language_code or translator.default_locale
        commands = [
            BotCommand(command=c.command, description=translator.gettext(locale, c.description))
            for c in commands_of(CommandGroup.RESIDENT)
        ]
        try:
            await bot.set_my_commands(
                commands, scope=BotCommandScopeDefault(), language_code=language_code
            )
        except Exception as error:
            logger.warning("setMyCommands (%s) failed, menu left as is: %s", locale, error)
            return
