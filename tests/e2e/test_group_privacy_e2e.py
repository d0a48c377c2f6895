"""Privacy where a group can see (issue 11): a public report reaches its group masked, and
whatever is tapped on a message in a group (or forged with a group's chat) answers in the
tapper's private chat, never into the group; 同样问题 counts only the grid's residents."""

from __future__ import annotations

from typing import Any

from gridbot.sandbox.sim import tap

from .flows import RESIDENT, bind, case_by_number, describe, report, toast
from .harness import Group, Persona, World
from .worker_play import WORKER

ISSUE_11 = (
    "我是李桂兰，电话13900002001，身份证号12011019800101234X，住3号楼2单元501室，"
    "楼道灯坏了，联系王建华也可以"
)
SECRETS = ("李桂兰", "王建华", "13900002001", "1201101980", "234X", "501", "2单元")


async def public_case(world: World, reporter: Persona, group: Group, text: str) -> Any:
    await bind(world, group, "DL-WX-LY-01-B03")
    start = f"/start r_n{-group.chat_id}"
    case = await report(world, reporter, text, public=True, start=start)
    await group.wait_for(lambda t: case.number in t)
    return case


async def forged_in_group(world: World, persona: Persona, group: Group, data: str) -> str:
    """A tap with ``data`` on the bot's latest message in ``group``; the callback id."""
    state = world.state
    user = state.ensure_user(persona.user_id, first_name=persona.first_name)
    chat = state.chats[group.chat_id]
    stored = next(m for m in reversed(chat.messages.values()) if m.from_bot)
    return str(tap(state, user, chat, stored, data)["callback_query_id"])


async def test_the_group_post_of_the_issue_11_report_is_masked(world: World) -> None:
    reporter = world.persona(RESIDENT)
    group = world.group("临月里3号楼群", members=[reporter, world.persona(2002)])
    case = await public_case(world, reporter, group, ISSUE_11)
    posted = await group.transcript()
    for secret in SECRETS:
        assert secret not in posted.replace(case.number, "")
    assert "3号楼" in posted and "楼道灯坏了" in posted


async def test_a_timeline_or_card_tapped_in_a_group_goes_to_the_tappers_private_chat(
    world: World,
) -> None:
    reporter, worker = world.persona(RESIDENT), world.persona(WORKER)
    group = world.group("临月里3号楼群", members=[reporter, worker])
    case = await public_case(world, reporter, group, ISSUE_11)
    await worker.send("/start")
    await worker.private_chat().wait_for(lambda t: bool(t))
    before = len(await group.bot_messages())
    posted = await group.transcript()

    for persona, data in ((reporter, "timeline"), (worker, "card"), (worker, "timeline")):
        callback = await forged_in_group(world, persona, group, f"c:{data}:{case.id}")
        answer = await toast(world, {"callback_query_id": callback})
        assert answer["text"] == "已私聊发给您。"

    assert len(await group.bot_messages()) == before
    assert await group.transcript() == posted  # nothing edited into the group's post
    mine = await reporter.private_chat().transcript()
    assert "13900002001" in mine  # the reporter's own words, privately
    theirs = await worker.private_chat().transcript()
    assert case.number in theirs


async def test_a_tap_in_a_group_by_someone_the_bot_cannot_write_to_gets_a_toast(
    world: World,
) -> None:
    reporter = world.persona(RESIDENT)
    group = world.group("临月里3号楼群", members=[reporter])
    case = await public_case(world, reporter, group, "楼道灯坏了")
    await reporter.block()  # the bot cannot write to them privately any more
    before = len(await group.bot_messages())

    callback = await forged_in_group(world, reporter, group, f"c:timeline:{case.id}")
    answer = await toast(world, {"callback_query_id": callback})

    assert answer["text"].startswith("这些内容只能在私聊中给您看")
    assert len(await group.bot_messages()) == before


async def test_same_problem_from_someone_off_the_grid_changes_nothing(world: World) -> None:
    reporter, elsewhere = world.persona(RESIDENT), world.persona(2004)
    group = world.group("临月里3号楼群", members=[reporter, elsewhere])
    case = await public_case(world, reporter, group, "单元门禁坏了")
    before = len(await group.bot_messages())

    answer = await toast(world, await elsewhere.tap("同样问题", chat=group))

    assert answer["text"] == "只统计本网格的居民。请先用 /start 加入您所在的网格。"
    assert len(await group.bot_messages()) == before
    assert (await case_by_number(world, case.number)).affected_count == 0


async def test_before_choosing_public_the_resident_sees_the_groups_exact_line(
    world: World,
) -> None:
    reporter = world.persona(RESIDENT)
    group = world.group("临月里3号楼群", members=[reporter])
    await bind(world, group, "DL-WX-LY-01-B03")
    chat = reporter.private_chat()
    await reporter.send(f"/start r_n{-group.chat_id}", chat=chat)
    await chat.wait_for(lambda t: "请选择类别" in t)
    await describe(reporter, "环境卫生", ISSUE_11)
    await reporter.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await reporter.send("跳过")
    asked = await chat.wait_for(lambda t: "的居民群只会看到下面这一行" in t)
    line = asked.split("不会看到您的其他原话：")[1].strip()

    await reporter.tap("邻居可在群里看到进展")
    await reporter.tap("提交")
    submitted = await chat.wait_for(lambda t: "已登记" in t)
    number = submitted.split("编号 ")[1].split("。")[0]
    posted = await group.wait_for(lambda t: number in t)

    assert line in posted  # the very line, word for word
    assert "临月里3号楼" in line and "环境卫生" in line and "已派给网格团队" in line
    for secret in SECRETS:
        assert secret not in line
