"""走访 end to end, on the bot's own schedule and through restarts: the grid leader puts a
key resident on the list; the visit falls due at 09:00 the interval later and the worker is
reminded once, whatever restarts happen in between; the worker records 需要帮助 and raises a
case that reaches the grid's worker; the next visit falls due the interval after that."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .care_play import LEADER, WORKER, care_person, reminders, visits
from .flows import case_by_number
from .harness import ChatView, Persona, World

TZ = ZoneInfo("Asia/Shanghai")
REMINDER = "走访提醒：李秀兰"


def nine_on(at: datetime) -> datetime:
    return datetime.combine(at.astimezone(TZ).date(), time(9), TZ)


async def count(chat: ChatView, text: str) -> int:
    return sum(text in (m.get("text") or "") for m in await chat.bot_messages())


async def add_care_person(leader: Persona) -> None:
    """李秀兰, disabled, visited every 3 days by 张伟."""
    chat = leader.private_chat()
    await leader.send("/care")
    await leader.tap("添加走访对象")
    await chat.wait_for(lambda t: "请发送对象姓名" in t)
    await leader.send("李秀兰")
    await leader.tap("残疾人")
    await leader.tap("每 3 天")
    await leader.tap("张伟")
    await chat.wait_for(lambda t: "请发送住址" in t)
    await leader.send("临月里3号楼1单元202")
    await chat.wait_for(lambda t: "请发送联系电话" in t)
    await leader.tap("跳过")
    await chat.wait_for(lambda t: "已加入走访名单" in t)


async def test_a_care_visit_comes_due_on_schedule_once_through_restarts_and_raises_a_case(
    world: World,
) -> None:
    leader, worker = world.persona(LEADER), world.persona(WORKER)
    chat = worker.private_chat()
    await worker.send("/start")
    await chat.wait_for(lambda t: bool(t))
    added_on = world.clock.now()
    await add_care_person(leader)
    person = await care_person(world, "李秀兰")
    due = nine_on(added_on + timedelta(days=3))
    assert person.next_visit_at == due
    assert [i.due_at for i in await reminders(world, person.id)] == [due]

    # Just before it falls due, the bot restarts: nothing is sent early, nothing is lost.
    world.advance(due - timedelta(minutes=1) - world.clock.now())
    await world.restart()
    await world.settle(quiet=1.5)  # more than a scheduler tick
    assert await count(chat, REMINDER) == 0
    assert [i.due_at for i in await reminders(world, person.id)] == [due]

    world.advance(timedelta(minutes=1))
    reminded = await chat.wait_for(lambda t: REMINDER in t, timeout=10)
    assert "残疾人" in reminded and "临月里3号楼1单元202" in reminded
    await world.restart()  # right after the reminder: it is not sent again
    await world.settle(quiet=1.5)
    assert await count(chat, REMINDER) == 1
    again = nine_on(due + timedelta(days=2))
    assert [i.due_at for i in await reminders(world, person.id)] == [again]

    # The worker records the visit from the reminder's button and raises a case.
    await worker.tap("记录走访")
    await chat.wait_for(lambda t: "走访情况如何" in t)
    await worker.tap("需要帮助")
    await chat.wait_for(lambda t: "需要什么帮助" in t)
    await worker.send("家中电线老化，插座冒火花")
    await chat.wait_for(lambda t: "如有走访照片" in t)
    await worker.tap("跳过")
    recorded = await chat.wait_for(lambda t: "已记录对李秀兰的走访" in t)
    next_due = nine_on(world.clock.now() + timedelta(days=3))
    assert f"下次走访：{next_due:%Y-%m-%d}" in recorded
    await worker.tap("上报事项")
    await worker.tap("设施维修")
    await chat.wait_for(lambda t: "请勿填写走访对象的姓名" in t)
    await worker.send("3号楼一户家中电线老化，插座冒火花，需要尽快检修")
    raised = await chat.wait_for(lambda t: "已登记并派给网格团队" in t)
    number = raised.split("事项 ")[1].split(" ")[0]
    card = await chat.wait_for(lambda t: f"新事项 {number}" in t)  # the grid worker's card
    assert "电线老化" in card and "李秀兰" not in card and "接单" in await chat.buttons()
    case = await case_by_number(world, number)
    assert case.assignee_id == person.worker_id and case.grid_code == person.grid_code

    # Another restart; the old repeat time passes with nothing sent; the next visit comes.
    await world.restart()
    world.advance(again + timedelta(minutes=1) - world.clock.now())
    await world.settle(quiet=1.5)
    assert await count(chat, REMINDER) == 1
    assert [i.due_at for i in await reminders(world, person.id)] == [next_due]
    world.advance(next_due - world.clock.now())
    await chat.wait_for(lambda t: REMINDER in t, since=0, timeout=10)
    await world.settle(quiet=1.5)
    assert await count(chat, REMINDER) == 2
    (visit,) = await visits(world, person.id)
    assert visit.outcome == "needs_help" and visit.case_id == case.id
