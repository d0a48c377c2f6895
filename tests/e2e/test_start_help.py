"""/start, /help and the fallback, played through the sandbox stand against the real bot."""

from __future__ import annotations

from gridbot.domain.org import Role

from .harness import World


async def test_a_stranger_gets_the_chinese_welcome_and_is_not_registered(world: World) -> None:
    stranger = world.stranger(9001, "小明")
    chat = stranger.private_chat()

    await stranger.send("/start")

    text = await chat.wait_for(lambda t: "小明，您好！" in t)
    assert "发送 /help 查看全部命令。" in text
    assert "您的职责" not in text  # a stranger holds no role
    transcript = await chat.transcript()
    assert "小明: /start" in transcript
    assert "网格通: 小明，您好！" in transcript
    async with world.database.uow() as uow:
        assert await uow.people.by_telegram_id(9001) is None  # /start alone joins nothing


async def test_an_english_client_gets_the_welcome_in_english(world: World) -> None:
    visitor = world.stranger(9002, "Alice", language_code="en")

    await visitor.send("/start")

    text = await visitor.private_chat().wait_for(lambda t: "Alice" in t)
    assert text.startswith("Hello, Alice!")
    assert "Send /help to see all your commands." in text


async def test_a_resident_is_greeted_by_name_with_their_grid(world: World) -> None:
    resident = world.persona(2001)  # 李桂兰, 临月里3号楼

    await resident.send("/start")

    text = await resident.private_chat().wait_for(lambda t: "您好" in t)
    assert "李桂兰，您好！" in text
    assert "您所在的网格：临月里第一网格" in text


async def test_help_lists_worker_commands_for_a_grid_worker(world: World) -> None:
    worker = world.persona(1001)  # 张伟, grid worker of 临月里第一网格

    await worker.send("/help")

    text = await worker.private_chat().wait_for(lambda t: "命令列表" in t)
    for command in ("/report", "/my", "/tasks", "/patrol", "/visits", "/case"):
        assert command in text
    assert "/stats" not in text and "/bind" not in text
    message = await worker.private_chat().last_message()
    assert message is not None
    assert {"type": "bold", "offset": 0, "length": 4} in message["entities"]  # <b>命令列表</b>
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(1001)
        assert person is not None and person.id is not None
        roles = await uow.people.roles_of(person.id)
    assert [(r.role, r.unit_code) for r in roles] == [(Role.GRID_WORKER, "DL-WX-LY-01")]


async def test_help_lists_only_resident_commands_for_a_resident(world: World) -> None:
    resident = world.persona(2002)

    await resident.send("/help")

    text = await resident.private_chat().wait_for(lambda t: "命令列表" in t)
    for command in ("/start", "/report", "/wish", "/my", "/help", "/cancel", "/lang"):
        assert command in text
    for command in ("/tasks", "/patrol", "/stats", "/wishes", "/bind"):
        assert command not in text


async def test_an_unknown_command_gets_the_hint(world: World) -> None:
    resident = world.persona(2001)

    await resident.send("/fly 上天")

    text = await resident.private_chat().wait_for(lambda t: "/fly" in t)
    assert "没有 /fly 这个命令。" in text
    assert "发送 /help 查看我能做什么。" in text


async def test_a_sticker_gets_the_hint(world: World) -> None:
    resident = world.persona(2001)

    await resident.sticker("🐱")

    text = await resident.private_chat().wait_for(lambda t: "无法处理" in t)
    assert "这里无法处理这条消息。" in text
    assert "[sticker 🐱]" in await resident.private_chat().transcript()


async def test_commands_in_a_group_get_no_fallback_noise(world: World) -> None:
    resident = world.persona(2001)
    group = world.group("临月里3号楼群", members=[resident])

    await resident.send("/fly", chat=group)
    await world.settle()

    assert await group.bot_messages() == []
    assert "李桂兰: /fly" in await group.transcript()


async def test_every_answer_went_through_the_bot_api_once(world: World) -> None:
    resident = world.persona(2001)

    await resident.send("/start")
    await resident.send("/help")
    await world.settle()

    sent = await world.outbox(method="sendMessage")
    assert [int(call["params"]["chat_id"]) for call in sent] == [2001, 2001]
    assert len(await resident.private_chat().bot_messages()) == 2
