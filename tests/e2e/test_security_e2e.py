"""Hostile input at the edge (issue 11): forged, malformed and out-of-range callback data,
control characters and invisible-only text, staff commands from those without the role,
units outside one's own, SQL and HTML in free text, a failing getChatMember. Each is
refused (or cleaned) clearly and changes nothing else; logs carry ids, never names."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from gridbot.domain.case import Case
from gridbot.sandbox.sim import tap

from .flows import RESIDENT, bind, case_by_number, cases_of, describe, report, seed_cases, toast
from .harness import Persona, World
from .worker_play import GRID_LEADER, OTHER_WORKER, SUPERVISOR, WORKER, open_chats

STALE_BUTTON = "此按钮已失效"
STALE_STEP = "这一步已失效"
NOT_ALLOWED = "没有权限"
RESIDENT_NAME = "李桂兰"
TABLES = (
    "cases",
    "case_events",
    "case_affected",
    "ratings",
    "visits",
    "chat_bindings",
    "role_assignments",
    "staff_invites",
    "care_people",
    "points_entries",
    "digests",
)


async def rows(world: World) -> dict[str, list[tuple[Any, ...]]]:
    """What a refusal must leave alone: every row of the tables a change would touch."""
    async with world.database.engine.connect() as connection:
        return {
            table: [tuple(row) for row in await connection.execute(text(f"SELECT * FROM {table}"))]
            for table in TABLES
        }


async def forged(world: World, person: Persona, data: str) -> dict[str, Any]:
    """A tap with made-up data (a modified client) on the person's latest bot message,
    and how the bot answered it."""
    chat = world.state.chats[person.user_id]
    stored = next(m for m in reversed(chat.messages.values()) if m.from_bot)
    user = world.state.users[person.user_id]
    return await toast(world, tap(world.state, user, chat, stored, data))


@pytest.mark.parametrize(
    "data",
    [
        "c:accept:99999999999999999999",  # past any database integer
        "c:accept:9223372036854775808",  # 2**63
        "c:accept:2147483648",  # past PostgreSQL's INTEGER
        "c:accept:-1",
        "c:accept:abc",
        "c:accept",
        "c:accept:{id}:extra",
        "c:no_such_action:{id}",
        "cs:to:{id}:99999999999999999999",
        "od:page:DL-WX:99999999999999999999",
        "st:month:99999999999999999999",
        "pg:tasks:99999999999999999999",
        "c:accept:" + "9" * 200,  # over-long: no client sends more than 64 bytes
        "🙂" * 40,
        "",
    ],
)
async def test_malformed_out_of_range_or_over_long_callback_data_changes_nothing(
    world: World, data: str
) -> None:
    [worker] = await open_chats(world, WORKER)
    case = await report(world, world.persona(RESIDENT), "楼道灯坏了")
    await worker.private_chat().wait_for(lambda t: case.number in t)
    before = await rows(world)

    answer = await forged(world, worker, data.format(id=case.id))

    assert STALE_BUTTON in answer["text"] or STALE_STEP in answer["text"], answer
    assert await rows(world) == before


async def test_a_forged_return_reason_is_refused_at_the_tap(world: World) -> None:
    [worker] = await open_chats(world, WORKER)
    case = await report(world, world.persona(RESIDENT), "楼道灯坏了")
    chat = worker.private_chat()
    await chat.wait_for(lambda t: case.number in t)
    await worker.tap("退回")
    await chat.wait_for(lambda t: "为什么退回" in t)
    before = await rows(world)

    answer = await forged(world, worker, f"cs:why:{case.id}:no_such_reason")

    assert STALE_STEP in answer["text"]
    assert await rows(world) == before
    await worker.tap("不属于受理范围")  # the real choice still works
    await chat.wait_for(lambda t: "跳过" in t or "说明" in t)


async def test_a_nul_byte_is_dropped_and_invisible_only_text_is_refused_as_empty(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await resident.tap("环境卫生")
    await chat.wait_for(lambda t: "请用一条消息描述问题" in t)

    for invisible in ("\u200b\u200b\u200b", "\ufeff\u2060\u200d", "\x00\x01"):
        await resident.send(invisible)
        await chat.wait_for(lambda t: "内容为空" in t)
    await resident.send("楼道\x00灯\x07坏了")
    await chat.wait_for(lambda t: "如有照片请发送" in t)
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("不公开：仅本人和网格团队可见")
    await resident.tap("提交")
    await chat.wait_for(lambda t: "已登记" in t)

    [case] = await cases_of(world, RESIDENT)
    assert case.text == "楼道灯坏了"


async def test_words_after_the_hourly_limit_get_an_answer_and_the_draft_is_kept(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await seed_cases(world, RESIDENT, 5, age=timedelta(minutes=50))  # 51 to 55 minutes old
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await resident.send("还没选类别")
    await chat.wait_for(lambda t: "请点上方的按钮继续" in t)
    await describe(resident, "环境卫生", "又一件事")
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("不公开：仅本人和网格团队可见")
    await resident.tap("提交")
    await chat.wait_for(lambda t: "太频繁" in t)

    await resident.send("怎么还不行？")

    said = await chat.wait_for(lambda t: "已达上限" in t)
    assert "草稿已为您保留" in said and "/cancel" in said
    assert len(await cases_of(world, RESIDENT)) == 5
    world.advance(timedelta(minutes=6))  # the earliest of the five is now over an hour old
    await resident.tap("提交")
    await chat.wait_for(lambda t: "已登记" in t)


async def test_a_refusal_is_logged_with_ids_never_a_name_or_the_text(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    resident = world.persona(RESIDENT)
    case = await report(world, resident, "我家电话13900002001，楼道灯坏了")
    caplog.set_level(logging.INFO)

    answer = await forged(world, resident, f"c:accept:{case.id}")

    assert NOT_ALLOWED in answer["text"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused update" in logged and f"user {RESIDENT}" in logged
    for personal in (RESIDENT_NAME, "13900002001", "楼道灯坏了"):
        assert personal not in logged, logged


async def test_a_failing_get_chat_member_makes_a_private_report_with_a_word_why(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    group = world.group("临月里3号楼群", members=[resident])
    await bind(world, group, "DL-WX-LY-01-B03")
    fault = {"method": "getChatMember", "code": 400, "description": "Bad Request: no method"}
    await world.post("/sim/fault", fault)

    await resident.send(f"/start r_n{-group.chat_id}", chat=chat)

    first = await chat.wait_for(lambda t: "请选择类别" in t)
    assert "暂时无法确认您是该群成员" in first and "个人反映" in first
    await describe(resident, "环境卫生", "楼道灯坏了")
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("不公开：仅本人和网格团队可见")
    await resident.tap("提交")
    await chat.wait_for(lambda t: "已登记" in t)
    [case] = await cases_of(world, RESIDENT)
    assert case.source_chat_id is None


async def test_staff_commands_from_a_resident_are_refused_and_change_nothing(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    neighbours = await report(world, world.persona(2002), "5号楼楼道灯坏了")
    before = await rows(world)
    commands = [f"/case {neighbours.number}", "/tasks", "/stats", "/overdue", "/rank", "/team"]
    commands += ["/grid DL-WX-LY-01", "/export", "/chart", "/digest", "/invite", "/visits"]
    for command in commands:
        await resident.send(command)
        said = await resident.private_chat().wait_for(lambda t: bool(t))
        assert "抱歉" in said or "没有" in said, (command, said)
        assert "5号楼楼道灯坏了" not in said
    assert await rows(world) == before


async def test_a_worker_may_not_open_another_grids_case_by_number(world: World) -> None:
    other = (await open_chats(world, OTHER_WORKER))[0]
    case = await report(world, world.persona(RESIDENT), "楼道灯坏了")
    before = await rows(world)

    await other.send(f"/case {case.number}")

    said = await other.private_chat().wait_for(lambda t: NOT_ALLOWED in t or "没有" in t)
    assert "楼道灯坏了" not in said
    assert await rows(world) == before


@pytest.mark.parametrize("command", ["/stats month DL", "/overdue DL", "/rank month DL"])
async def test_a_supervisor_may_not_read_a_unit_outside_their_own(
    world: World, command: str
) -> None:
    [supervisor] = await open_chats(world, SUPERVISOR)
    before = await rows(world)

    await supervisor.send(command)

    said = await supervisor.private_chat().wait_for(lambda t: "抱歉" in t)
    assert "只能查看本人负责的单位" in said or "本单位及下级单位" in said
    assert await rows(world) == before


async def test_a_plain_member_may_neither_bind_nor_unbind_a_group(world: World) -> None:
    resident, leader = world.persona(RESIDENT), world.persona(GRID_LEADER)
    bound = world.group("临月里3号楼群", members=[resident, leader])
    await bind(world, bound, "DL-WX-LY-01-B03")
    unbound = world.group("临月里5号楼群", members=[resident])
    before = await rows(world)

    await resident.send("/unbind", chat=bound)
    assert NOT_ALLOWED in await bound.wait_for(lambda t: "抱歉" in t)
    await resident.send("/bind DL-WX-LY-01-B05", chat=unbound)
    assert NOT_ALLOWED in await unbound.wait_for(lambda t: "抱歉" in t)

    assert await rows(world) == before


INJECTIONS = [
    "'); DROP TABLE cases; --",
    "1' OR '1'='1",
    '<script>alert("x")</script>',
    "<b>粗</b> &amp; <a href='http://evil'>链接</a>",
]


@pytest.mark.parametrize("typed", INJECTIONS)
async def test_sql_and_html_in_the_reports_free_text_is_stored_verbatim_and_shown_escaped(
    world: World, typed: str
) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await describe(resident, "环境卫生", typed)
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send(typed)  # the address typed instead of a pin
    await resident.tap("不公开：仅本人和网格团队可见")
    summary = await chat.wait_for(lambda t: "请核对您的反映" in t)
    assert typed in summary  # shown as typed: escaped, not markup
    await resident.tap("提交")
    answer = await chat.wait_for(lambda t: "已登记" in t)

    case = await case_by_number(world, answer.split("编号 ")[1].split("。")[0])
    assert case.text == typed
    assert case.location is not None and case.location.address == typed
    [worker] = await open_chats(world, WORKER)
    await worker.send(f"/case {case.number}")
    card = await worker.private_chat().wait_for(lambda t: case.number in t)
    assert typed in card
    async with world.database.engine.connect() as connection:
        count = await connection.scalar(text("SELECT count(*) FROM cases"))
    assert count and count >= 1  # the table is still there


async def a_neighbours_case(world: World) -> tuple[Persona, Case, dict[str, list[tuple[Any, ...]]]]:
    """A case of the neighbour (2002), the resident who has opened the bot and will try
    it, and the tables' rows before the try."""
    resident = world.persona(RESIDENT)
    neighbours = await report(world, world.persona(2002), "5号楼楼道灯坏了")
    await resident.send("/start")
    await resident.private_chat().wait_for(lambda t: bool(t))
    return resident, neighbours, await rows(world)


