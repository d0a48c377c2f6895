"""/tasks: my open cases, soonest deadline first, overdue marked, a button each opening the
card; /case <no>: the card and timeline of a case, for whoever may see it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.case_cards import open_card
from gridbot.domain.errors import NotFound, ValidationFailed
from gridbot.domain.workflow import TaskView, my_tasks
from gridbot.handlers.callbacks import CaseCallback
from gridbot.handlers.types import Render, Services, Translate
from gridbot.handlers.worker_cards import send_card

PRIVATE = F.chat.type == ChatType.PRIVATE
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


async def cmd_tasks(message: Message, services: Services, render: Render) -> None:
    assert message.from_user is not None
    async with services.uow_factory() as uow:
        tasks = await my_tasks(uow, services.clock, message.from_user.id)
    shown = tasks[:MOST_SHOWN]
    text = render("worker/tasks.html.j2", tasks=shown, total=len(tasks), tz=services.tz)
    await message.answer(text, reply_markup=task_buttons(shown))


async def cmd_case(
    message: Message,
    command: CommandObject,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    assert message.from_user is not None
    number = (command.args or "").strip()
    if not number:
        await message.answer(render("worker/case_usage.html.j2"))
        return
    try:
        async with services.uow_factory() as uow:
            card, view = await open_card(uow, message.from_user.id, number)
    except (NotFound, ValidationFailed) as refused:
        found = isinstance(refused, NotFound)
        await message.answer(render("worker/no_such_case.html.j2", number=number, valid=found))
        return
    await send_card(message, render, t, card, services.tz, view)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_tasks, PRIVATE, Command("tasks"), F.from_user)
    router.message.register(cmd_case, PRIVATE, Command("case"), F.from_user)
    return router
