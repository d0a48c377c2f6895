"""Helpers for the resident-flow tests: play a whole report, seed cases, read rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus

from .harness import Group, Persona, World

RESIDENT = 2001  # 李桂兰, 临月里3号楼 → 临月里第一网格 (worker 张伟 1001)
ENGLISH_RESIDENT = 2006  # 周小雨, 詹滨里第一网格 (worker 陈静 1005), language en


async def cases_of(world: World, telegram_id: int) -> list[Case]:
    async with world.database.reader() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return list(await uow.cases.by_reporter(person.id, limit=100))


async def case_by_number(world: World, number: str) -> Case:
    async with world.database.reader() as uow:
        case = await uow.cases.by_number(number)
    assert case is not None
    return case


async def bind(world: World, group: Group, unit_code: str) -> None:
    async with world.database.uow() as uow:
        binding = ChatBinding(group.chat_id, unit_code, BindingKind.BUILDING, datetime.now(UTC))
        await uow.bindings.save(binding)
        await uow.commit()


async def describe(resident: Persona, category: str, text: str) -> None:
    chat = resident.private_chat()
    await resident.tap(category)
    await chat.wait_for(lambda t: "描述" in t or "describe" in t)
    await resident.send(text)
    await chat.wait_for(lambda t: "照片" in t or "photos" in t)


async def until_public_question(
    resident: Persona, text: str, *, category: str = "环境卫生", start: str = "/report"
) -> str:
    """The Chinese report flow in the private chat up to the public/private question (no
    photo, no location); that question's text."""
    chat = resident.private_chat()
    await resident.send(start, chat=chat)
    await chat.wait_for(lambda t: "请选择类别" in t)
    await describe(resident, category, text)
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    return await chat.wait_for(lambda t: "是否允许邻居" in t)


async def report(
    world: World,
    resident: Persona,
    text: str,
    *,
    category: str = "环境卫生",
    public: bool = False,
    start: str = "/report",
) -> Case:
    """The whole Chinese report flow in the private chat (no photo, no location), begun
    with ``start`` (``/start r_…`` continues one started in a group)."""
    chat = resident.private_chat()
    await until_public_question(resident, text, category=category, start=start)
    await resident.tap("邻居可在群里看到进展" if public else "不公开：仅本人和网格团队可见")
    await resident.tap("提交")
    answer = await chat.wait_for(lambda t: "已登记" in t)
    number = answer.split("编号 ")[1].split("。")[0]
    return await case_by_number(world, number)


async def seed_cases(
    world: World,
    telegram_id: int,
    count: int,
    *,
    age: timedelta = timedelta(hours=2),
    **fields: Any,
) -> list[Case]:
    """Cases stored directly, ``age`` old (by default too old to count against the hourly
    limit), oldest first."""
    made: list[Case] = []
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None
        for index in range(count):
            at = world.clock.now() - age - timedelta(minutes=count - index)
            values: dict[str, Any] = {
                "kind": CaseKind.ISSUE,
                "category_code": "env",
                "text": f"第{index + 1}件事",
                "grid_code": "DL-WX-LY-01",
                **fields,
            }
            values.setdefault("unit_code", values["grid_code"])
            number = await uow.cases.next_number(at.year)
            case = Case(number=number, reporter_id=person.id, created_at=at, **values)
            case = await uow.cases.add(case)
            assert case.id is not None
            event = CaseEvent(case.id, "submit", person.id, at, None, CaseStatus.SUBMITTED)
            await uow.cases.add_event(event)
            made.append(case)
        await uow.commit()
    return made


async def toast(world: World, tapped: dict[str, Any]) -> dict[str, Any]:
    """What the bot answered to a tap (answerCallbackQuery), once it has."""
    await world.settle()
    answer = await world.get(f"/sim/callback/{tapped['callback_query_id']}")
    assert answer["answered"], answer
    return dict(answer["answer"])
