"""/team and /invite through the stand and the real bot: 王芳 reads her grid's team with its
load; 韩冰 (admin of the district) invites a grid worker by tapping down the tree and a
newcomer opening the link becomes one (once, while it is valid); anyone else is refused,
and bad input is answered."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from gridbot.domain.org import Role
from gridbot.handlers.common.callbacks import InviteCallback
from gridbot.storage.rows import StaffInviteRow

from .flows import RESIDENT, report
from .harness import Persona, World
from .wish_play import answer_to, forge
from .worker_play import GRID_LEADER, WORKER, open_chats

ADMIN, SUPERVISOR, NEIGHBOUR_LEADER, COMMUNITY_SECRETARY = 1024, 1022, 1004, 1009
LINK = re.compile(r"https://t\.me/(\w+)\?start=(inv_[\w-]+)")


async def link_in(admin: Persona) -> tuple[str, str]:
    text = await admin.private_chat().wait_for(lambda t: "邀请链接已生成" in t)
    found = LINK.search(text)
    assert found is not None, text
    return found[1], found[2]


async def roles_of(world: World, telegram_id: int) -> list[tuple[Role, str]]:
    async with world.database.reader() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return [(r.role, r.unit_code) for r in await uow.people.roles_of(person.id)]


async def test_the_leader_sees_her_team_with_its_load_and_who_the_bot_reaches(
    world: World,
) -> None:
    worker, leader = await open_chats(world, WORKER, GRID_LEADER)
    await report(world, world.persona(RESIDENT), "3号楼门口垃圾堆了三天", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: "接单" in t or "事项" in t)
    await world.settle()
    world.advance(timedelta(hours=3))  # past the 2 hours to accept it

    await leader.send("/team")
    text = await leader.private_chat().wait_for(lambda t: "临月里第一网格团队" in t)

    lines = text.splitlines()
    zhang = next(i for i, line in enumerate(lines) if "张伟" in line)
    assert lines[zhang].startswith("✅ 张伟 · 专职网格员")
    assert "在办 1 件，其中超期 1 件" in lines[zhang + 1] and "13800001001" in lines[zhang + 1]
    assert any(line.startswith("❔ 马红 · 党员") for line in lines)  # never messaged yet
    assert "郭志刚 · 党员、楼长 (临月里3号楼)" in text
    assert "居民：3 人（仅计数，不列出）" in text
    assert "李桂兰" not in text and "王建华" not in text


async def test_the_community_secretary_picks_one_of_the_grids_with_a_button(
    world: World,
) -> None:
    (secretary,) = await open_chats(world, COMMUNITY_SECRETARY)
    chat = secretary.private_chat()

    await secretary.send("/team")
    await chat.wait_for(lambda t: "要查看哪个网格的团队" in t)
    assert await chat.buttons() == ["临月里第一网格", "临月里第二网格"]
    await secretary.tap("临月里第二网格")

    text = await chat.wait_for(lambda t: "临月里第二网格团队" in t)
    assert "刘洋 · 网格长" in text and "李娜 · 专职网格员" in text and "居民：1 人" in text


async def test_a_supervisor_names_the_grid_and_others_are_refused(world: World) -> None:
    supervisor, neighbour, resident = await open_chats(
        world, SUPERVISOR, NEIGHBOUR_LEADER, RESIDENT
    )

    await supervisor.send("/team")
    await supervisor.private_chat().wait_for(lambda t: "/team DL-WX-LY-01" in t)
    await supervisor.send("/team DL-WX-LY-01")
    seen = await supervisor.private_chat().wait_for(lambda t: "临月里第一网格团队" in t)
    assert "张伟" in seen and "13800001001" not in seen and "📞" not in seen

    await neighbour.send("/team DL-WX-LY-01")
    refused = await neighbour.private_chat().wait_for(lambda t: "抱歉" in t)
    assert "只有本网格的网格长、支部书记" in refused and "张伟" not in refused
    await resident.send("/team")
    assert "只有本网格的网格长" in await resident.private_chat().wait_for(lambda t: "抱歉" in t)
    await supervisor.send("/team DL-WX-LY-01-B03")
    assert "不是网格" in await supervisor.private_chat().wait_for(lambda t: "不是网格" in t)


async def test_nothing_of_the_team_or_an_invitation_is_posted_in_a_group(world: World) -> None:
    leader, admin = await open_chats(world, GRID_LEADER, ADMIN)
    group = world.group("临月里第一网格工作群", members=[leader, admin])

    await leader.send("/team", chat=group)
    await admin.send("/invite grid_worker DL-WX-LY-02", chat=group)
    await world.settle()

    assert await group.bot_messages() == []
    async with world.database.reader() as uow:
        made = await uow.session.scalar(select(func.count(StaffInviteRow.id)))
    assert made == 0


async def test_an_invitation_made_by_buttons_makes_a_newcomer_a_grid_worker_once(
    world: World,
) -> None:
    (admin,) = await open_chats(world, ADMIN)
    chat = admin.private_chat()

    await admin.send("/invite")
    await chat.wait_for(lambda t: "请选择对方的角色" in t)
    await admin.tap("专职网格员")
    await chat.wait_for(lambda t: "单元：东丽区（DL）" in t)
    await admin.tap("万新街道")
    await chat.wait_for(lambda t: "单元：万新街道" in t)
    await admin.tap("临月里社区")
    await chat.wait_for(lambda t: "单元：临月里社区" in t)
    await admin.tap("临月里第二网格")
    await chat.wait_for(lambda t: "点击按钮邀请到本单元" in t)
    await admin.tap("邀请到临月里第二网格")
    bot_name, payload = await link_in(admin)
    made = await chat.last_text()
    assert "专职网格员 · 临月里第二网格" in made and "有效期至" in made
    assert bot_name == world.state.bot.username

    newcomer = world.stranger(9201, "赵新")
    await newcomer.send(f"/start {payload}")
    welcome = await newcomer.private_chat().wait_for(lambda t: "欢迎加入网格团队" in t)
    assert "赵新，欢迎加入网格团队！" in welcome and "专职网格员 · 临月里第二网格" in welcome
    assert await roles_of(world, 9201) == [(Role.GRID_WORKER, "DL-WX-LY-02")]
    await newcomer.send("/help")
    help_text = await newcomer.private_chat().wait_for(lambda t: "/tasks" in t)
    assert "/patrol" in help_text and "/invite" not in help_text
    told = await chat.wait_for(lambda t: "已接受您的邀请" in t)
    assert "赵新 已接受您的邀请：专职网格员 · 临月里第二网格" in told

    intruder = world.stranger(9202, "某人")
    await intruder.send(f"/start {payload}")
    refused = await intruder.private_chat().wait_for(lambda t: "另一个 Telegram 账号" in t)
    assert "没有做任何更改" in refused
    await world.settle()
    async with world.database.reader() as uow:
        assert await uow.people.by_telegram_id(9202) is None


async def test_an_invitation_opened_after_it_expired_is_refused(world: World) -> None:
    (admin,) = await open_chats(world, ADMIN)
    await admin.send("/invite grid_worker DL-WX-LY-02")
    _, payload = await link_in(admin)
    world.advance(timedelta(days=7, minutes=1))

    late = world.stranger(9203, "迟到")
    await late.send(f"/start {payload}")

    refused = await late.private_chat().wait_for(lambda t: "已过期" in t)
    assert "此邀请已过期，未做任何更改" in refused
    await world.settle()
    async with world.database.reader() as uow:
        assert await uow.people.by_telegram_id(9203) is None


async def test_a_non_admin_is_refused_and_bad_input_is_answered(world: World) -> None:
    worker, admin = await open_chats(world, WORKER, ADMIN)
    await worker.send("/invite")
    refused = await worker.private_chat().wait_for(lambda t: "抱歉" in t)
    assert "只有管理员可以邀请工作人员" in refused
    await worker.send("/invite grid_worker DL-WX-LY-02")
    await worker.private_chat().wait_for(lambda t: "只有管理员" in t)

    chat = admin.private_chat()
    await admin.send("/invite")
    await admin.tap("专职网格员")
    await chat.wait_for(lambda t: "单元：东丽区" in t)
    await admin.sticker()
    assert "请点上方按钮选择" in await chat.wait_for(lambda t: "按钮" in t)
    await admin.send("临月里第二网格")
    assert "/cancel" in await chat.wait_for(lambda t: "按钮" in t)
    # A forged tap inviting a grid worker onto the street is refused.
    tap = await forge(world, admin, InviteCallback(step="to", value="DL-WX").pack())
    assert "不能设在这一级单元" in (await answer_to(world, tap)).get("text", "")
    await admin.tap("取消")
    await chat.wait_for(lambda t: "已取消" in t)

    for typed, answer in (
        ("/invite grid_worker NOPE-99", "没有这个编码的单元"),
        ("/invite grid_guide DL-WX-LY-02", "需要所属部门"),
        ("/invite grid_worker", "/invite 角色 单元编码"),
    ):
        await admin.send(typed)
        await chat.wait_for(lambda t, answer=answer: answer in t)
    await world.settle()
    async with world.database.reader() as uow:
        assert await uow.session.scalar(select(func.count(StaffInviteRow.id))) == 0
    assert LINK.search(await chat.transcript()) is None  # no invitation was made
