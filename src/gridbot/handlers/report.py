"""/report: where a report starts (private chat, a bound group, the r_ deep link), and what
every draft shares: /cancel, the Cancel button, stale buttons, a second start mid-draft.

This router composes both draft flows (the report steps and /wish), so that the expiry
middleware sees every draft and the stale-button catch-all comes after all their handlers.

In a group only a short answer with a deep-link button is posted, so no personal detail
lands there; the steps themselves (``report_steps``) run in the private chat.
"""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from gridbot.domain.cases import reporting_grid
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.ports import Clock
from gridbot.handlers import keyboards as kb
from gridbot.handlers import report_steps, wish
from gridbot.handlers.callbacks import DraftCallback
from gridbot.handlers.drafts import ActiveDraft, DraftExpiryMiddleware, start_draft
from gridbot.handlers.states import ReportFlow, WishFlow
from gridbot.handlers.types import Render, Translate, UowFactory

GROUP_PAYLOAD = re.compile(r"^r_(n?)(\d{1,20})$")
PRIVATE = F.chat.type == ChatType.PRIVATE
IN_GROUP = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})
MEMBER_STATUSES = {"creator", "administrator", "member", "restricted"}
IN_DRAFT = StateFilter(ReportFlow, WishFlow)


def group_payload(chat_id: int) -> str:
    """``r_n1001234`` for the group -1001234 (a start payload allows only [A-Za-z0-9_-])."""
    return f"r_n{-chat_id}" if chat_id < 0 else f"r_{chat_id}"


def group_of_payload(payload: str) -> int:
    match = GROUP_PAYLOAD.match(payload)
    if match is None:
        raise ValueError(payload)
    return -int(match[2]) if match[1] else int(match[2])


class MentionsBot(Filter):
    """The message names the bot: ``@<bot username>`` anywhere in the text."""

    async def __call__(self, message: Message, bot: Bot) -> bool:
        me = await bot.me()
        return bool(
            me.username and message.text and f"@{me.username}".lower() in message.text.lower()
        )


async def cmd_report(
    message: Message,
    state: FSMContext,
    uow_factory: UowFactory,
    clock: Clock,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    assert message.from_user is not None
    await begin_report(message, state, uow_factory, clock, render, t, locale, None)


async def cmd_report_from_group(
    message: Message,
    command: CommandObject,
    bot: Bot,
    state: FSMContext,
    uow_factory: UowFactory,
    clock: Clock,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    assert message.from_user is not None and command.args is not None
    chat_id = group_of_payload(command.args)
    member = await bot.get_chat_member(chat_id, message.from_user.id)
    if member.status not in MEMBER_STATUSES:
        raise PermissionDenied("not a member of the group", chat_id=chat_id)
    await begin_report(message, state, uow_factory, clock, render, t, locale, chat_id)


async def begin_report(
    message: Message,
    state: FSMContext,
    uow_factory: UowFactory,
    clock: Clock,
    render: Render,
    t: Translate,
    locale: str,
    source_chat_id: int | None,
) -> None:
    assert message.from_user is not None
    async with uow_factory() as uow:
        grid = await reporting_grid(uow, message.from_user.id, source_chat_id)
        categories = await uow.categories.list_active()
    draft = await start_draft(state, clock, "report", source_chat_id=source_chat_id)
    await state.set_state(ReportFlow.category)
    text = render(
        "report/choose_category.html.j2", grid=grid, from_group=source_chat_id is not None
    )
    await message.answer(text, reply_markup=kb.categories(draft.id, categories, locale, t))


async def on_group_report(
    message: Message, bot: Bot, uow_factory: UowFactory, render: Render, t: Translate
) -> None:
    async with uow_factory() as uow:
        binding = await uow.bindings.get(message.chat.id)
    if binding is None or not binding.active:
        await message.reply(render("report/group_not_bound.html.j2"))
        return
    me = await bot.me()
    url = f"https://t.me/{me.username}?start={group_payload(message.chat.id)}"
    text = render("report/group_continue.html.j2", grid=None)
    await message.reply(text, reply_markup=kb.continue_in_private(url, t))


async def on_busy(message: Message, render: Render) -> None:
    await message.answer(render("report/busy.html.j2"))


async def cmd_cancel(message: Message, state: FSMContext, render: Render) -> None:
    had_draft = await state.get_state() is not None
    await state.clear()
    await message.answer(
        render("report/cancelled.html.j2", had_draft=had_draft), reply_markup=ReplyKeyboardRemove()
    )


async def on_cancel_tap(query: CallbackQuery, state: FSMContext, render: Render) -> None:
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render("report/cancelled.html.j2", had_draft=True))


async def on_stale_tap(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This draft is no longer active."), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.outer_middleware(DraftExpiryMiddleware())
    router.callback_query.outer_middleware(DraftExpiryMiddleware())
    router.message.register(cmd_cancel, PRIVATE, Command("cancel"))
    start_group = CommandStart(deep_link=True, magic=F.args.regexp(GROUP_PAYLOAD.pattern))
    router.message.register(on_busy, PRIVATE, IN_DRAFT, Command("report", "wish"))
    router.message.register(on_busy, PRIVATE, IN_DRAFT, start_group)
    router.message.register(cmd_report, PRIVATE, Command("report"), F.from_user)
    router.message.register(cmd_report_from_group, PRIVATE, start_group, F.from_user)
    router.message.register(on_group_report, IN_GROUP, Command("report"))
    router.message.register(on_group_report, IN_GROUP, F.text, MentionsBot())
    router.callback_query.register(
        on_cancel_tap, IN_DRAFT, DraftCallback.filter(F.action == "cancel"), ActiveDraft()
    )
    stale = Router(name=f"{__name__}.stale")
    stale.callback_query.register(on_stale_tap, DraftCallback.filter())
    router.include_routers(report_steps.build_router(), wish.build_router(), stale)
    return router
