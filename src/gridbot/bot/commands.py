"""The chat commands of DESIGN.md, with their one-line descriptions: one table for /help and
for the command menus (setMyCommands)."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.bot.i18n import N_
from gridbot.domain.people import CommandGroup


@dataclass(frozen=True)
class ChatCommand:
    command: str  # without the slash
    group: CommandGroup
    description: str  # msgid
    args: str = ""  # shown after the command in /help, e.g. "<no>"


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
    ChatCommand("case", CommandGroup.WORKER, N_("Open a case by its number"), "<no>"),
    ChatCommand("wishes", CommandGroup.LEADER, N_("Micro-wishes waiting for approval")),
    ChatCommand("team", CommandGroup.LEADER, N_("The grid team and its load")),
    ChatCommand("stats", CommandGroup.SUPERVISOR, N_("Key figures of my units")),
    ChatCommand("overdue", CommandGroup.SUPERVISOR, N_("Overdue cases")),
    ChatCommand("rank", CommandGroup.SUPERVISOR, N_("Grid ranking")),
    ChatCommand("grid", CommandGroup.SUPERVISOR, N_("Figures of one grid"), "<code>"),
    ChatCommand("export", CommandGroup.SUPERVISOR, N_("Export cases as a spreadsheet")),
    ChatCommand("chart", CommandGroup.SUPERVISOR, N_("Figures as a chart")),
    ChatCommand("digest", CommandGroup.SUPERVISOR, N_("Publish the digest to residents")),
    ChatCommand("bind", CommandGroup.ADMIN, N_("Bind this group to a unit")),
    ChatCommand("unbind", CommandGroup.ADMIN, N_("Unbind this group")),
    ChatCommand("invite", CommandGroup.ADMIN, N_("Invite a staff member")),
)


def commands_of(group: CommandGroup) -> tuple[ChatCommand, ...]:
    return tuple(command for command in COMMANDS if command.group == group)
