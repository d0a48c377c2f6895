"""Reports and micro-wishes of residents: the drafts in the private chat (report: category →
description → photos → location → public? → Submit; wish: what → photo → by when → public?
→ Submit), started by /report, /wish, a bound group's /report or mention, or the r_ link."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter

from gridbot.handlers.common.callbacks import DraftCallback
from gridbot.handlers.reports import entry, report_steps, wish_steps
from gridbot.handlers.reports.drafts import ActiveDraft, DraftExpiryMiddleware
from gridbot.handlers.reports.entry import GROUP_PAYLOAD, IN_GROUP, PRIVATE, MentionsBot
from gridbot.handlers.reports.states import ReportFlow, WishFlow

IN_DRAFT = StateFilter(ReportFlow, WishFlow)
AWAITING_BUTTONS = StateFilter(
    ReportFlow.category, ReportFlow.public, ReportFlow.confirm, WishFlow.public, WishFlow.confirm
)
NOT_COMMAND = ~F.text.startswith("/")


def build_router() -> Router:
    """Both draft flows under one router, so that the expiry middleware sees every draft and
    the stale-button catch-all comes after all their handlers."""
    router = Router(name=__name__)
    router.message.outer_middleware(DraftExpiryMiddleware())
    router.callback_query.outer_middleware(DraftExpiryMiddleware())
    router.message.register(entry.cmd_cancel, PRIVATE, Command("cancel"))
    start_group = CommandStart(deep_link=True, magic=F.args.regexp(GROUP_PAYLOAD.pattern))
    router.message.register(entry.on_busy, PRIVATE, IN_DRAFT, Command("report", "wish"))
    router.message.register(entry.on_busy, PRIVATE, IN_DRAFT, start_group)
    router.message.register(entry.cmd_report, PRIVATE, Command("report"), F.from_user)
    router.message.register(entry.cmd_report_from_group, PRIVATE, start_group, F.from_user)
    router.message.register(entry.on_group_report, IN_GROUP, Command("report"))
    router.message.register(entry.on_group_report, IN_GROUP, F.text, MentionsBot())
    router.callback_query.register(
        entry.on_cancel_tap, IN_DRAFT, DraftCallback.filter(F.action == "cancel"), ActiveDraft()
    )
    stale = Router(name=f"{__name__}.stale")
    stale.callback_query.register(entry.on_stale_tap, DraftCallback.filter())
    stale.message.register(entry.on_buttons_awaited, PRIVATE, AWAITING_BUTTONS, NOT_COMMAND)
    router.include_routers(report_steps.build_router(), wish_steps.build_router(), stale)
    return router
