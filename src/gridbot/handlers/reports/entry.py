"""/report: where a report starts (private chat, a bound group, the r_ deep link), and what
both drafts share: /cancel, the Cancel button, stale buttons, a second start mid-draft.

In a group only a short answer with a deep-link button is posted, so no personal detail
lands there; the steps themselves run in the private chat.
"""

from __future__ import annotations

import logging
import re

from aiogram import Bot, F
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import CommandObject, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from gridbot.domain.errors import PermissionDenied
from gridbot.domain.texts import MAX_REPORTS_PER_HOUR
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.reports import keyboards as kb
from gridbot.handlers.reports.drafts import start_draft
from gridbot.handlers.reports.states import ReportFlow, WishFlow
from gridbot.services.context import Actor, Context
from gridbot.services.groups import is_bound
from gridbot.services.reports import ReportsLeft, StartReport, reports_left, start_report

logger = logging.getLogger(__name__)
SUBMIT_STEPS = {ReportFlow.confirm.state, WishFlow.confirm.state}
GROUP_PAYLOAD = re.compile(r"^r_(n?)(\d{1,20})$")
PRIVATE = F.chat.type == ChatType.PRIVATE
IN_GROUP = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})
MEMBER_STATUSES = {"creator", "administrator", "member", "restricted"}


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
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    await begin_report(message, state, ctx, actor, render, t, locale, None)


async def cmd_report_from_group(
    message: Message,
    command: CommandObject,
    bot: Bot,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    assert message.from_user is not None and command.args is not None
    chat_id = group_of_payload(command.args)
    try:
        member = await bot.get_chat_member(chat_id, message.from_user.id)
    except TelegramAPIError as failed:
        # The bot was removed from the group, or the Bot API server lacks the method: the
        # report still goes on, as a private one, and the resident is told why.
        logger.info(
            "membership of user %s in chat %s not checked (%s): a private report",
            message.from_user.id,
            chat_id,
            type(failed).__name__,
        )
        await begin_report(message, state, ctx, actor, render, t, locale, None, unchecked=True)
        return
    if member.status not in MEMBER_STATUSES:
        raise PermissionDenied("not a member of the group", chat_id=chat_id)
    await begin_report(message, state, ctx, actor, render, t, locale, chat_id)


async def begin_report(
    message: Message,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
    source_chat_id: int | None,
    unchecked: bool = False,
) -> None:
    """The first step; ``unchecked``: started from a group's link whose membership could
    not be checked, so it goes on as a private report."""
    start = await start_report(StartReport(actor, source_chat_id), ctx)
    draft = await start_draft(
        state, ctx.clock.now(), "report", ReportFlow.category, source_chat_id=source_chat_id
    )
    text = render(
        "report/choose_category.html.j2",
        grid=start.grid,
        from_group=source_chat_id is not None,
        group_unchecked=unchecked,
    )
    await message.answer(text, reply_markup=kb.categories(draft.id, start.categories, locale, t))


async def on_group_report(
    message: Message, bot: Bot, ctx: Context, render: Render, t: Translate
) -> None:
    if not await is_bound(ctx, message.chat.id):
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


async def on_buttons_awaited(
    message: Message, state: FSMContext, ctx: Context, actor: Actor | None, render: Render
) -> None:
    """Words where a draft waits for a button (a category, public or not, Submit): never
    silence; at Submit, past the hourly limit, that the draft waits for a later tap."""
    at_submit = await state.get_state() in SUBMIT_STEPS
    limited = at_submit and await reports_left(ReportsLeft(actor), ctx) == 0
    await message.answer(
        render("report/use_buttons.html.j2", limited=limited, limit=MAX_REPORTS_PER_HOUR)
    )


async def on_stale_tap(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This draft is no longer active."), show_alert=True)
