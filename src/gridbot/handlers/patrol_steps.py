"""The steps of a hazard reported on patrol (巡查上报), kept in the conversation state:
category → text → photo (or Skip) → fixed on the spot? (the last step is in ``patrol``)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from gridbot.domain.cases import MAX_TEXT, check_text
from gridbot.domain.errors import ValidationFailed
from gridbot.handlers import patrol_keyboards as kb
from gridbot.handlers.callbacks import PatrolCallback
from gridbot.handlers.report_steps import text_problem
from gridbot.handlers.types import Render, Translate

logger = logging.getLogger(__name__)
TYPED = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")
tap = PatrolCallback.filter


class HazardSteps(StatesGroup):
    category = State()
    text = State()
    photo = State()
    fixed = State()


@dataclass
class Hazard:
    category: str = ""
    text: str = ""
    photos: list[str] = field(default_factory=list)
    on_patrol: bool = False  # begun during an open patrol (it counts there)

    def use_case_args(self, fixed: bool) -> dict[str, Any]:
        """The keyword arguments of ``report_patrol_hazard`` after the telegram id."""
        return {
            "category_code": self.category,
            "text": self.text,
            "photos": tuple(self.photos),
            "fixed_on_spot": fixed,
        }


async def hazard_of(state: FSMContext) -> Hazard:
    return Hazard(**(await state.get_data()).get("hazard", {}))


async def keep(state: FSMContext, hazard: Hazard, step: State) -> None:
    await state.update_data(hazard=asdict(hazard))
    await state.set_state(step)


async def edit_or_answer(
    query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Show ``text`` in place of the tapped message; an unchanged one is left as it is."""
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as refused:
        logger.info("patrol message kept: %s", refused.message)


async def on_category(
    query: CallbackQuery,
    callback_data: PatrolCallback,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    hazard = await hazard_of(state)
    hazard.category = callback_data.value
    await keep(state, hazard, HazardSteps.text)
    await query.answer()
    await edit_or_answer(
        query, render("patrol/ask_text.html.j2", limit=MAX_TEXT), kb.cancel_only(t)
    )


async def on_text(message: Message, state: FSMContext, render: Render, t: Translate) -> None:
    hazard = await hazard_of(state)
    try:
        hazard.text = check_text(message.text)
    except ValidationFailed as refused:
        await message.answer(render("report/invalid_text.html.j2", **text_problem(refused)))
        return
    await keep(state, hazard, HazardSteps.photo)
    await message.answer(
        render("patrol/ask_photo.html.j2", evidence=False), reply_markup=kb.photo(t)
    )


async def on_not_text(message: Message, render: Render) -> None:
    await message.answer(
        render("report/invalid_text.html.j2", code="not_text", limit=MAX_TEXT, length=0)
    )


async def ask_photo(
    query: CallbackQuery, state: FSMContext, render: Render, t: Translate, *, evidence: bool
) -> None:
    """Back to the photo step; ``evidence``: a fix on the spot of this category needs one."""
    await state.set_state(HazardSteps.photo)
    text = render("patrol/ask_photo.html.j2", evidence=evidence)
    await edit_or_answer(query, text, kb.photo(t, can_skip=not evidence))


async def on_photo(message: Message, state: FSMContext, render: Render, t: Translate) -> None:
    assert message.photo
    hazard = await hazard_of(state)
    hazard.photos = [*hazard.photos, message.photo[-1].file_id][-1:]
    await keep(state, hazard, HazardSteps.fixed)
    await message.answer(render("patrol/ask_fixed.html.j2", photos=True), reply_markup=kb.fixed(t))


async def on_skip_photo(
    query: CallbackQuery, state: FSMContext, render: Render, t: Translate
) -> None:
    await state.set_state(HazardSteps.fixed)
    await query.answer()
    await edit_or_answer(query, render("patrol/ask_fixed.html.j2", photos=False), kb.fixed(t))


async def on_not_photo(message: Message, render: Render, t: Translate) -> None:
    await message.answer(
        render("patrol/ask_photo.html.j2", evidence=False), reply_markup=kb.photo(t)
    )


async def on_cancel(query: CallbackQuery, state: FSMContext, render: Render) -> None:
    await state.clear()
    await query.answer()
    await edit_or_answer(query, render("patrol/cancelled.html.j2"))


async def on_stale(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This button is no longer active."), show_alert=True)


def build_steps_router() -> Router:
    """The hazard steps; its last handler answers any other patrol tap as stale."""
    router = Router(name=__name__)
    router.callback_query.register(on_category, HazardSteps.category, tap(F.action == "cat"))
    router.message.register(on_text, HazardSteps.text, TYPED)
    router.message.register(on_not_text, HazardSteps.text, NOT_COMMAND)
    router.message.register(on_photo, HazardSteps.photo, F.photo)
    router.callback_query.register(on_skip_photo, HazardSteps.photo, tap(F.action == "skip"))
    router.message.register(on_not_photo, HazardSteps.photo, NOT_COMMAND)
    steps = (HazardSteps.category, HazardSteps.text, HazardSteps.photo, HazardSteps.fixed)
    router.callback_query.register(on_cancel, StateFilter(*steps), tap(F.action == "cancel"))
    router.callback_query.register(on_stale, tap())
    return router
