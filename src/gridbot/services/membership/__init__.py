"""Membership: who is talking to the bot, joining a grid or building (link, picker, staff
invite), staff invitations made in the chat (/invite), and the language a person
chooses."""

from gridbot.services.membership.actors import identify, load_actor
from gridbot.services.membership.invites import (
    CreateInvite,
    InviteMade,
    PickInviteUnit,
    StartInvite,
    create_invite,
    invite_roles,
    pick_invite_unit,
)
from gridbot.services.membership.joining import (
    AcceptInvite,
    Invitation,
    JoinUnit,
    Membership,
    MoveToGrid,
    SetLanguage,
    TelegramUser,
    accept_invite,
    join_unit,
    move_to_grid,
    set_language,
)
from gridbot.services.membership.menus import RefreshMenu, refresh_menu
from gridbot.services.membership.people import PersonView, RoleView, describe_person
from gridbot.services.membership.picker import PickGrid, pick_step

__all__ = [
    "AcceptInvite",
    "CreateInvite",
    "Invitation",
    "InviteMade",
    "JoinUnit",
    "Membership",
    "MoveToGrid",
    "PersonView",
    "PickGrid",
    "PickInviteUnit",
    "RefreshMenu",
    "RoleView",
    "SetLanguage",
    "StartInvite",
    "TelegramUser",
    "accept_invite",
    "create_invite",
    "describe_person",
    "identify",
    "invite_roles",
    "join_unit",
    "load_actor",
    "move_to_grid",
    "pick_invite_unit",
    "pick_step",
    "refresh_menu",
    "set_language",
]
