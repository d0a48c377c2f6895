"""The chat commands, with their one-line descriptions: one table for /help and for the
command menus (setMyCommands), and which of them each person gets for their roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gridbot.domain.org import Role, RoleAssignment
from gridbot.services.notices.keyboards import N_


class CommandGroup(StrEnum):
    """The chat command groups, in the order they are listed."""

    RESIDENT = "resident"
    WORKER = "worker"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Roles that handle cases get the worker commands (/tasks /patrol /visits /case /care).
_GROUPS_OF_ROLE: dict[Role, tuple[CommandGroup, ...]] = {
    Role.GRID_WORKER: (CommandGroup.WORKER,),
    Role.GRID_LEADER: (CommandGroup.WORKER, CommandGroup.LEADER),
    Role.BRANCH_SECRETARY: (CommandGroup.WORKER, CommandGroup.LEADER),
    Role.GRID_GUIDE: (CommandGroup.WORKER,),
    Role.COMMUNITY_STAFF: (CommandGroup.WORKER,),
    Role.DISPATCHER: (CommandGroup.WORKER,),
    Role.DEPARTMENT_LIAISON: (CommandGroup.WORKER,),
    Role.SUPERVISOR: (CommandGroup.SUPERVISOR,),
    Role.ADMIN: (CommandGroup.ADMIN,),
}
GROUP_COMMANDS = ("report", "help")  # what a group's menu offers everyone


@dataclass(frozen=True)
class ChatCommand:
    command: str  # without the slash
    group: CommandGroup
    description: str  # msgid
    args: str = ""  # msgid shown after the command in /help, e.g. N_("<no>")


# Only commands that have a handler: tests/e2e/test_menus.py sends every command of every
# role's menu through the dispatcher. A command joins this table with its handler.
COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand("start", CommandGroup.RESIDENT, N_("Welcome and what you can do")),
    ChatCommand("report", CommandGroup.RESIDENT, N_("Report a problem or a hazard")),
    ChatCommand("wish", CommandGroup.RESIDENT, N_("Post a micro-wish")),
    ChatCommand("my", CommandGroup.RESIDENT, N_("My reports and wishes")),
    ChatCommand("help", CommandGroup.RESIDENT, N_("What this bot can do for you")),
    ChatCommand("cancel", CommandGroup.RESIDENT, N_("Cancel what you are doing")),
    ChatCommand("lang", CommandGroup.RESIDENT, N_("Change the language")),
    ChatCommand("tasks", CommandGroup.WORKER, N_("Cases assigned to me")),
    ChatCommand("patrol", CommandGroup.WORKER, N_("Report a hazard found on patrol")),
    ChatCommand("visits", CommandGroup.WORKER, N_("Follow-up and care visits due")),
    ChatCommand("case", CommandGroup.WORKER, N_("Open a case by its number"), N_("<no>")),
    ChatCommand("care", CommandGroup.WORKER, N_("Care persons and their visits")),
    ChatCommand("wishes", CommandGroup.LEADER, N_("Micro-wishes waiting for approval")),
    ChatCommand("overdue", CommandGroup.LEADER, N_("Overdue cases of my grid, to urge")),
    ChatCommand("team", CommandGroup.LEADER, N_("My grid's team: load and reach")),
    ChatCommand("grid", CommandGroup.LEADER, N_("My grid's card: open cases, rates, trend")),
    ChatCommand(
        "stats",
        CommandGroup.SUPERVISOR,
        N_("Figures of your unit: cases, rates, overdue"),
        N_("[period] [unit]"),
    ),
    ChatCommand(
        "export",
        CommandGroup.SUPERVISOR,
        N_("Export the figures and cases of your unit (XLSX)"),
        N_("[period] [unit]"),
    ),
    ChatCommand(
        "chart",
        CommandGroup.SUPERVISOR,
        N_("A chart of your unit: cases per day and by category"),
        N_("[period] [unit]"),
    ),
    ChatCommand(
        "overdue", CommandGroup.SUPERVISOR, N_("Overdue cases of my units, to urge"), N_("[unit]")
    ),
    ChatCommand(
        "rank",
        CommandGroup.SUPERVISOR,
        N_("Grids (a community's workers) ranked by score"),
        N_("[period] [unit]"),
    ),
    ChatCommand(
        "grid",
        CommandGroup.SUPERVISOR,
        N_("One grid's card: team, open cases, rates"),
        N_("<code>"),
    ),
    ChatCommand(
        "digest",
        CommandGroup.SUPERVISOR,
        N_("Publish the digest to residents"),
        N_("[period] [unit]"),
    ),
    ChatCommand(
        "care", CommandGroup.SUPERVISOR, N_("The care persons of a grid of your unit"), N_("<grid>")
    ),
    ChatCommand(
        "team", CommandGroup.SUPERVISOR, N_("The team of a grid of your unit"), N_("<grid>")
    ),
    ChatCommand("bind", CommandGroup.ADMIN, N_("Bind this group to a unit")),
    ChatCommand("unbind", CommandGroup.ADMIN, N_("Unbind this group")),
    ChatCommand("invite", CommandGroup.ADMIN, N_("Invite a staff member to a unit")),
)


def commands_of(group: CommandGroup) -> tuple[ChatCommand, ...]:
    return tuple(command for command in COMMANDS if command.group == group)


def command_groups(roles: Iterable[RoleAssignment]) -> list[CommandGroup]:
    """The command groups a person may use: everyone has the resident commands. A group
    with no command (yet) is left out."""
    granted = {CommandGroup.RESIDENT}
    for assignment in roles:
        granted.update(_GROUPS_OF_ROLE.get(assignment.role, ()))
    return [group for group in CommandGroup if group in granted and commands_of(group)]


def commands_for(groups: Iterable[CommandGroup]) -> tuple[ChatCommand, ...]:
    """A menu: the groups' commands in order, each command once (the first group's entry)."""
    menu: dict[str, ChatCommand] = {}
    for group in groups:
        for command in commands_of(group):
            menu.setdefault(command.command, command)
    return tuple(menu.values())


def group_menu() -> tuple[ChatCommand, ...]:
    return tuple(c for c in commands_of(CommandGroup.RESIDENT) if c.command in GROUP_COMMANDS)
