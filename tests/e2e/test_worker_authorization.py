"""A callback's data is a request, never a permission: forged taps on someone else's case,
a stale button after the case moved on, and a double tap are refused once, clearly, and
change nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from gridbot.domain.case import Case
from gridbot.sandbox.sim import tap
from gridbot.services.notices.keyboards import case_callback

from .flows import report, toast
from .harness import Persona, World
from .worker_play import (
    GRID_LEADER,
    OTHER_RESIDENT,
    OTHER_WORKER,
    PARTY_MEMBER,
    SUPERVISOR,
    WORKER,
    actions_of,
    fresh,
    open_chats,
)

CARD_ACTIONS = ("accept", "transfer", "escalate", "reject", "progress", "resolve", "whistle")
NOT_ALLOWED = "没有权限"
NOT_NOW = "当前环节不能进行此操作"
LY02_RESIDENT = 2003  # 张秀梅, 临月里12号楼 → 临月里第二网格 (worker 李娜 1003)


async def forged_tap(world: World, person: Persona, data: str) -> dict[str, Any]:
    """A callback query with any data on the person's latest message, as a modified
    client could send it."""
    chat = world.state.chats[person.user_id]
    stored = next(reversed(chat.messages.values()))
    return tap(world.state, world.state.users[person.user_id], chat, stored, data)


async def snapshot(world: World, case: Case) -> tuple[Any, ...]:
    now = await fresh(world, case)
    return now.status, now.level, now.assignee_id, len(await actions_of(world, case))


async def test_forged_card_taps_on_someone_elses_case_are_refused_and_change_nothing(
    world: World,
) -> None:
    people = await open_chats(
        world, OTHER_RESIDENT, WORKER, PARTY_MEMBER, SUPERVISOR, GRID_LEADER, OTHER_WORKER
    )
    case = await report(
        world, world.persona(LY02_RESIDENT), "12号楼垃圾没人清", category="环境卫生"
    )
    assert case.id is not None
    before = await snapshot(world, case)
    *strangers, assignee = people
    # The assignee (李娜) may not whistle or urge; the others may not touch another grid's case.
    attempts = [(p, a) for p in strangers for a in (*CARD_ACTIONS, "urge")]
    attempts = [(p, a) for p, a in attempts if not (p.user_id == SUPERVISOR and a == "urge")]
    attempts += [(assignee, "whistle"), (assignee, "urge")]
    for person, action in attempts:
        answer = await toast(world, await forged_tap(world, person, case_callback(action, case.id)))
        assert NOT_ALLOWED in answer["text"], (person, action, answer)
        said = await person.private_chat().last_text()
        assert NOT_ALLOWED in said and "垃圾" not in said
    assert await snapshot(world, case) == before
    for person in strangers:  # nobody was asked for a note or a choice either
        buttons = await person.private_chat().buttons()
        assert "取消" not in buttons and "公安" not in buttons


async def test_a_stale_button_after_the_case_moved_on_is_refused(world: World) -> None:
    worker, leader = await open_chats(world, WORKER, GRID_LEADER)
    case = await report(world, world.persona(2001), "楼道堆满杂物", category="环境卫生")
    assert case.id is not None
    await worker.private_chat().wait_for(lambda t: case.number in t)
    await worker.tap("上报")
    await worker.private_chat().wait_for(lambda t: "已上报上一级" in t)
    before = await snapshot(world, case)

    for action in ("accept", "escalate", "progress"):
        answer = await toast(world, await forged_tap(world, worker, case_callback(action, case.id)))
        assert NOT_ALLOWED in answer["text"] or NOT_NOW in answer["text"]
    answer = await toast(world, await forged_tap(world, leader, case_callback("accept", case.id)))
    assert NOT_ALLOWED in answer["text"]  # the grid leader's grid no longer holds it
    assert await snapshot(world, case) == before


async def test_a_double_tap_on_accept_accepts_once_and_answers_each_tap_once(
    world: World,
) -> None:
    [worker] = await open_chats(world, WORKER)
    case = await report(world, world.persona(2001), "单元门禁坏了", category="环境卫生")
    assert case.id is not None
    await worker.private_chat().wait_for(lambda t: case.number in t)
    card = await worker.private_chat().last_message()
    assert card is not None
    body = worker._body(None, label="接单", message_id=card["message_id"])
    first, second = await asyncio.gather(
        world.post("/sim/callback", body), world.post("/sim/callback", body)
    )

    answers = sorted([(await toast(world, first))["text"], (await toast(world, second))["text"]])
    assert any("接单成功" in a for a in answers)
    assert any(NOT_NOW in a for a in answers)
    assert (await actions_of(world, case)).count("accept") == 1
    ids = {first["callback_query_id"], second["callback_query_id"]}
    calls = await world.outbox(method="answerCallbackQuery")
    assert sorted(
        c["params"]["callback_query_id"] for c in calls if c["params"]["callback_query_id"] in ids
    ) == sorted(ids)
