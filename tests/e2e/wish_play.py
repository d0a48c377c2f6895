"""Helpers for the micro-wish and patrol tests: post a wish in chat, forge a tap, read rows.

People of examples/demo-org.yaml on 临月里第一网格: 2001 李桂兰 (resident, 3号楼), 1002
王芳 (grid leader and branch secretary), helpers 1013 马红 (party member), 1015 胡婷
(service specialist), 1016 郭志刚 (building leader of 3号楼, party member, resident).
"""

from __future__ import annotations

from typing import Any

from gridbot.domain.case import Case, CaseEvent
from gridbot.sandbox.sim import tap

from .flows import case_by_number, cases_of
from .harness import Persona, World

SECRETARY = 1002
PARTY_MEMBER = 1013
SPECIALIST = 1015
BUILDING_LEADER = 1016
OTHER_GRID_LEADER = 1004  # 刘洋, 临月里第二网格


async def post_wish(world: World, resident: Persona, text: str) -> Case:
    """The Chinese /wish flow in the private chat: no photo, no date, not public."""
    chat = resident.private_chat()
    await resident.send("/wish")
    await chat.wait_for(lambda t: "您有什么心愿" in t)
    await resident.send(text)
    await resident.tap("跳过")
    await resident.tap("不限时间")
    await resident.tap("不公开：仅本人和网格团队可见")
    await resident.tap("提交")
    await chat.wait_for(lambda t: "微心愿已登记" in t)
    wish = (await cases_of(world, resident.user_id))[0]
    assert wish.text == text
    return wish


async def forge(world: World, persona: Persona, data: str) -> str:
    """A tap with made-up callback data (as a modified client could send), on the latest
    bot message of the persona's private chat; returns the callback query id."""
    state = world.state
    user = state.ensure_user(persona.user_id, first_name=persona.first_name)
    chat = state.private_chat(user)
    stored = next(m for m in reversed(chat.messages.values()) if m.from_bot)
    return str(tap(state, user, chat, stored, data)["callback_query_id"])


async def answer_to(world: World, callback_query_id: str) -> dict[str, Any]:
    """How the bot answered a tap; it must have answered it."""
    await world.settle()
    answer = await world.get(f"/sim/callback/{callback_query_id}")
    assert answer["answered"], answer
    return dict(answer["answer"])


async def snapshot(world: World, wish: Case) -> tuple[Case, list[CaseEvent]]:
    """The wish and its events: what a refused tap must leave alone."""
    current = await case_by_number(world, wish.number)
    async with world.database.uow() as uow:
        assert current.id is not None
        events = list(await uow.cases.events(current.id))
    return current, events


async def points(world: World, telegram_id: int) -> int:
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return await uow.care.points_of(person.id)
