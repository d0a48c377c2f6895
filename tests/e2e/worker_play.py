"""Helpers for the handlers' side of the closed loop: open chats, read events and people."""

from __future__ import annotations

from gridbot.domain.case import Case, CaseEvent

from .flows import case_by_number
from .harness import Persona, World

WORKER = 1001  # 张伟, grid worker of 临月里第一网格 (DL-WX-LY-01)
GRID_LEADER = 1002  # 王芳, grid leader and branch secretary of 临月里第一网格
OTHER_WORKER = 1003  # 李娜, grid worker of 临月里第二网格
COMMUNITY_STAFF = 1017  # 林小红, community staff of 临月里社区
STREET_DISPATCHER = 1019  # 高峰, dispatcher of 万新街道
POLICE_LIAISON = 1020  # 罗斌, police liaison of 万新街道
SUPERVISOR = 1022  # 宋涛, supervisor of 万新街道
PARTY_MEMBER = 1013  # 马红, party member of 临月里第一网格
OTHER_RESIDENT = 2002  # 王建华, 临月里5号楼


async def open_chats(world: World, *telegram_ids: int) -> list[Persona]:
    """These people have started the bot, so it may write to them."""
    people = [world.persona(telegram_id) for telegram_id in telegram_ids]
    for person in people:
        await person.send("/start")
    await world.settle()
    return people


async def events_of(world: World, case: Case) -> list[CaseEvent]:
    assert case.id is not None
    async with world.database.uow() as uow:
        return list(await uow.cases.events(case.id))


async def actions_of(world: World, case: Case) -> list[str]:
    return [event.action for event in await events_of(world, case)]


async def person_id(world: World, telegram_id: int) -> int:
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
    assert person is not None and person.id is not None
    return person.id


async def fresh(world: World, case: Case) -> Case:
    return await case_by_number(world, case.number)
