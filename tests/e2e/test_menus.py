"""Offer only what works: for every role, the menu the bot sets for a person holding it
(their own once they open the bot, else the default one) lists exactly what /help lists,
and every command in it, sent through the stand to the real dispatcher, gets an answer that
is not the unknown-command hint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from gridbot.domain.org import Role, RoleAssignment
from gridbot.services.notices.commands import command_groups, commands_for

from .harness import World

DEMO_ORG = Path(__file__).parents[2] / "examples" / "demo-org.yaml"
UNHANDLED = "这里无法处理这条消息"  # what a message nothing handled gets
ROLES_WITHOUT_COMMANDS_OF_THEIR_OWN = {
    # These roles act through buttons on what they are sent (a wish to claim, a group's
    # case), so they have the residents' menu.
    Role.RESIDENT,
    Role.PARTY_MEMBER,
    Role.SERVICE_SPECIALIST,
    Role.BUILDING_LEADER,
}


def holders() -> dict[Role, tuple[int, list[RoleAssignment]]]:
    """For every role, the first person of the demo org holding it: their Telegram id and
    all their roles."""
    people = yaml.safe_load(DEMO_ORG.read_text(encoding="utf-8"))["people"]
    found: dict[Role, tuple[int, list[RoleAssignment]]] = {}
    for person in people:
        if "telegram_id" not in person:
            continue
        roles = [RoleAssignment(0, Role(r["role"]), r["unit"]) for r in person.get("roles", [])]
        for assignment in roles:
            found.setdefault(assignment.role, (int(person["telegram_id"]), roles))
    return found


def test_the_demo_org_has_someone_in_every_role() -> None:
    assert set(holders()) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_every_command_in_the_menu_of_a_role_answers(world: World, role: Role) -> None:
    telegram_id, roles = holders()[role]
    person = world.persona(telegram_id)
    chat = person.private_chat()
    await person.send("/start")
    await chat.wait_for(lambda t: "/help" in t)
    await world.settle()
    # The menu the person sees: their own (set by the bot for staff), else the default one.
    commands = world.state.commands
    shown = commands.get((f"chat:{telegram_id}", "")) or commands[("all_private_chats", "")]
    menu = [c["command"] for c in shown]
    assert menu == [c.command for c in commands_for(command_groups(roles))]
    assert {"start", "help", "report", "my", "cancel", "lang"} <= set(menu)
    if role not in ROLES_WITHOUT_COMMANDS_OF_THEIR_OWN:
        assert len(menu) > 7, f"{role} gets nothing of its own: {menu}"

    await person.send("/help")
    listed = await chat.wait_for(lambda t: "/help" in t)
    assert set(re.findall(r"^/([a-z_]+)", listed, flags=re.MULTILINE)) == set(menu)

    for command in menu:
        await person.send(f"/{command}")
        answer = await chat.wait_for(lambda t: bool(t), timeout=10)
        unknown = f"没有 /{command} 这个命令"
        assert unknown not in answer and UNHANDLED not in answer, f"/{command}, {role}: {answer}"
        await person.send("/cancel")  # leave whatever conversation it began
        await chat.wait_for(lambda t: bool(t), timeout=10)
