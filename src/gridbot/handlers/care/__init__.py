"""Care visits (走访) in chat: /care (a grid's care persons, or one's own), the grid
leader's register (add, another worker or interval, remove), recording a visit and what it
raises. Private chats only: a care person is never shown in a group. Every tap is a
request: the use case checks that the actor may see or act on that person."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter

from gridbot.handlers.care import adding, board, manage, steps, visits
from gridbot.handlers.care.states import AddCare, CareChange, ChangeCare, NewCare, VisitDraft
from gridbot.handlers.care.states import VisitSteps as V
from gridbot.handlers.common.answers import not_text
from gridbot.handlers.common.callbacks import CareCallback, CareListCallback, CareStepCallback
from gridbot.handlers.common.conversation import Holds

PRIVATE = F.chat.type == ChatType.PRIVATE
TYPED = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")
TEXT_STEPS = (AddCare.name, AddCare.address, AddCare.phone, V.note, V.text)
BUTTON_STEPS = (AddCare.category, AddCare.interval, AddCare.worker, *ChangeCare.__states__)
BUTTON_STEPS += (V.outcome, V.photo, V.after, V.category)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.message.register(board.cmd_care, Command("care"), F.from_user)
    _person_actions(router)
    _adding(router)
    _visits(router)
    tap, state = CareStepCallback.filter, StateFilter
    router.callback_query.register(
        steps.on_cancel, state(*TEXT_STEPS, *BUTTON_STEPS), tap(F.step == "cancel")
    )
    router.callback_query.register(steps.on_stale, tap())
    router.message.register(not_text, state(*TEXT_STEPS), NOT_COMMAND)
    router.message.register(steps.use_buttons, state(*BUTTON_STEPS), NOT_COMMAND)
    return router


def _person_actions(router: Router) -> None:
    on, listed = CareCallback.filter, CareListCallback.filter
    router.callback_query.register(board.on_list, listed(F.action == "list"))
    router.callback_query.register(adding.on_add, listed(F.action == "add"))
    router.callback_query.register(board.on_open, on(F.action == "open"))
    router.callback_query.register(visits.on_visit, on(F.action == "visit"))
    router.callback_query.register(manage.on_change_worker, on(F.action == "worker"))
    router.callback_query.register(manage.on_change_interval, on(F.action == "interval"))
    router.callback_query.register(manage.on_remove, on(F.action == "remove"))
    router.callback_query.register(manage.on_removed, on(F.action == "removed"))
    change = Holds(CareChange)
    tap = CareStepCallback.filter
    router.callback_query.register(
        manage.on_worker_chosen, ChangeCare.worker, tap(F.step == "to"), change
    )
    router.callback_query.register(
        manage.on_interval_chosen, ChangeCare.interval, tap(F.step == "every"), change
    )


def _adding(router: Router) -> None:
    new, tap = Holds(NewCare), CareStepCallback.filter
    router.message.register(adding.on_name, AddCare.name, TYPED, new)
    router.callback_query.register(adding.on_category, AddCare.category, tap(F.step == "cat"), new)
    router.callback_query.register(
        adding.on_interval, AddCare.interval, tap(F.step == "every"), new
    )
    router.callback_query.register(adding.on_worker, AddCare.worker, tap(F.step == "to"), new)
    router.message.register(adding.on_address, AddCare.address, TYPED, new)
    router.callback_query.register(
        adding.on_skip_address, AddCare.address, tap(F.step == "skip"), new
    )
    router.message.register(adding.on_phone, AddCare.phone, TYPED, new)
    router.callback_query.register(adding.on_skip_phone, AddCare.phone, tap(F.step == "skip"), new)


def _visits(router: Router) -> None:
    draft, tap = Holds(VisitDraft), CareStepCallback.filter
    router.callback_query.register(visits.on_outcome, V.outcome, tap(F.step == "outcome"), draft)
    router.message.register(visits.on_note, V.note, TYPED, draft)
    router.callback_query.register(visits.on_skip_note, V.note, tap(F.step == "skip"), draft)
    router.message.register(visits.on_photo, V.photo, F.photo, draft)
    router.callback_query.register(visits.on_skip_photo, V.photo, tap(F.step == "skip"), draft)
    router.callback_query.register(visits.on_raise, V.after, tap(F.step == "raise"), draft)
    router.callback_query.register(visits.on_done, V.after, tap(F.step == "done"))
    router.callback_query.register(
        visits.on_raise_category, V.category, tap(F.step == "rcat"), draft
    )
    router.message.register(visits.on_raise_text, V.text, TYPED, draft)
