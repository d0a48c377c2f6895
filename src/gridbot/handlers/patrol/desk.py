"""/patrol (巡查): start and end a patrol of one's grid, and report a hazard found on the
way (巡查上报): category → what it is → a photo (or Skip) → fixed on the spot (现场整改)?
→ recorded. The end of a patrol shows how many hazards were reported and fixed."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.errors import ValidationFailed
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import PatrolCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.patrol import keyboards as kb
from gridbot.handlers.patrol.steps import Hazard, HazardSteps, ask_photo
from gridbot.services.context import Actor, Context
from gridbot.services.patrol import (
    EndPatrol,
    OpenDesk,
    StartPatrol,
    end_patrol,
    patrol_desk,
    report_hazard,
    start_patrol,
)


async def cmd_patrol(
    message: Message, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> None:
    desk = await patrol_desk(OpenDesk(actor), ctx)
    text = render("patrol/desk.html.j2", desk=desk, tz=ctx.tz)
    await message.answer(text, reply_markup=kb.desk(desk.patrol is not None, t))


async def on_start(
    query: CallbackQuery, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> None:
    patrol = await start_patrol(StartPatrol(actor), ctx)
    await query.answer(t("Patrol started"))
    text = render("patrol/started.html.j2", patrol=patrol, tz=ctx.tz)
    await edit_or_answer(query, text, kb.desk(True, t))


async def on_end(
    query: CallbackQuery, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> None:
    patrol = await end_patrol(EndPatrol(actor), ctx)
    await query.answer(t("Patrol ended"))
    await edit_or_answer(query, render("patrol/ended.html.j2", patrol=patrol, tz=ctx.tz))


async def on_report_hazard(
    query: CallbackQuery,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    locale: str,
    t: Translate,
) -> None:
    desk = await patrol_desk(OpenDesk(actor), ctx)
    await conversation.begin(state, Hazard(on_patrol=desk.patrol is not None), HazardSteps.category)
    await query.answer()
    keyboard = kb.categories(desk.categories, locale, t)
    await edit_or_answer(query, render("patrol/choose_category.html.j2", desk=desk), keyboard)


async def on_fixed(
    query: CallbackQuery,
    callback_data: PatrolCallback,
    draft: Hazard,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    fixed = callback_data.value == "1"
    try:
        case = await report_hazard(draft.report(actor, fixed), ctx)
    except ValidationFailed as refused:
        if refused.details.get("code") != "evidence_required":
            await state.clear()
            raise
        await query.answer()
        await ask_photo(query, state, render, t, evidence=True)
        return
    await state.clear()
    await query.answer(t("Hazard recorded"))
    text = render("patrol/reported.html.j2", case=case, fixed=fixed, tz=ctx.tz)
    await edit_or_answer(query, text, kb.desk(draft.on_patrol, t))
