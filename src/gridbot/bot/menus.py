"""The default command menus, set at start-up; a failure is logged, never raised.

Each person's own menu (a ``setMyCommands`` scoped to their private chat) is queued by the
notices in the transaction that changed their roles or language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)

from gridbot.bot.i18n import Translator
from gridbot.services.notices.commands import ChatCommand, CommandGroup, commands_of, group_menu

logger = logging.getLogger(__name__)


def menu(translator: Translator, commands: Iterable[ChatCommand], locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=c.command, description=translator.gettext(locale, c.description))
        for c in commands
    ]


async def set_default_menus(bot: Bot, translator: Translator) -> None:
    """Residents' commands in private chats (and as the default), /report /help in groups,
    in every locale and as the fallback for other languages."""
    scopes = (
        (BotCommandScopeDefault(), commands_of(CommandGroup.RESIDENT)),
        (BotCommandScopeAllPrivateChats(), commands_of(CommandGroup.RESIDENT)),
        (BotCommandScopeAllGroupChats(), group_menu()),
    )
    for language_code in (None, *translator.locales):
        locale = language_code or translator.default_locale
        for scope, commands in scopes:
            try:
                await bot.set_my_commands(
                    menu(translator, commands, locale), scope=scope, language_code=language_code
                )
            except Exception as error:
                logger.warning("setMyCommands (%s) failed, menu left as is: %s", locale, error)
                return
