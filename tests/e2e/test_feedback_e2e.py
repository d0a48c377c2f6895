"""The end of the loop through the stand, on the bot's own schedule and through restarts: the
resident rates a resolved case 不满意 and it is handled again (重办); resolved again, rated
满意, it closes and its follow-up visit (回访) falls due days later; a case nobody rates is
reminded of once and closes unrated; residents hear nothing in their quiet hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from gridbot.domain.case import Case, CaseStatus
from gridbot.domain.messaging import DueKind
from gridbot.handlers.common.callbacks import CaseCallback

from .flows import RESIDENT, report, toast
from .harness import ChatView, Persona, World
from .wish_play import answer_to, forge
from .worker_play import GRID_LEADER, OTHER_WORKER, WORKER, actions_of, fresh, open_chats

TZ = ZoneInfo("Asia/Shanghai")
RATE_REMINDER = "提醒：请评价事项"


async def count(chat: ChatView, text: str) -> int:
    return sum(text in (m.get("text") or m.get("caption") or "") for m in await chat.bot_messages())


async def accept(worker: Persona, case: Case) -> None:
    await worker.private_chat().wait_for(lambda t: case.number in t)
    await worker.tap("接单")
    await worker.private_chat().wait_for(lambda t: "接单成功" in t)


async def resolve(worker: Persona, note: str) -> None:
    chat = worker.private_chat()
    await worker.tap("办结")
    await chat.wait_for(lambda t: "做了哪些处理" in t)
    await worker.send(note)
    await chat.wait_for(lambda t: "请发送处理结果的照片" in t)
    await worker.tap("完成")
    await chat.wait_for(lambda t: "已办结" in t)


async def resolved_case(
    world: World, worker: Persona, text: str, note: str
) -> tuple[Persona, ChatView, Case]:
    """The resident reports ``text`` (环境卫生), the worker accepts and resolves it with
    ``note``, and the resident is asked to rate it: the resident, their chat, the case."""
    resident = world.persona(RESIDENT)
    home = resident.private_chat()
    case = await report(world, resident, text, category="环境卫生")
    await accept(worker, case)
    await resolve(worker, note)
    await home.wait_for(lambda t: f"您的事项 {case.number} 已办结" in t)
    return resident, home, case


async def pending(world: World, kind: DueKind, ref: str) -> list[datetime]:
    async with world.database.reader() as uow:
        return [item.due_at for item in await uow.due.pending(kind, ref)]


async def ratings(world: World, case: Case) -> list[str]:
    assert case.id is not None
    async with world.database.reader() as uow:
        return [r.value for r in await uow.cases.ratings(case.id)]


async def test_unsatisfied_reopens_then_satisfied_closes_and_the_follow_up_visit_comes_due(
    world: World,
) -> None:
    worker, leader = await open_chats(world, WORKER, GRID_LEADER)
    resident, home, case = await resolved_case(
        world, worker, "12号楼门口垃圾堆了三天", "已安排清运，垃圾已清走"
    )

    asked = await home.wait_for(lambda t: f"您的事项 {case.number} 已办结" in t)
    assert "已安排清运" in asked
    assert await home.buttons() == ["满意", "基本满意", "不满意"]
    # The branch secretary (王芳 leads the grid and is its secretary): one line, no names.
    line = await leader.private_chat().wait_for(
        lambda t: f"事项 {case.number}（环境卫生）已办结" in t
    )
    assert "李桂兰" not in line and "13900002001" not in line

    # Someone else's tap on the resident's button is refused and changes nothing.
    assert case.id is not None
    intruder = await forge(
        world, worker, CaseCallback(action="rate_satisfied", case_id=case.id).pack()
    )
    assert "没有权限" in (await answer_to(world, intruder)).get("text", "")
    assert (await fresh(world, case)).status == CaseStatus.RESOLVED

    await resident.tap("不满意")
    await home.wait_for(lambda t: "还有什么问题" in t)
    await resident.send("门口还剩几袋没清走，有异味")
    await home.wait_for(lambda t: "已转回重新办理" in t)
    reopened = await worker.private_chat().wait_for(lambda t: f"事项 {case.number} 重办" in t)
    assert "还剩几袋" in reopened
    await leader.private_chat().wait_for(lambda t: f"事项 {case.number}" in t and "不满意" in t)
    case = await fresh(world, case)
    assert case.status == CaseStatus.IN_PROGRESS and case.resolve_by is not None
    assert await ratings(world, case) == ["unsatisfied"]
    assert await pending(world, DueKind.RATING_POLL, case.number) == []

    # A tap on the first request's buttons now (the case moved on) changes nothing.
    stale = await resident.tap("满意", oldest=True)
    assert "不再等待评价" in (await toast(world, stale)).get("text", "")

    await world.restart()  # mid-way: nothing is lost, nothing sent twice
    await worker.send(f"/case {case.number}")
    await worker.private_chat().wait_for(lambda t: case.number in t and "办理中" in t)
    await resolve(worker, "剩余垃圾已全部清运并消毒")
    await home.wait_for(lambda t: f"您的事项 {case.number} 已办结" in t and "消毒" in t)
    await resident.tap("满意")
    await home.wait_for(lambda t: "感谢您对事项" in t)
    again = await resident.tap("满意")  # a second tap on the same request
    assert "已经评价" in (await toast(world, again)).get("text", "")
    await resident.tap("跳过")
    await home.wait_for(lambda t: "无需其他操作" in t)

    case = await fresh(world, case)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert await ratings(world, case) == ["unsatisfied", "satisfied"]
    due = case.closed_at + timedelta(days=3)  # 环境卫生: follow_up_days 3
    assert await pending(world, DueKind.FOLLOW_UP, case.number) == [due]

    await world.restart()
    world.advance(due - timedelta(minutes=1) - world.clock.now())
    await world.settle(quiet=1.5)  # more than a scheduler tick
    assert await count(worker.private_chat(), f"回访提醒：事项 {case.number}") == 0
    world.advance(timedelta(minutes=2))
    card = await worker.private_chat().wait_for(
        lambda t: f"回访提醒：事项 {case.number}" in t, timeout=10
    )
    assert "李桂兰" in card  # the visitor needs to know whom to visit (a private chat)
    await world.restart()  # right after the reminder: it is not sent again
    await world.settle(quiet=1.5)
    assert await count(worker.private_chat(), f"回访提醒：事项 {case.number}") == 1

    await worker.tap("回访正常")
    await worker.private_chat().wait_for(lambda t: "回访情况" in t)
    await worker.send("已上门回访，门口干净，居民满意")
    await worker.private_chat().wait_for(lambda t: "回访正常" in t and "已记录" in t)
    await worker.send("/visits")
    await worker.private_chat().wait_for(lambda t: "今天没有到期的走访或回访" in t)

    actions = await actions_of(world, case)
    assert actions.count("resolve") == 2 and actions.count("rate_unsatisfied") == 1
    assert actions[-3:] == ["rate_satisfied", "follow_up_due", "follow_up_ok"]
    assert await pending(world, DueKind.FOLLOW_UP, case.number) == []
    assert case.id is not None
    async with world.database.reader() as uow:
        visit = await uow.cases.get_visit(case.id)
    assert visit is not None and visit.outcome == "no_recurrence"
    assert "已上门回访" in (visit.note or "")


async def test_an_unrated_case_is_reminded_once_then_closes_unrated(world: World) -> None:
    (worker,) = await open_chats(world, WORKER)
    resident, home, case = await resolved_case(world, worker, "小区路灯不亮", "已更换灯泡")
    resolved_at = (await fresh(world, case)).resolved_at
    assert resolved_at is not None
    remind_at = resolved_at + timedelta(hours=24)
    assert await pending(world, DueKind.RATING_POLL, case.number) == [remind_at]

    world.advance(remind_at - world.clock.now())
    reminded = await home.wait_for(lambda t: RATE_REMINDER in t, timeout=10)
    assert "72" in reminded and await home.buttons() == ["满意", "基本满意", "不满意"]
    await world.restart()
    await world.settle(quiet=1.5)
    assert await count(home, RATE_REMINDER) == 1
    (close_at,) = await pending(world, DueKind.RATING_POLL, case.number)
    # 72 hours after the reminder went out (on the scheduler's tick after it fell due)
    assert timedelta(0) <= close_at - (remind_at + timedelta(hours=72)) < timedelta(seconds=10)

    world.advance(close_at - world.clock.now())
    await home.wait_for(lambda t: f"您的事项 {case.number} 已结案" in t, timeout=10)
    case = await fresh(world, case)
    assert case.status == CaseStatus.CLOSED and await ratings(world, case) == []
    assert "close" in await actions_of(world, case)
    late = await resident.tap("满意")  # the reminder's button, after it closed
    assert "不再等待评价" in (await toast(world, late)).get("text", "")
    assert await ratings(world, case) == [] and await count(home, RATE_REMINDER) == 1


async def test_residents_hear_nothing_in_quiet_hours_until_morning(world: World) -> None:
    (worker,) = await open_chats(world, WORKER)
    resident = world.persona(RESIDENT)
    home = resident.private_chat()
    case = await report(world, resident, "楼下有人焚烧垃圾", category="环境卫生")
    await accept(worker, case)
    await home.wait_for(lambda t: "已被接单" in t)

    local = world.clock.now().astimezone(TZ)
    night = datetime.combine(local.date(), time(22, 30), TZ)
    world.advance(night - world.clock.now())
    await resolve(worker, "已劝阻并清理现场")
    await world.settle(quiet=1.5)
    assert await count(home, "已办结") == 0  # waits for the morning
    morning = datetime.combine(local.date() + timedelta(days=1), time(8), TZ)
    world.advance(morning - timedelta(minutes=5) - world.clock.now())
    await world.settle(quiet=1.5)
    assert await count(home, "已办结") == 0
    world.advance(timedelta(minutes=6))
    await home.wait_for(lambda t: f"您的事项 {case.number} 已办结" in t, timeout=10)
    assert await home.buttons() == ["满意", "基本满意", "不满意"]


async def test_the_reason_for_unsatisfied_must_be_text_and_cancel_changes_nothing(
    world: World,
) -> None:
    (worker,) = await open_chats(world, WORKER)
    resident, home, case = await resolved_case(world, worker, "楼道堆放杂物", "已清理")

    await resident.tap("不满意")
    await home.wait_for(lambda t: "还有什么问题" in t)
    await resident.sticker()
    await home.wait_for(lambda t: "请用文字" in t)
    await resident.send("杂" * 10_000)
    await home.wait_for(lambda t: "10000" in t)
    await resident.send("/cancel")
    await home.wait_for(lambda t: bool(t))
    await world.settle()
    assert (await fresh(world, case)).status == CaseStatus.RESOLVED
    assert await ratings(world, case) == []

    await resident.tap("基本满意")  # the request's buttons still work
    await home.wait_for(lambda t: "感谢您对事项" in t)
    assert (await fresh(world, case)).status == CaseStatus.CLOSED
    assert await ratings(world, case) == ["basically_satisfied"]


async def test_a_follow_up_visit_finds_the_problem_back_and_reopens_the_case(world: World) -> None:
    worker, other = await open_chats(world, WORKER, OTHER_WORKER)
    resident, home, case = await resolved_case(world, worker, "小区门口井盖松动", "已固定井盖")
    await resident.tap("满意")
    await home.wait_for(lambda t: "感谢您对事项" in t)
    (due,) = await pending(world, DueKind.FOLLOW_UP, case.number)
    world.advance(due - world.clock.now())
    await worker.private_chat().wait_for(lambda t: f"回访提醒：事项 {case.number}" in t, timeout=10)

    assert case.id is not None
    forged = CaseCallback(action="follow_up_ok", case_id=case.id).pack()
    assert "没有权限" in (await answer_to(world, await forge(world, other, forged))).get("text", "")

    await worker.tap("问题反复")
    await worker.private_chat().wait_for(lambda t: "问题如何反复" in t)
    await worker.photo()
    await worker.private_chat().wait_for(lambda t: "已收到 1 张照片" in t)
    await worker.send("井盖又松了，踩上去晃动")
    await worker.private_chat().wait_for(lambda t: "问题反复，已转回重新办理" in t)
    await home.wait_for(lambda t: case.number in t and "重新办理" in t)
    case = await fresh(world, case)
    assert case.status == CaseStatus.IN_PROGRESS and case.reopen_count == 1
    assert await pending(world, DueKind.FOLLOW_UP, case.number) == []
    # The tapped reminder lost its buttons; an old copy of them, tapped again, is refused.
    again = CaseCallback(action="follow_up_recurred", case_id=case.id).pack()
    refused = await answer_to(world, await forge(world, worker, again))
    assert "没有待记录的回访" in refused.get("text", "")
    assert (await fresh(world, case)).reopen_count == 1


async def test_a_case_waiting_for_a_rating_can_be_rated_from_my_cases(world: World) -> None:
    (worker,) = await open_chats(world, WORKER)
    resident, home, case = await resolved_case(world, worker, "单元门禁坏了", "已修好门禁")

    await resident.send("/my")
    await home.wait_for(lambda t: "我的诉求和心愿" in t)
    await resident.tap(case.number)
    await home.wait_for(lambda t: "已修好门禁" in t)
    assert (await home.buttons())[:3] == ["满意", "基本满意", "不满意"]
    await resident.tap("基本满意")
    await home.wait_for(lambda t: "感谢您对事项" in t)
    assert await ratings(world, case) == ["basically_satisfied"]

    await resident.send("/my")
    await home.wait_for(lambda t: "我的诉求和心愿" in t)
    await resident.tap(case.number)
    await home.wait_for(lambda t: "已修好门禁" in t)
    assert "满意" not in await home.buttons()  # rated: nothing more to rate
