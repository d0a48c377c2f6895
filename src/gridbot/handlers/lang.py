"""/lang: choose 中文 or English. The choice is saved on the Person (see
``services.membership.set_language``), so every later answer and the command menu follow it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.errors import ValidationFailed
from gridbot.handlers.common.answers import telegram_user
from gridbot.handlers.common.callbacks import LanguageCallback
from gridbot.handlers.common.types import LocaleRenderer, Render, Translate
from gridbot.services.context import Context
from gridbot.services.membership import SetLanguage, set_language

LANGUAGES = ("zh", "en")


def language_keyboard(t: Translate) -> InlineKeyboardMarkup:
    names = {"zh": t("中文"), "en": t("English")}
    buttons = [
        InlineKeyboardButton(text=names[code], callback_data=LanguageCallback(locale=code).pack())
        for code in LANGUAGES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def cmd_lang(message: Message, render: Render, t: Translate, locale: str) -> None:
    await message.answer(
        render("lang/choose.html.j2", current=locale), reply_markup=language_keyboard(t)
    )


async def on_language(
    query: CallbackQuery,
    callback_data: LanguageCallback,
    ctx: Context,
    renderer: LocaleRenderer,
    locale: str,
) -> None:
    chosen = callback_data.locale
    if chosen not in LANGUAGES:
        raise ValidationFailed("unknown language", locale=chosen[:8])
    await set_language(SetLanguage(telegram_user(query.from_user, locale), chosen), ctx)
    if isinstance(query.message, Message):
        await query.message.edit_text(renderer.render("lang/switched.html.j2", chosen))
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.message.register(cmd_lang, Command("lang"))
    router.callback_query.register(on_language, LanguageCallback.filter())
    return router
