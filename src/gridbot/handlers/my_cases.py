"""Following one's cases: /my (paged), a case's timeline (also ``/start c_<number>``), adding
information, withdrawing with a confirmation; "same problem here" taps are in ``affected``."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from gridbot.domain.case import Case
from gridbot.domain.case_notices import public_summary
from gridbot.domain.cases import add_info, case_view, my_cases, withdraw
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.org import Category
from gridbot.domain.ports import UnitOfWork
from gridbot.handlers import affected
from gridbot.handlers import keyboards as kb
from gridbot.handlers.callbacks import CaseCallback, PageCallback
from gridbot.handlers.report_steps import text_problem
from gridbot.handlers.states import CaseFlow
from gridbot.handlers.types import Render, Services, Translate, UowFactory

PAGE_SIZE = 8
MOST_LISTED = 200
PRIVATE = F.chat.type == ChatType.PRIVATE
CASE_PAYLOAD = r"^c_(\d{4}-\d{1,6})$"


async def cmd_my(message: Message, uow_factory: UowFactory, render: Render, t: Translate) -> None:
    assert message.from_user is not None
    text, keyboard = await case_page(message.from_user.id, 0, uow_factory, render, t)
    await message.answer(text, reply_markup=keyboard)


async def on_page(
    query: CallbackQuery,
    callback_data: PageCallback,
    uow_factory: UowFactory,
    render: Render,
    t: Translate,
) -> None:
    text, keyboard = await case_page(query.from_user.id, callback_data.page, uow_factory, render, t)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=keyboard)


async def case_page(
    telegram_id: int, page: int, uow_factory: UowFactory, render: Render, t: Translate
) -> tuple[str, InlineKeyboardMarkup | None]:
    async with uow_factory() as uow:
        cases = await my_cases(uow, telegram_id, limit=MOST_LISTED)
        categories = await categories_of(uow, cases)
    pages = max(1, -(-len(cases) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = cases[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    text = render("my/list.html.j2", cases=shown, categories=categories, page=page, pages=pages)
    return text, kb.case_list(shown, page, pages, t)


async def categories_of(uow: UnitOfWork, cases: Sequence[Case]) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for code in {case.category_code for case in cases}:
        if (category := await uow.categories.get(code)) is not None:
            found[code] = category
    return found


async def on_timeline(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    await answer_case(query, callback_data.case_id, services, render, t)
    if await state.get_state() == CaseFlow.add_info.state:
        await state.clear()


async def cmd_open_case(
    message: Message,
    command: CommandObject,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    assert command.args is not None
    await answer_case(message, command.args.removeprefix("c_"), services, render, t)


async def answer_case(
    event: Message | CallbackQuery,
    case_ref: int | str,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    async with services.uow_factory() as uow:
        view = await case_view(uow, event.from_user.id if event.from_user else 0, case_ref)
    assert view.case.id is not None
    can_add = view.is_reporter and CaseAction.ADD_INFO in view.actions
    can_withdraw = view.is_reporter and CaseAction.CANCEL in view.actions
    keyboard = kb.case_actions(view.case.id, can_add, can_withdraw, t)
    summary = public_summary(view.case.text)
    text = render("my/case.html.j2", view=view, tz=services.tz, summary=summary)
    target = event.message if isinstance(event, CallbackQuery) else event
    if isinstance(event, CallbackQuery):
        await event.answer()
    if isinstance(target, Message):
        await target.answer(text, reply_markup=keyboard)


async def on_add_info(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    await state.set_state(CaseFlow.add_info)
    await state.set_data({"case_id": callback_data.case_id})
    await query.answer()
    if isinstance(query.message, Message):
        text = render("my/ask_info.html.j2")
        await query.message.answer(text, reply_markup=kb.add_info_prompt(callback_data.case_id, t))


async def on_info(message: Message, state: FSMContext, services: Services, render: Render) -> None:
    assert message.from_user is not None
    case_id = int((await state.get_data())["case_id"])
    photos = (message.photo[-1].file_id,) if message.photo else ()
    note = message.text or message.caption or ""
    try:
        async with services.uow_factory() as uow:
            case = await add_info(
                uow, services.clock, services.notifier, message.from_user.id, case_id, note, photos
            )
            await uow.commit()
    except ValidationFailed as refused:
        await message.answer(render("report/invalid_text.html.j2", **text_problem(refused)))
        return
    await state.clear()
    await message.answer(render("my/info_added.html.j2", case=case))


async def on_not_info(message: Message, render: Render) -> None:
    await message.answer(render("my/ask_info.html.j2"))


async def on_withdraw(
    query: CallbackQuery, callback_data: CaseCallback, render: Render, t: Translate
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        text = render("my/confirm_withdraw.html.j2")
        await query.message.answer(
            text, reply_markup=kb.withdraw_confirmation(callback_data.case_id, t)
        )


async def on_withdraw_confirmed(
    query: CallbackQuery,
    callback_data: CaseCallback,
    services: Services,
    render: Render,
) -> None:
    async with services.uow_factory() as uow:
        case = await withdraw(
            uow, services.clock, services.notifier, query.from_user.id, callback_data.case_id
        )
        await uow.commit()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render("my/withdrawn.html.j2", case=case))


def build_router() -> Router:
    router = Router(name=__name__)
    case = CaseCallback.filter
    router.message.register(cmd_my, PRIVATE, Command("my"), F.from_user)
    start_case = CommandStart(deep_link=True, magic=F.args.regexp(CASE_PAYLOAD))
    router.message.register(cmd_open_case, PRIVATE, start_case, F.from_user)
    router.callback_query.register(on_page, PageCallback.filter(F.what == "my"))
    router.callback_query.register(on_timeline, case(F.action == "timeline"))
    router.callback_query.register(on_add_info, case(F.action == "add_info"))
    router.callback_query.register(on_withdraw, case(F.action == "withdraw"))
    router.callback_query.register(on_withdraw_confirmed, case(F.action == "withdraw_ok"))
    router.message.register(on_info, CaseFlow.add_info, F.text & ~F.text.startswith("/"))
    router.message.register(on_info, CaseFlow.add_info, F.photo)
    router.message.register(on_not_info, CaseFlow.add_info, ~F.text.startswith("/"))
    router.include_router(affected.build_router())
    return router
