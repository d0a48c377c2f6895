"""/digest [period] [unit] shows the preview; 发布 under it publishes it."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.handlers.common.callbacks import DigestCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.period_unit import period_and_unit
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.context import Actor, Context
from gridbot.services.digests import (
    DigestOf,
    DigestPreview,
    PublishDigest,
    preview_digest,
    publish_digest,
)


def digest_request(actor: Actor | None, args: str | None) -> DigestOf:
    """``/digest [period] [unit]``, in either order: a word that is a unit's code is the
    unit, the rest the period (refused with the forms it may take when it is none)."""
    period, unit = period_and_unit(actor, args)
    return DigestOf(actor, period, unit)


async def cmd_digest(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    shown = await preview_digest(digest_request(actor, command.args), ctx)
    text = render("digest/preview.html.j2", preview=shown, tz=ctx.tz)
    await message.answer(text, reply_markup=publish_keyboard(shown, t))


async def on_publish(
    query: CallbackQuery,
    callback_data: DigestCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    request = PublishDigest(actor, callback_data.unit, callback_data.period, callback_data.at)
    published = await publish_digest(request, ctx)
    await query.answer(t("Published."))
    await edit_or_answer(query, render("digest/published.html.j2", published=published, tz=ctx.tz))


def publish_keyboard(shown: DigestPreview, t: Translate) -> InlineKeyboardMarkup | None:
    """发布, when there is a group to publish to."""
    draft = shown.draft
    if not draft.groups or draft.unit.id is None:
        return None
    data = DigestCallback(unit=draft.unit.id, period=draft.period.label, at=shown.stamp)
    button = InlineKeyboardButton(text=t("Publish"), callback_data=data.pack())
    return InlineKeyboardMarkup(inline_keyboard=[[button]])
