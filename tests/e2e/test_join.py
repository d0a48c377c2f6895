"""Joining through the stand: join links, the grid picker, moving, staff invites."""

from __future__ import annotations

from typing import Any

from gridbot.domain.org import Role

from .harness import World

B03, GRID_1, GRID_2 = "DL-WX-LY-01-B03", "DL-WX-LY-01", "DL-WX-LY-02"


async def join_token(world: World, code: str) -> str:
    async with world.database.uow() as uow:
        unit = await uow.org.get_unit(code)
    assert unit is not None
    return unit.join_token


async def homes(world: World, telegram_id: int) -> list[str]:
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        roles = await uow.people.roles_of(person.id)
    return [r.unit_code for r in roles if r.role == Role.RESIDENT]


async def menus_for(world: World, telegram_id: int) -> list[dict[str, Any]]:
    calls = await world.outbox(method="setMyCommands")
    scope = {"type": "chat", "chat_id": telegram_id}
    return [c["params"] for c in calls if c["params"].get("scope") == scope]


async def test_a_join_link_binds_a_newcomer_to_the_building_and_sets_their_menu(
    world: World,
) -> None:
    newcomer = world.stranger(9001, "小明")

    await newcomer.send(f"/start j_{await join_token(world, B03)}")

    text = await newcomer.private_chat().wait_for(lambda t: "欢迎" in t)
    assert "欢迎！您已加入临月里第一网格。" in text
    assert "您所在的楼栋：临月里3号楼" in text and "您的网格员：张伟" in text
    assert "/report" in text and "/wish" in text and "/my" in text
    assert "13800001001" not in text  # the worker's name only, never a phone
    await world.settle()
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(9001)
    assert person is not None and (person.name, person.language) == ("小明", "zh")
    assert await homes(world, 9001) == [B03]
    [menu] = await menus_for(world, 9001)
    commands = {c["command"]: c["description"] for c in menu["commands"]}
    assert {"start", "report", "wish", "my", "help", "cancel", "lang"} <= set(commands)
    assert commands["lang"] == "切换语言"
    assert "tasks" not in commands


async def test_an_english_newcomer_joins_in_english(world: World) -> None:
    alice = world.stranger(9002, "Alice", language_code="en")

    await alice.send(f"/start j_{await join_token(world, GRID_2)}")

    text = await alice.private_chat().wait_for(lambda t: "Welcome" in t)
    assert "Welcome! You joined Linyueli Grid 2." in text
    assert "Your grid worker: 李娜" in text
    await world.settle()
    [menu] = await menus_for(world, 9002)
    assert {"command": "report", "description": "Report a problem or a hazard"} in menu["commands"]


async def test_an_unknown_join_link_is_refused_and_joins_nothing(world: World) -> None:
    newcomer = world.stranger(9003, "小红")

    await newcomer.send("/start j_not-a-token")

    text = await newcomer.private_chat().wait_for(lambda t: "链接无效" in t)
    assert "没有做任何更改" in text
    async with world.database.uow() as uow:
        assert await uow.people.by_telegram_id(9003) is None


async def test_a_newcomer_finds_their_grid_by_tapping_street_community_grid(
    world: World,
) -> None:
    newcomer = world.stranger(9004, "小刚")
    chat = newcomer.private_chat()

    await newcomer.send("/start")
    await newcomer.tap("找到我的网格")
    await chat.wait_for(lambda t: "您住在哪个街道？" in t)
    # Each screen replaces the last in the same message, and "« 返回" is on two of them:
    # wait for each before the next tap.
    await newcomer.tap("万新街道")
    await chat.wait_for(lambda t: "请选择社区" in t)
    await newcomer.tap("临月里社区")
    await chat.wait_for(lambda t: "请选择网格" in t)
    await newcomer.tap("« 返回")
    await chat.wait_for(lambda t: "请选择社区" in t)
    await newcomer.tap("临月里社区")
    await chat.wait_for(lambda t: "请选择网格" in t)
    await newcomer.tap("临月里第二网格")
    await chat.wait_for(lambda t: "加入临月里第二网格？" in t)
    await newcomer.tap("加入这个网格")

    text = await chat.wait_for(lambda t: "您已加入" in t)
    assert "欢迎！您已加入临月里第二网格。" in text
    assert await homes(world, 9004) == [GRID_2]


async def test_a_resident_moves_to_another_grid_after_confirming(world: World) -> None:
    resident = world.persona(2001)  # 李桂兰, 临月里3号楼
    chat = resident.private_chat()

    await resident.send("/start")
    await resident.tap("更换网格")
    await resident.tap("万新街道")
    await resident.tap("詹滨里社区")
    await resident.tap("詹滨里第一网格")
    await chat.wait_for(lambda t: "从临月里第一网格更换到詹滨里第一网格？" in t)
    await resident.tap("更换到这个网格")

    text = await chat.wait_for(lambda t: "您已从" in t)
    assert "您已从临月里第一网格更换到詹滨里第一网格。" in text
    assert await homes(world, 2001) == ["DL-WX-ZB-01"]
    await world.settle()
    assert len(await menus_for(world, 2001)) == 1


async def invite_code(world: World) -> str:
    async with world.database.uow() as uow:
        [person] = await uow.people.named("许文")
    assert person.invite_code is not None
    return person.invite_code


async def test_a_staff_invite_is_accepted_once_and_refused_for_another_account(
    world: World,
) -> None:
    code = await invite_code(world)
    xu, intruder = world.stranger(9005, "文"), world.stranger(9006, "某人")

    await xu.send(f"/start inv_{code}")
    text = await xu.private_chat().wait_for(lambda t: "欢迎加入网格团队" in t)
    assert "许文，欢迎加入网格团队！" in text and "专职网格员 · 詹滨里第一网格" in text
    await intruder.send(f"/start inv_{code}")
    refused = await intruder.private_chat().wait_for(lambda t: "另一个 Telegram 账号" in t)

    assert "没有做任何更改" in refused
    await world.settle()
    async with world.database.uow() as uow:
        [person] = await uow.people.named("许文")
        assert await uow.people.by_telegram_id(9006) is None
    assert person.telegram_id == 9005
    [menu] = await menus_for(world, 9005)
    assert "tasks" in {c["command"] for c in menu["commands"]}
