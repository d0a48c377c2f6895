"""/export [period] [unit] and /chart [period] [unit]: the file made, sent as a document
or a photo, with "sending a file" shown meanwhile; an upload Telegram refuses is said
plainly and logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramEntityTooLarge
from aiogram.filters import CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.chat_action import ChatActionSender

from gridbot.handlers.common.period_unit import period_and_unit
from gridbot.handlers.common.types import Render
from gridbot.services.context import Actor, Context
from gridbot.services.exports import (
    ChartOf,
    ExportOf,
    MadeFile,
    export_workbook,
    unit_chart,
)

logger = logging.getLogger(__name__)

# "Sending a file" shows only once the work takes this long: a refusal answers at once.
ACTION_AFTER = 0.3  # seconds


async def cmd_export(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    locale: str,
    bot: Bot,
) -> None:
    period, unit = period_and_unit(actor, command.args)
    await _make_and_send(
        message, bot, render, WORKBOOK, export_workbook(ExportOf(actor, period, unit, locale), ctx)
    )


async def cmd_chart(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    locale: str,
    bot: Bot,
) -> None:
    period, unit = period_and_unit(actor, command.args)
    await _make_and_send(
        message, bot, render, CHART, unit_chart(ChartOf(actor, period, unit, locale), ctx)
    )


@dataclass(frozen=True)
class _Kind:
    """How a made file travels: the chat action meanwhile, its caption, the upload."""

    action: Callable[..., ChatActionSender]
    template: str
    upload: Callable[[Message, BufferedInputFile, str], Awaitable[Message]]


WORKBOOK = _Kind(
    ChatActionSender.upload_document,
    "exports/workbook.html.j2",
    lambda message, file, caption: message.answer_document(file, caption=caption),
)
CHART = _Kind(
    ChatActionSender.upload_photo,
    "exports/chart.html.j2",
    lambda message, file, caption: message.answer_photo(file, caption=caption),
)


async def _make_and_send(
    message: Message, bot: Bot, render: Render, kind: _Kind, making: Awaitable[MadeFile]
) -> None:
    async with kind.action(bot=bot, chat_id=message.chat.id, initial_sleep=ACTION_AFTER):
        made = await making
        caption = render(kind.template, made=made)
        upload = kind.upload(message, BufferedInputFile(made.content, made.file_name), caption)
        await _send(message, made, render, upload)


async def _send(
    message: Message, made: MadeFile, render: Render, upload: Awaitable[Message]
) -> None:
    try:
        await upload
    except (TelegramBadRequest, TelegramEntityTooLarge) as refused:
        logger.warning(
            "upload of %s (%d bytes) to chat %s refused: %s",
            made.file_name,
            len(made.content),
            message.chat.id,
            refused.message,
        )
        await message.answer(render("exports/refused.html.j2", made=made, size=len(made.content)))
