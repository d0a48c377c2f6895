"""/overdue [unit code]: the list; its paging buttons; 督办 on one of its cases."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.handlers.common.callbacks import OverdueCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.context import Actor, Context
from gridbot.services.overdue import (
    PAGE_SIZE,
    OverdueBoard,
    OverdueOf,
    UrgeOverdue,
    overdue_cases,
    urge_overdue,
)

URGES_PER_ROW = 2
TEMPLATE = "overdue/board.html.j2"


async def cmd_overdue(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    board = await overdue_cases(OverdueOf(actor, (command.args or "").strip() or None), ctx)
    await message.answer(_text(render, board), reply_markup=keyboard(board, t))


async def on_page(
    query: CallbackQuery,
    callback_data: OverdueCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    board = await overdue_cases(OverdueOf(actor, callback_data.unit, callback_data.page), ctx)
    await query.answer()
    await edit_or_answer(query, _text(render, board), keyboard(board, t))


async def on_urge(
    query: CallbackQuery,
    callback_data: OverdueCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    data = callback_data
    urged = await urge_overdue(UrgeOverdue(actor, data.case_id, data.unit, data.page), ctx)
    await query.answer(
        t("Case No. %(number)s urged: its holder has been told.", number=urged.case.number)
    )
    await edit_or_answer(query, _text(render, urged.board), keyboard(urged.board, t))


def _text(render: Render, board: OverdueBoard) -> str:
    return render(TEMPLATE, board=board, page_size=PAGE_SIZE)


def keyboard(board: OverdueBoard, t: Translate) -> InlineKeyboardMarkup | None:
    """A 督办 button for each case the reader may urge, then the paging buttons."""
    code = board.unit.code
    urges = [
        InlineKeyboardButton(
            text=t("Urge %(number)s", number=entry.case.number),
            callback_data=OverdueCallback(
                action="urge", unit=code, page=board.page, case_id=entry.case.id
            ).pack(),
        )
        for entry in board.entries
        if entry.may_urge and entry.case.id is not None
    ]
    rows = [urges[i : i + URGES_PER_ROW] for i in range(0, len(urges), URGES_PER_ROW)]
    paging = []
    if board.page > 0:
        data = OverdueCallback(action="page", unit=code, page=board.page - 1).pack()
        paging.append(InlineKeyboardButton(text=t("« Previous"), callback_data=data))
    if board.page + 1 < board.pages:
        data = OverdueCallback(action="page", unit=code, page=board.page + 1).pack()
        paging.append(InlineKeyboardButton(text=t("Next »"), callback_data=data))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
