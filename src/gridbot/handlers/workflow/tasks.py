"""/tasks: my open cases, soonest deadline first, overdue marked, a button each opening the
card; /case <no>: the card and timeline of a case, for whoever may see it."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.errors import NotFound, ValidationFailed
from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.workflow.card import send_card
from gridbot.services.context import Actor, Context
from gridbot.services.workflow import MyTasks, OpenCard, TaskView, my_tasks, open_card

MOST_SHOWN = 30
PER_ROW = 2


def task_buttons(tasks: list[TaskView]) -> InlineKeyboardMarkup | None:
    buttons = [
        InlineKeyboardButton(
            text=f"{'⚠️ ' if task.overdue else ''}{task.case.number}",
            callback_data=CaseCallback(action="card", case_id=task.case.id).pack(),
        )
        for task in tasks
        if task.case.id is not None
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def cmd_tasks(message: Message, ctx: Context, actor: Actor | None, render: Render) -> None:
    tasks = await my_tasks(MyTasks(actor), ctx)
    shown = tasks[:MOST_SHOWN]
    text = render("worker/tasks.html.j2", tasks=shown, total=len(tasks), tz=ctx.tz)
    await message.answer(text, reply_markup=task_buttons(shown))


async def cmd_case(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    number = (command.args or "").strip()
    if not number:
        await message.answer(render("worker/case_usage.html.j2"))
        return
    try:
        card, view = await open_card(OpenCard(actor, number), ctx)
    except (NotFound, ValidationFailed) as refused:
        found = isinstance(refused, NotFound)
        await message.answer(render("worker/no_such_case.html.j2", number=number, valid=found))
        return
    await send_card(message, render, t, card, ctx.tz, view)
