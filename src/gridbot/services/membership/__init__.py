"""Membership: who is talking to the bot, joining a grid or building (link, picker, staff
invite), and the language a person chooses."""

from gridbot.services.membership.actors import identify, load_actor
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
    "Invitation",
    "JoinUnit",
    "Membership",
    "MoveToGrid",
    "PersonView",
    "PickGrid",
    "RefreshMenu",
    "RoleView",
    "SetLanguage",
    "TelegramUser",
    "accept_invite",
    "describe_person",
    "identify",
    "join_unit",
    "load_actor",
    "move_to_grid",
    "pick_step",
    "refresh_menu",
    "set_language",
]
