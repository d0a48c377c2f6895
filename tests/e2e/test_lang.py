"""/lang through the stand: the choice is saved and the next answers follow it."""

from __future__ import annotations

from .harness import World


async def test_a_stranger_switches_to_english_and_the_next_answer_is_english(
    world: World,
) -> None:
    stranger = world.stranger(9011, "小明")
    chat = stranger.private_chat()

    await stranger.send("/lang")
    assert "请选择语言。" in await chat.wait_for(lambda t: "语言" in t)
    assert await chat.buttons() == ["中文", "English"]
    await stranger.tap("English")
    await chat.wait_for(lambda t: "From now on I will answer in English." in t)
    await stranger.send("/help")

    text = await chat.wait_for(lambda t: "Commands" in t)
    assert "/report — Report a problem or a hazard" in text
    await world.settle()
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(9011)
        assert person is not None and person.id is not None
        assert await uow.people.roles_of(person.id) == []
    assert person.language == "en"
    menus = await world.outbox(method="setMyCommands")
    [menu] = [c["params"] for c in menus if c["params"].get("scope", {}).get("chat_id") == 9011]
    assert {"command": "lang", "description": "Change the language"} in menu["commands"]


async def test_an_english_resident_switches_to_chinese(world: World) -> None:
    resident = world.persona(2006)  # 周小雨, language en
    chat = resident.private_chat()

    await resident.send("/lang")
    assert "Choose your language." in await chat.wait_for(lambda t: "language" in t)
    await resident.tap("中文")
    await chat.wait_for(lambda t: "以后我会用中文回复您。" in t)
    await resident.send("/start")

    assert "周小雨，您好！" in await chat.wait_for(lambda t: "您好" in t)
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(2006)
    assert person is not None and person.language == "zh"
