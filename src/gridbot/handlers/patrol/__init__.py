"""/patrol (巡查): a worker's round of their grid and the hazards found on the way."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter

from gridbot.handlers.common.answers import not_text
from gridbot.handlers.common.callbacks import PatrolCallback
from gridbot.handlers.common.conversation import Holds
from gridbot.handlers.patrol import desk, steps
from gridbot.handlers.patrol.steps import Hazard, HazardSteps

PRIVATE = F.chat.type == ChatType.PRIVATE
TYPED = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")


def build_router() -> Router:
    """The desk and the hazard steps; the last handler answers any other patrol tap as
    stale."""
    router = Router(name=__name__)
    tap, hazard = PatrolCallback.filter, Holds(Hazard)
    router.message.register(desk.cmd_patrol, PRIVATE, Command("patrol"), F.from_user)
    router.callback_query.register(desk.on_start, tap(F.action == "start"))
    router.callback_query.register(desk.on_end, tap(F.action == "end"))
    router.callback_query.register(desk.on_report_hazard, tap(F.action == "hazard"))
    router.callback_query.register(
        desk.on_fixed, HazardSteps.fixed, tap(F.action == "fixed"), hazard
    )
    router.callback_query.register(
        steps.on_category, HazardSteps.category, tap(F.action == "cat"), hazard
    )
    router.message.register(steps.on_text, HazardSteps.text, TYPED, hazard)
    router.message.register(not_text, HazardSteps.text, NOT_COMMAND)
    router.message.register(steps.on_photo, HazardSteps.photo, F.photo, hazard)
    router.callback_query.register(steps.on_skip_photo, HazardSteps.photo, tap(F.action == "skip"))
    router.message.register(steps.on_not_photo, HazardSteps.photo, NOT_COMMAND)
    all_steps = (HazardSteps.category, HazardSteps.text, HazardSteps.photo, HazardSteps.fixed)
    router.callback_query.register(
        steps.on_cancel, StateFilter(*all_steps), tap(F.action == "cancel")
    )
    router.callback_query.register(steps.on_stale, tap())
    return router
