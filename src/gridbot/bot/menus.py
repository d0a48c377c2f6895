"""Command menus: the defaults at start-up, and each person's own menu for their roles.

A person's menu is a ``setMyCommands`` scoped to their private chat, queued in the outbox in
the transaction that changed their roles or language; a failed call is only marked failed
there. The defaults are set directly at start-up and a failure is logged, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)

from gridbot.bot.commands import ChatCommand, commands_of
from gridbot.bot.i18n import Translator
from gridbot.domain.org import Person, RoleAssignment
from gridbot.domain.outbox import enqueue_call
from gridbot.domain.people import CommandGroup, command_groups
from gridbot.domain.ports import Clock, UnitOfWork

logger = logging.getLogger(__name__)

GROUP_COMMANDS = ("report", "help")  # what a group's menu offers everyone


def group_menu() -> tuple[ChatCommand, ...]:
    return tuple(c for c in commands_of(CommandGroup.RESIDENT) if c.command in GROUP_COMMANDS)


def commands_for(groups: Iterable[CommandGroup]) -> tuple[ChatCommand, ...]:
    return tuple(command for group in groups for command in commands_of(group))


class CommandMenus:
    """The ``MenuPublisher`` of ``gridbot.domain.membership``."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    def menu(self, commands: Iterable[ChatCommand], locale: str) -> list[dict[str, str]]:
        return [
            {"command": c.command, "description": self.translator.gettext(locale, c.description)}
            for c in commands
        ]

    async def publish(
        self, uow: UnitOfWork, clock: Clock, person: Person, roles: Sequence[RoleAssignment]
    ) -> None:
        if person.telegram_id is None:
            return
        locale = self.translator.choose_locale(person.language, None)
        params: dict[str, Any] = {
            "commands": self.menu(commands_for(command_groups(roles)), locale),
            "scope": {"type": "chat", "chat_id": person.telegram_id},
        }
        await enqueue_call(uow, clock, person.telegram_id, "setMyCommands", params)


async def set_default_menus(bot: Bot, translator: Translator) -> None:
    """Residents' commands in private chats (and as the default), /report /help in groups,
    in every locale and as the fallback for other languages."""
    menus = CommandMenus(translator)
    scopes = (
        (BotCommandScopeDefault(), commands_of(CommandGroup.RESIDENT)),
        (BotCommandScopeAllPrivateChats(), commands_of(CommandGroup.RESIDENT)),
        (BotCommandScopeAllGroupChats(), group_menu()),
    )
    for language_code in (None, *translator.locales):
        locale = language_code or translator.default_locale
        for scope, commands in scopes:
            menu = [BotCommand.model_validate(item) for item in menus.menu(commands, locale)]
            try:
                await bot.set_my_commands(menu, scope=scope, language_code=language_code)
            except Exception as error:
                logger.warning("setMyCommands (%s) failed, menu left as is: %s", locale, error)
                return
