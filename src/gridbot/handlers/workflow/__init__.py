"""The case workflow of those who handle cases, in chat: the case card and its buttons
(accept/报到, progress, resolve, return, transfer, escalate, whistle, urge), /tasks and
/case <no>."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter

from gridbot.domain.case import ReturnReason
from gridbot.handlers.common.callbacks import CaseCallback, CaseStepCallback
from gridbot.handlers.common.conversation import Holds
from gridbot.handlers.workflow import at_once, moves, notes, tasks
from gridbot.handlers.workflow.at_once import AT_ONCE, NotAWish
from gridbot.handlers.workflow.steps import CaseNotes, CaseStep, CurrentCase

PRIVATE = F.chat.type == ChatType.PRIVATE
TEXT = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")
RETURN_REASONS = {reason.value for reason in ReturnReason}  # else stale: refused at the tap


def build_router() -> Router:
    router = Router(name=__name__)
    case, step, on_case = CaseCallback.filter, StateFilter, Holds(CaseStep)
    router.callback_query.register(
        at_once.on_card_action, case(F.action.in_(set(AT_ONCE))), NotAWish()
    )
    router.callback_query.register(at_once.on_open_card, case(F.action == "card"))
    # Progress and resolve: a note, then (to resolve) photos.
    router.callback_query.register(notes.on_progress_tap, case(F.action == "progress"))
    router.callback_query.register(notes.on_resolve_tap, case(F.action == "resolve"))
    router.message.register(notes.on_progress, step(CaseNotes.progress), TEXT, on_case)
    router.message.register(notes.on_progress, step(CaseNotes.progress), F.photo, on_case)
    router.message.register(notes.on_resolve_note, step(CaseNotes.resolve_note), TEXT, on_case)
    router.message.register(
        notes.on_resolve_note, step(CaseNotes.resolve_note), F.photo & F.caption, on_case
    )
    router.message.register(
        notes.on_resolve_photo, step(CaseNotes.resolve_photos), F.photo, on_case
    )
    router.callback_query.register(
        notes.on_resolve_done,
        step(CaseNotes.resolve_photos),
        CaseStepCallback.filter(F.step == "done"),
        CurrentCase(),
    )
    router.message.register(
        notes.on_not_understood,
        step(CaseNotes.progress, CaseNotes.resolve_note, CaseNotes.resolve_photos),
        NOT_COMMAND,
    )
    # Return, transfer, whistle: a choice first.
    router.callback_query.register(moves.on_return_tap, case(F.action == "reject"), NotAWish())
    router.callback_query.register(moves.on_transfer_tap, case(F.action == "transfer"))
    router.callback_query.register(moves.on_whistle_tap, case(F.action == "whistle"))
    router.callback_query.register(
        moves.on_return_reason,
        step(CaseNotes.return_reason),
        CaseStepCallback.filter((F.step == "why") & F.value.in_(RETURN_REASONS)),
        CurrentCase(),
    )
    router.message.register(
        moves.on_return_text, step(CaseNotes.return_number, CaseNotes.return_note), TEXT, on_case
    )
    router.callback_query.register(
        moves.on_return_skip,
        step(CaseNotes.return_note),
        CaseStepCallback.filter(F.step == "skip"),
        CurrentCase(),
    )
    router.callback_query.register(
        moves.on_chosen,
        step(CaseNotes.choosing),
        CaseStepCallback.filter(F.step.in_({"to", "dept"})),
        CurrentCase(),
    )
    router.callback_query.register(moves.on_cancel, CaseStepCallback.filter(F.step == "cancel"))
    router.callback_query.register(moves.on_stale_step, CaseStepCallback.filter())
    router.message.register(tasks.cmd_tasks, PRIVATE, Command("tasks"), F.from_user)
    router.message.register(tasks.cmd_case, PRIVATE, Command("case"), F.from_user)
    return router
