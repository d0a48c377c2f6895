"""Groups through the stand: the bot added and removed, binding, migration, newcomers."""

from __future__ import annotations

from gridbot.domain.binding import BindingKind, ChatBinding

from .harness import Group, Persona, World

B03 = "DL-WX-LY-01-B03"


async def add_bot(world: World, group: Group, by: Persona) -> None:
    body = {"chat_id": group.chat_id, "user_id": world.state.bot.id, "from_user_id": by.user_id}
    await world.post("/sim/join", body)


async def binding_of(world: World, chat_id: int) -> ChatBinding | None:
    async with world.database.uow() as uow:
        return await uow.bindings.get(chat_id)


async def test_a_group_that_adds_the_bot_is_told_how_to_bind_it(world: World) -> None:
    worker = world.persona(1001)
    group = world.group("临月里3号楼群", members=[worker], bot=False)

    await add_bot(world, group, worker)

    text = await group.wait_for(lambda t: "绑定" in t, since=0)
    assert "/bind 单元编码" in text and "gridbot org link" in text
    await world.settle()
    assert len(await group.bot_messages()) == 1
    assert await binding_of(world, group.chat_id) is None


async def test_an_english_admin_adding_the_bot_reads_english(world: World) -> None:
    alice = world.stranger(9021, "Alice", language_code="en")
    group = world.group("Park tenants", members=[alice], bot=False)

    await add_bot(world, group, alice)

    text = await group.wait_for(lambda t: "/bind" in t, since=0)
    assert "this group must be bound to its building or grid" in text


async def test_the_grids_worker_binds_the_group_with_bind(world: World) -> None:
    worker = world.persona(1001)  # 张伟, grid worker of 临月里第一网格
    group = world.group("临月里3号楼群", members=[worker])

    await worker.send(f"/bind {B03}", chat=group)

    text = await group.wait_for(lambda t: "已绑定" in t)
    assert "本群已绑定为临月里3号楼的楼栋群。" in text and "张伟" not in text
    binding = await binding_of(world, group.chat_id)
    assert binding is not None and binding.active
    assert (binding.unit_code, binding.kind) == (B03, BindingKind.BUILDING)


async def test_a_resident_may_not_bind_a_group(world: World) -> None:
    resident = world.persona(2001)
    group = world.group("临月里3号楼群", members=[resident])

    await resident.send(f"/bind {B03}", chat=group)

    assert "没有权限" in await group.wait_for(lambda t: "抱歉" in t)
    assert await binding_of(world, group.chat_id) is None


async def test_a_worker_of_another_grid_may_not_bind_this_grids_group(world: World) -> None:
    other = world.persona(1003)  # 李娜, grid worker of 临月里第二网格
    group = world.group("临月里3号楼群", members=[other])

    await other.send(f"/bind {B03}", chat=group)

    assert "没有权限" in await group.wait_for(lambda t: "抱歉" in t)
    assert await binding_of(world, group.chat_id) is None


async def test_an_unknown_code_and_a_missing_code_get_clear_answers(world: World) -> None:
    worker = world.persona(1001)
    group = world.group("临月里3号楼群", members=[worker])

    await worker.send("/bind NOPE", chat=group)
    assert "没有这个编码的单元" in await group.wait_for(lambda t: "编码的单元" in t)
    await worker.send("/bind", chat=group)
    assert "/bind 单元编码" in await group.wait_for(lambda t: "单元编码" in t)
    assert await binding_of(world, group.chat_id) is None


async def test_a_startgroup_link_binds_the_group_and_removal_deactivates_it(
    world: World,
) -> None:
    leader = world.persona(1008)  # 黄勇, leader of the industrial park's dedicated grid
    group = world.group("产业园企业群", members=[leader])
    async with world.database.uow() as uow:
        unit = await uow.org.get_unit("DL-WX-ZB-02")
    assert unit is not None

    await leader.send(f"/start b_{unit.bind_token}", chat=group)

    assert "企业群" in await group.wait_for(lambda t: "已绑定" in t)
    binding = await binding_of(world, group.chat_id)
    assert binding is not None and binding.kind == BindingKind.ENTERPRISE
    await world.post("/sim/leave", {"chat_id": group.chat_id, "user_id": world.state.bot.id})
    await world.settle()
    binding = await binding_of(world, group.chat_id)
    assert binding is not None and not binding.active


async def test_a_migrated_group_keeps_its_binding_and_the_bot_posts_to_the_new_id(
    world: World,
) -> None:
    worker = world.persona(1001)
    group = world.group("临月里3号楼群", members=[worker])
    await worker.send(f"/bind {B03}", chat=group)
    await group.wait_for(lambda t: "已绑定" in t)

    migrated = await world.post("/sim/migrate", {"chat_id": group.chat_id})
    new_id = int(migrated["new_chat_id"])
    await world.settle()
    await world.persona(2002).join(Group(world, new_id, "临月里3号楼群"))

    text = await world.chat(new_id).wait_for(lambda t: "欢迎加入" in t, since=0)
    assert "临月里3号楼" in text
    assert await binding_of(world, group.chat_id) is None
    moved = await binding_of(world, new_id)
    assert moved is not None and moved.active and moved.unit_code == B03


async def test_five_people_joining_get_exactly_one_greeting(world: World) -> None:
    worker = world.persona(1001)
    group = world.group("临月里3号楼群", members=[worker])
    await worker.send(f"/bind {B03}", chat=group)
    await group.wait_for(lambda t: "已绑定" in t)

    for user_id in (2001, 2002, 2003, 2004, 2005):
        await world.persona(user_id).join(group)
    await world.settle()

    greetings = [m for m in await group.bot_messages() if "欢迎加入" in (m.get("text") or "")]
    assert len(greetings) == 1
    text = greetings[0]["text"]
    assert "李桂兰" not in text and "王建华" not in text  # no personal data in the group
    [[button]] = greetings[0]["reply_markup"]["inline_keyboard"]
    async with world.database.uow() as uow:
        unit = await uow.org.get_unit(B03)
    assert unit is not None and button["url"].endswith(f"?start=j_{unit.join_token}")
    assert button["text"] == "私聊加入我的网格"
    binding = await binding_of(world, group.chat_id)
    assert binding is not None and binding.greeted_at is not None