async def test_adding_information_to_someone_elses_case_is_refused_at_the_tap(
    world: World,
) -> None:
    resident, neighbours, before = await a_neighbours_case(world)

    answer = await forged(world, resident, f"c:add_info:{neighbours.id}")

    assert NOT_ALLOWED in answer["text"]
    await resident.send("这是我补充的")  # no prompt was shown, so nothing is waiting for it
    await world.settle()
    transcript = await resident.private_chat().transcript()
    assert "请发送要补充的内容" not in transcript and "5号楼楼道灯坏了" not in transcript
    assert await rows(world) == before


async def test_withdrawing_someone_elses_case_is_refused_before_are_you_sure(
    world: World,
) -> None:
    resident, neighbours, before = await a_neighbours_case(world)

    answer = await forged(world, resident, f"c:withdraw:{neighbours.id}")

    assert NOT_ALLOWED in answer["text"]
    assert "撤回" not in " ".join(await resident.private_chat().buttons())
    assert await rows(world) == before


@pytest.mark.parametrize(
    "command",
    ["/case 9999999999999999999999", "/case 2026-999999999", "/start c_99999999999999999999"],
)
async def test_an_enormous_case_number_in_a_command_is_answered_clearly(
    world: World, command: str
) -> None:
    [worker] = await open_chats(world, WORKER)
    before = await rows(world)

    await worker.send(command)

    said = await worker.private_chat().wait_for(lambda t: bool(t))
    assert "编号" in said or "链接无效" in said, said
    assert "出了点问题" not in said
    assert await rows(world) == before
