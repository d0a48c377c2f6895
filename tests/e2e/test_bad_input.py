"""Bad input in the resident flows: each gets a clear, translated answer and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gridbot.bot.app import SystemClock
from gridbot.domain.case import CaseStatus
from gridbot.sandbox.sim import tap

from .flows import RESIDENT, case_by_number, cases_of, report, seed_cases, toast
from .harness import Persona, World
from .wish_play import answer_to, forge


async def start_describing(resident: Persona) -> None:
    chat = resident.private_chat()
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await resident.tap("环境卫生")
    await chat.wait_for(lambda t: "请用一条消息描述问题" in t)


async def forged_tap(world: World, person: Persona, data: str) -> dict[str, Any]:
    """A callback query with any data, as a modified client could send it."""
    chat = world.state.chats[person.user_id]
    stored = next(reversed(chat.messages.values()))
    user = world.state.users[person.user_id]
    return tap(world.state, user, chat, stored, data)


@pytest.mark.parametrize("kind", ["sticker", "voice", "document"])
async def test_a_sticker_voice_or_file_instead_of_the_description_is_refused(
    world: World, kind: str
) -> None:
    resident = world.persona(RESIDENT)
    await start_describing(resident)

    await resident._post(f"/sim/{kind}", resident._body(None))

    await resident.private_chat().wait_for(lambda t: "请用文字消息发送" in t)
    await resident.send("垃圾桶满了")  # the draft is still waiting for the description
    await resident.private_chat().wait_for(lambda t: "如有照片请发送" in t)
    assert await cases_of(world, RESIDENT) == []


async def test_a_ten_thousand_character_description_is_refused_with_the_limit(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    await start_describing(resident)

    await resident.send("脏" * 10_000)

    text = await resident.private_chat().wait_for(lambda t: "最多允许" in t)
    assert "内容共 10000 字，最多允许 1000 字" in text
    await resident.send("楼下很脏")
    await resident.private_chat().wait_for(lambda t: "如有照片请发送" in t)
    assert await cases_of(world, RESIDENT) == []


async def test_the_english_too_long_answer_names_the_limit_and_the_length(world: World) -> None:
    resident = world.persona(2006)
    await resident.send("/report")
    await resident.tap("Sanitation")
    await resident.private_chat().wait_for(lambda t: "describe the problem" in t)

    await resident.send("x" * 1001)

    text = await resident.private_chat().wait_for(lambda t: "allowed" in t)
    assert "That is 1001 characters long; at most 1000 are allowed." in text


async def test_a_button_of_an_old_draft_changes_nothing(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await start_describing(resident)
    old = await chat.last_message()
    assert old is not None
    await resident.send("/cancel")
    await chat.wait_for(lambda t: "已取消" in t)
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)

    body = resident._body(None, label="取消", message_id=old["message_id"])
    tapped = await world.post("/sim/callback", body)

    answer = await toast(world, tapped)
    assert answer["text"] == "这份草稿已失效。"
    await resident.tap("市容秩序")  # the new draft is untouched and goes on
    await chat.wait_for(lambda t: "类别：市容秩序" in t)


async def test_a_second_report_mid_draft_asks_to_finish_or_cancel_first(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await start_describing(resident)

    await resident.send("/report")
    await chat.wait_for(lambda t: "未完成的草稿" in t)
    await resident.send("/wish")
    await chat.wait_for(lambda t: "未完成的草稿" in t)

    await resident.send("垃圾桶满了")  # still the first draft, at its description
    await chat.wait_for(lambda t: "如有照片请发送" in t)


async def test_cancel_ends_the_draft_and_says_so(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await start_describing(resident)

    await resident.send("/cancel")
    await chat.wait_for(lambda t: "已取消，未提交任何内容" in t)
    await resident.send("垃圾桶满了")

    await chat.wait_for(lambda t: "无法处理" in t)  # no draft any more: the general hint
    await resident.send("/cancel")
    await chat.wait_for(lambda t: "没有可取消" in t)


async def test_a_person_without_a_grid_is_told_how_to_join(world: World) -> None:
    stranger = world.stranger(9003, "小王")

    await stranger.send("/report")
    await stranger.private_chat().wait_for(lambda t: "加入" in t)
    await stranger.send("/wish")
    await stranger.private_chat().wait_for(lambda t: "加入" in t)

    async with world.database.uow() as uow:
        assert await uow.people.by_telegram_id(9003) is None
    assert "请选择类别" not in await stranger.private_chat().transcript()


async def test_the_sixth_report_in_an_hour_is_refused_and_the_draft_kept(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await seed_cases(world, RESIDENT, 5, age=timedelta(minutes=10))
    await start_describing(resident)
    await resident.send("又一件事")
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("不公开：仅本人和网格团队可见")

    await resident.tap("提交")

    await chat.wait_for(lambda t: "太频繁" in t)
    assert len(await cases_of(world, RESIDENT)) == 5
    await resident.tap("提交")  # the draft is kept: still refused, still nothing stored
    await world.settle()
    assert len(await cases_of(world, RESIDENT)) == 5


async def test_someone_elses_case_is_refused(world: World) -> None:
    owner, other = world.persona(RESIDENT), world.persona(2002)
    case = await report(world, owner, "楼道灯坏了")
    await other.send("/my")
    await other.private_chat().wait_for(lambda t: "我的诉求和心愿" in t)

    for action in ("timeline", "withdraw_ok", "add_info", "withdraw"):
        await forged_tap(world, other, f"c:{action}:{case.id}")
        await world.settle()
    await other.send(f"/start c_{case.number}")
    await world.settle()

    refusals = [m for m in await other.private_chat().bot_messages() if "没有权限" in m["text"]]
    assert len(refusals) == 5  # every tap (add_info and withdraw before asking) and the link
    assert (await case_by_number(world, case.number)).status == CaseStatus.ASSIGNED
    assert "楼道灯坏了" not in await other.private_chat().transcript()


async def test_a_draft_left_for_half_an_hour_expires(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await start_describing(resident)
    real_now = SystemClock.now
    monkeypatch.setattr(SystemClock, "now", lambda self: real_now(self) + timedelta(minutes=31))

    await resident.send("垃圾桶满了")

    await chat.wait_for(lambda t: "草稿超过 30 分钟未操作" in t)
    await world.settle()
    assert "如有照片请发送" not in await chat.last_text()
    await resident.tap("取消")  # a button of the expired draft
    await world.settle()
    assert await cases_of(world, RESIDENT) == []


async def test_a_sixth_photo_is_not_added(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await start_describing(resident)
    await resident.send("垃圾桶满了")
    await chat.wait_for(lambda t: "如有照片请发送" in t)

    for _ in range(6):
        await resident.photo()
        await world.settle()

    assert "最多 5 张照片，这张未添加" in await chat.last_text()
    await resident.sticker()
    await chat.wait_for(lambda t: "请发送照片" in t)
    await resident.tap("完成")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.sticker()
    await chat.wait_for(lambda t: "请发送位置" in t)


async def test_a_tap_on_a_button_nobody_handles_is_answered_and_changes_nothing(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    await resident.send("/start")
    await world.settle()
    calls = len(await world.outbox(method="sendMessage"))
    tapped = await forge(world, resident, "c:teleport:1")
    assert (await answer_to(world, tapped))["text"] == "此按钮已失效。"
    assert len(await world.outbox(method="sendMessage")) == calls
