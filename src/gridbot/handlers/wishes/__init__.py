"""Micro-wishes on their cards (approve, reject, claim, fulfil, confirm) and /wishes."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.conversation import Holds
from gridbot.handlers.wishes import actions
from gridbot.handlers.wishes.actions import AT_ONCE, OnWish
from gridbot.handlers.wishes.cards import WishCard, WishSteps

PRIVATE = F.chat.type == ChatType.PRIVATE
TYPED = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")


def build_router() -> Router:
    router = Router(name=__name__)
    case, on_card = CaseCallback.filter, Holds(WishCard)
    router.message.register(actions.cmd_wishes, PRIVATE, Command("wishes"), F.from_user)
    router.callback_query.register(actions.on_wish_tap, case(F.action.in_(AT_ONCE)))
    router.callback_query.register(actions.on_fulfil, case(F.action == "fulfil"))
    router.callback_query.register(actions.on_reject, case(F.action == "reject"), OnWish())
    router.message.register(actions.on_reason, WishSteps.reason, TYPED, on_card)
    router.message.register(actions.on_not_reason, WishSteps.reason, NOT_COMMAND, on_card)
    router.message.register(actions.on_fulfilment, WishSteps.fulfilment, TYPED, on_card)
    router.message.register(actions.on_fulfilment, WishSteps.fulfilment, F.photo, on_card)
    router.message.register(actions.on_not_fulfilment, WishSteps.fulfilment, NOT_COMMAND, on_card)
    return router
