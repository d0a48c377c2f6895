"""The grid's staff in chat: /team for grid leaders and branch secretaries (and /team
<grid code> for supervisors of the unit), /invite for administrators. Private chats only:
a team's phone numbers and an invitation link never go to a group."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter

from gridbot.handlers.common.callbacks import InviteCallback, TeamCallback
from gridbot.handlers.common.conversation import Holds
from gridbot.handlers.staff import invite, team
from gridbot.handlers.staff.states import InviteDraft, InviteFlow

PRIVATE = F.chat.type == ChatType.PRIVATE
NOT_COMMAND = ~F.text.startswith("/")


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.message.register(team.cmd_team, Command("team"))
    router.callback_query.register(team.on_grid, TeamCallback.filter())
    router.message.register(invite.cmd_invite, Command("invite"), F.from_user)
    tap, draft = InviteCallback.filter, Holds(InviteDraft)
    router.callback_query.register(invite.on_role, InviteFlow.role, tap(F.step == "role"), draft)
    router.callback_query.register(invite.on_open, InviteFlow.unit, tap(F.step == "open"), draft)
    router.callback_query.register(invite.on_unit, InviteFlow.unit, tap(F.step == "to"), draft)
    router.callback_query.register(
        invite.on_cancel, StateFilter(InviteFlow), tap(F.step == "cancel")
    )
    router.callback_query.register(invite.on_stale, tap())
    router.message.register(invite.use_buttons, StateFilter(InviteFlow), NOT_COMMAND)
    return router
