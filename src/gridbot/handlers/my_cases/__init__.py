"""Following one's cases: /my, timelines (also ``/start c_<number>``), adding information,
withdrawing, and neighbours' "same problem here" taps under a group post."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandStart

from gridbot.handlers.common.callbacks import CaseCallback, PageCallback
from gridbot.handlers.common.conversation import Holds
from gridbot.handlers.my_cases import cases
from gridbot.handlers.my_cases.affected import on_affected
from gridbot.handlers.my_cases.cases import AddingInfo, CaseFlow

PRIVATE = F.chat.type == ChatType.PRIVATE
CASE_PAYLOAD = r"^c_(\d{4}-\d{1,6})$"
TYPED = F.text & ~F.text.startswith("/")


def build_router() -> Router:
    router = Router(name=__name__)
    case = CaseCallback.filter
    router.message.register(cases.cmd_my, PRIVATE, Command("my"), F.from_user)
    start_case = CommandStart(deep_link=True, magic=F.args.regexp(CASE_PAYLOAD))
    router.message.register(cases.cmd_open_case, PRIVATE, start_case, F.from_user)
    router.callback_query.register(cases.on_page, PageCallback.filter(F.what == "my"))
    router.callback_query.register(cases.on_timeline, case(F.action == "timeline"))
    router.callback_query.register(cases.on_add_info, case(F.action == "add_info"))
    router.callback_query.register(cases.on_withdraw, case(F.action == "withdraw"))
    router.callback_query.register(cases.on_withdraw_confirmed, case(F.action == "withdraw_ok"))
    adding = Holds(AddingInfo)
    router.message.register(cases.on_info, CaseFlow.add_info, TYPED, adding)
    router.message.register(cases.on_info, CaseFlow.add_info, F.photo, adding)
    router.message.register(cases.on_not_info, CaseFlow.add_info, ~F.text.startswith("/"))
    router.callback_query.register(on_affected, case(F.action == "affected"))
    return router
