"""向群众汇报 through the stand: 1022 宋涛 (supervisor of 万新街道) previews the digest of
临月里社区 and publishes it; the residents' groups bound under it get it, its workers' group
and a group of the other community do not, and a forged second tap sends nothing again. A
resident's /digest is refused. On the bot's own schedule: the weekly digest arrives on
Monday morning (once, through a restart), and the supervisor's morning brief at the brief
time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from gridbot.handlers.common.callbacks import DigestCallback

from .flows import RESIDENT, report
from .harness import SHANGHAI, ChatView, Group, Persona, World
from .wish_play import answer_to, forge
from .worker_play import SUPERVISOR, WORKER, open_chats

DIGEST = "向群众汇报"
REFUSED = "工作简报仅供督查人员预览和发布"


async def bound_group(world: World, title: str, by: Persona, code: str) -> Group:
    """A group with the bot, bound to ``code`` by ``by`` with /bind, as a worker does."""
    group = world.group(title, members=[by])
    await by.send(f"/bind {code}", chat=group)
    await group.wait_for(lambda t: "已绑定" in t)
    return group


async def digests_in(chat: ChatView) -> list[str]:
    return [m.get("text", "") for m in await chat.bot_messages() if DIGEST in m.get("text", "")]


def local_at(world: World, day_offset: int, at: time) -> datetime:
    today = world.clock.now().astimezone(SHANGHAI).date()
    return datetime.combine(today + timedelta(days=day_offset), at, SHANGHAI)


async def test_a_supervisor_previews_and_publishes_to_the_residents_groups_only(
    world: World,
) -> None:
    supervisor, worker = await open_chats(world, SUPERVISOR, WORKER)
    zb_worker = world.persona(1005)  # 陈静, 詹滨里第一网格
    building = await bound_group(world, "临月里3号楼群", worker, "DL-WX-LY-01-B03")
    team = await bound_group(world, "临月里第一网格工作群", worker, "DL-WX-LY-01 worker")
    other = await bound_group(world, "詹滨里群", zb_worker, "DL-WX-ZB-01")
    resident = world.persona(RESIDENT)
    await report(world, resident, "3号楼门口垃圾堆了三天，电话13900002001", public=True)
    chat = supervisor.private_chat()

    await supervisor.send("/digest DL-WX-LY")
    preview = await chat.wait_for(lambda t: "预览" in t)
    assert "临月里社区 向群众汇报" in preview and "受理群众诉求 1 件" in preview
    assert "1 个居民群" in preview and "13900002001" not in preview
    assert await chat.buttons() == ["发布"]

    await supervisor.tap("发布")
    done = await chat.wait_for(lambda t: "已发布到 1 个居民群" in t)
    assert "李桂兰" not in done
    (posted,) = await wait_digests(world, building, 1)
    assert "临月里社区 向群众汇报" in posted and "李桂兰" not in posted
    assert "13900002001" not in posted
    await world.settle()
    assert await digests_in(team) == [] and await digests_in(other) == []

    # Who published what, when: the record.
    month = world.clock.now().astimezone(SHANGHAI).strftime("%Y-%m")
    async with world.database.reader() as uow:
        unit = await uow.org.get_unit("DL-WX-LY")
        record = await uow.digests.latest("DL-WX-LY", month)
        publisher = await uow.people.by_telegram_id(SUPERVISOR)
    assert unit is not None and unit.id is not None and record is not None
    assert publisher is not None and record.published_by == publisher.id
    assert record.groups == 1 and record.text.replace("<b>", "").replace("</b>", "") == posted
    # A second tap on the same preview (a double tap, or a forged one): nothing sent again.
    stamp = int(record.prepared_at.timestamp())
    data = DigestCallback(unit=unit.id, period=record.period_label, at=stamp).pack()
    again = await forge(world, supervisor, data)
    assert "已经发布过" in (await answer_to(world, again)).get("text", "")
    assert len(await digests_in(building)) == 1


async def wait_digests(world: World, group: ChatView, count: int) -> list[str]:
    await group.wait_for(lambda t: DIGEST in t, since=0)
    await world.settle()
    found = await digests_in(group)
    assert len(found) == count, found
    return found


async def test_a_resident_and_a_worker_are_refused_and_nothing_is_shown(world: World) -> None:
    resident, worker = await open_chats(world, RESIDENT, WORKER)
    for person in (resident, worker):
        await person.send("/digest")
        answer = await person.private_chat().wait_for(lambda t: REFUSED in t)
        assert DIGEST not in answer and "受理" not in answer


async def test_a_forged_publish_for_a_unit_outside_the_supervisors_is_refused(
    world: World,
) -> None:
    (supervisor,) = await open_chats(world, SUPERVISOR)
    worker = world.persona(WORKER)
    building = await bound_group(world, "临月里3号楼群", worker, "DL-WX-LY-01-B03")
    await supervisor.send("/digest")
    await supervisor.private_chat().wait_for(lambda t: "预览" in t)
    async with world.database.reader() as uow:
        district = await uow.org.get_unit("DL")
    assert district is not None and district.id is not None
    stamp = int(world.clock.now().timestamp())
    data = DigestCallback(unit=district.id, period="2026-01", at=stamp).pack()

    tapped = await forge(world, supervisor, data)

    assert REFUSED in (await answer_to(world, tapped)).get("text", "")
    assert await digests_in(building) == []
    await supervisor.send("/digest 明年")  # not a period: the forms it may take
    await supervisor.private_chat().wait_for(lambda t: "请发送 /digest 加以下之一" in t)


async def test_the_weekly_digest_arrives_on_monday_morning_once(world: World) -> None:
    worker = world.persona(WORKER)
    building = await bound_group(world, "临月里3号楼群", worker, "DL-WX-LY-01-B03")
    team = await bound_group(world, "临月里第一网格工作群", worker, "DL-WX-LY-01 worker")
    await report(world, world.persona(RESIDENT), "5号楼楼道灯坏了")
    today = world.clock.now().astimezone(SHANGHAI).date()
    monday = 7 - today.weekday()  # days to the next Monday
    week = today - timedelta(days=today.weekday())
    label = f"{week.isocalendar().year}-W{week.isocalendar().week:02d}"

    world.advance(local_at(world, monday, time(8, 58)) - world.clock.now())
    await world.settle(timeout=10)
    assert await digests_in(building) == []
    world.advance(timedelta(minutes=2))

    (text,) = await wait_digests(world, building, 1)
    assert label in text and "临月里社区 向群众汇报" in text and "受理群众诉求 1 件" in text
    await world.restart()  # right after: it is not sent again
    world.advance(timedelta(minutes=5))
    await world.settle(timeout=10)
    assert len([t for t in await digests_in(building) if label in t]) == 1
    assert await digests_in(team) == []


async def test_the_supervisors_morning_brief_arrives_at_the_brief_time(world: World) -> None:
    (supervisor,) = await open_chats(world, SUPERVISOR)
    await report(world, world.persona(RESIDENT), "3号楼门口垃圾堆了三天")
    today = world.clock.now().astimezone(SHANGHAI).date()
    chat = supervisor.private_chat()

    world.advance(local_at(world, 1, time(8, 0)) - world.clock.now())

    brief = await chat.wait_for(lambda t: "早上好" in t, timeout=10)
    assert f"万新街道 昨日（{today.isoformat()}）" in brief and "受理 1" in brief
    assert "当前超期：1 件" in brief and "临月里第一网格：超期 1" in brief
    assert "李桂兰" not in brief
