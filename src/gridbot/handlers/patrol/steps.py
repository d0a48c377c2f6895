"""The steps of a hazard reported on patrol (巡查上报), kept in the conversation object
``Hazard``: category → text → photo (or Skip) → fixed on the spot? (the last step is in
``desk``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.texts import MAX_TEXT, check_text
from gridbot.handlers.common import conversation
from gridbot.handlers.common.answers import INVALID_TEXT, text_problem
from gridbot.handlers.common.callbacks import PatrolCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.patrol import keyboards as kb
from gridbot.services.context import Actor
from gridbot.services.patrol import ReportHazard


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

    def report(self, actor: Actor | None, fixed: bool) -> ReportHazard:
        return ReportHazard(
            actor,
            category_code=self.category,
            text=self.text,
            photos=tuple(self.photos),
            fixed_on_spot=fixed,
        )


async def on_category(
    query: CallbackQuery,
    callback_data: PatrolCallback,
    draft: Hazard,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    draft.category = callback_data.value
    await conversation.advance(state, draft, HazardSteps.text)
    await query.answer()
    await edit_or_answer(
        query, render("patrol/ask_text.html.j2", limit=MAX_TEXT), kb.cancel_only(t)
    )


async def on_text(
    message: Message, draft: Hazard, state: FSMContext, render: Render, t: Translate
) -> None:
    try:
        draft.text = check_text(message.text)
    except ValidationFailed as refused:
        await message.answer(render(INVALID_TEXT, **text_problem(refused)))
        return
    await conversation.advance(state, draft, HazardSteps.photo)
    await message.answer(
        render("patrol/ask_photo.html.j2", evidence=False), reply_markup=kb.photo(t)
    )


async def ask_photo(
    query: CallbackQuery, state: FSMContext, render: Render, t: Translate, *, evidence: bool
) -> None:
    """Back to the photo step; ``evidence``: a fix on the spot of this category needs one."""
    await state.set_state(HazardSteps.photo)
    text = render("patrol/ask_photo.html.j2", evidence=evidence)
    await edit_or_answer(query, text, kb.photo(t, can_skip=not evidence))


async def on_photo(
    message: Message, draft: Hazard, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.photo
    draft.photos = [*draft.photos, message.photo[-1].file_id][-1:]
    await conversation.advance(state, draft, HazardSteps.fixed)
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
