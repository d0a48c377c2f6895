"""/patrol (巡查): start and end a patrol of one's grid, and report a hazard found on the
way (巡查上报): category → what it is → a photo (or Skip) → fixed on the spot (现场整改)?
→ recorded. The end of a patrol shows how many hazards were reported and fixed."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.patrol import end_patrol, report_patrol_hazard, start_patrol
from gridbot.domain.patrol_views import patrol_desk
from gridbot.handlers import patrol_keyboards as kb
from gridbot.handlers.callbacks import PatrolCallback
from gridbot.handlers.patrol_steps import (
    Hazard,
    HazardSteps,
    ask_photo,
    build_steps_router,
    edit_or_answer,
    hazard_of,
    keep,
)
from gridbot.handlers.types import Render, Services, Translate, UowFactory

PRIVATE = F.chat.type == ChatType.PRIVATE
tap = PatrolCallback.filter


async def cmd_patrol(message: Message, services: Services, render: Render, t: Translate) -> None:
    assert message.from_user is not None
    async with services.uow_factory() as uow:
        desk = await patrol_desk(uow, message.from_user.id)
    text = render("patrol/desk.html.j2", desk=desk, tz=services.tz)
    await message.answer(text, reply_markup=kb.desk(desk.patrol is not None, t))


async def on_start(query: CallbackQuery, services: Services, render: Render, t: Translate) -> None:
    async with services.uow_factory() as uow:
        patrol = await start_patrol(uow, services.clock, query.from_user.id)
        await uow.commit()
    await query.answer(t("Patrol started"))
    text = render("patrol/started.html.j2", patrol=patrol, tz=services.tz)
    await edit_or_answer(query, text, kb.desk(True, t))


async def on_end(query: CallbackQuery, services: Services, render: Render, t: Translate) -> None:
    async with services.uow_factory() as uow:
        patrol = await end_patrol(uow, services.clock, query.from_user.id)
        await uow.commit()
    await query.answer(t("Patrol ended"))
    await edit_or_answer(query, render("patrol/ended.html.j2", patrol=patrol, tz=services.tz))


async def on_report_hazard(
    query: CallbackQuery,
    state: FSMContext,
    uow_factory: UowFactory,
    render: Render,
    locale: str,
    t: Translate,
) -> None:
    async with uow_factory() as uow:
        desk = await patrol_desk(uow, query.from_user.id)
    await state.set_data({})
    await keep(state, Hazard(on_patrol=desk.patrol is not None), HazardSteps.category)
    await query.answer()
    keyboard = kb.categories(desk.categories, locale, t)
    await edit_or_answer(query, render("patrol/choose_category.html.j2", desk=desk), keyboard)


async def on_fixed(
    query: CallbackQuery,
    callback_data: PatrolCallback,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    hazard, fixed = await hazard_of(state), callback_data.value == "1"
    try:
        async with services.uow_factory() as uow:
            case = await report_patrol_hazard(
                uow,
                services.clock,
                services.notifier,
                services.tz,
                query.from_user.id,
                **hazard.use_case_args(fixed),
            )
            await uow.commit()
    except ValidationFailed as refused:
        if refused.details.get("code") != "evidence_required":
            await state.clear()
            raise
        await query.answer()
        await ask_photo(query, state, render, t, evidence=True)
        return
    await state.clear()
    await query.answer(t("Hazard recorded"))
    text = render("patrol/reported.html.j2", case=case, fixed=fixed, tz=services.tz)
    await edit_or_answer(query, text, kb.desk(hazard.on_patrol, t))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_patrol, PRIVATE, Command("patrol"), F.from_user)
    router.callback_query.register(on_start, tap(F.action == "start"))
    router.callback_query.register(on_end, tap(F.action == "end"))
    router.callback_query.register(on_report_hazard, tap(F.action == "hazard"))
    router.callback_query.register(on_fixed, HazardSteps.fixed, tap(F.action == "fixed"))
    router.include_router(build_steps_router())
    return router
