"""Reporting an issue or hazard: registration, dispatch, deadlines, numbers and notices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import CaseKind, CaseLevel, CaseStatus, Location, Priority
from gridbot.domain.errors import NotBound, NotFound, RateLimited, ValidationFailed
from gridbot.domain.messaging import ChatKind, DueKind
from gridbot.domain.org import Category, Role
from gridbot.domain.texts import MAX_TEXT
from gridbot.services.reports import reporting_grid

from .conftest import GROUP, OTHER_GRID, POLICE_GUIDE, RESIDENT, SECRETARY, T0, WORKER, Town

WORKER_GROUP = -1009001


async def test_a_report_lands_on_the_residents_grid_worker_with_deadlines_and_a_number(
    town: Town,
) -> None:
    case = await town.report(location=Location(39.1, 117.3, "3号楼东门"))
    worker = await town.person(WORKER)
    assert case.number == "2026-000001"
    assert (case.grid_code, case.unit_code, case.level) == ("DL-WX-LY-01", "DL-WX-LY-01", "grid")
    assert case.status == CaseStatus.ASSIGNED and case.assignee_id == worker.id
    # env: respond in 2 hours; resolve in 48 hours, by the end of that local day.
    assert case.respond_by == datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    assert case.resolve_by == datetime(2026, 3, 4, 15, 59, 59, tzinfo=UTC)
    async with town.db.reader() as uow:
        stored = await uow.cases.by_number(case.number)
        assert stored is not None and stored.id is not None
        events = await uow.cases.events(stored.id)
    assert stored.location == Location(39.1, 117.3, "3号楼东门")
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("submit", None, CaseStatus.SUBMITTED),
        ("assign", CaseStatus.SUBMITTED, CaseStatus.ASSIGNED),
    ]
    assert events[1].assignee_id == worker.id and events[1].level == CaseLevel.GRID
    due = [(d.kind, d.ref, d.due_at) for d in await town.due_items()]
    assert due == [
        (DueKind.RESPOND_DEADLINE, case.number, case.respond_by),
        (DueKind.RESOLVE_DEADLINE, case.number, case.resolve_by),
    ]


async def test_the_reporter_gets_the_number_and_the_worker_a_card_without_the_reporters_phone(
    town: Town,
) -> None:
    case = await town.report(photos=("photo-1", "photo-2"), priority=Priority.URGENT)
    [confirmation] = await town.outbox(RESIDENT)
    assert confirmation.method == "sendMessage" and case.number in confirmation.params["text"]
    assert "已登记" in confirmation.params["text"]
    [card] = await town.outbox(WORKER)
    assert card.method == "sendPhoto" and card.params["photo"] == "photo-1"
    caption = card.params["caption"]
    assert case.number in caption and "环境卫生" in caption and "垃圾" in caption
    assert "紧急" in caption and "2 张照片" in caption and "2026-03-02 11:00" in caption
    assert "13900002001" not in caption and "李桂兰" not in caption
    buttons = card.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in buttons] == [["接单"], ["转派", "上报", "退回"]]
    assert buttons[0][0]["callback_data"] == f"c:accept:{case.id}"
    assert buttons[1][2]["callback_data"] == f"c:reject:{case.id}"


async def test_a_security_report_goes_to_the_police_guide_of_the_grid(town: Town) -> None:
    case = await town.report(category_code="security", text="楼下有陌生人撬电动车")
    guide = await town.person(POLICE_GUIDE)
    assert case.assignee_id == guide.id
    assert len(await town.outbox(POLICE_GUIDE)) == 1
    assert await town.outbox(WORKER) == []


async def test_case_numbers_count_up_within_the_local_year(town: Town) -> None:
    first = await town.report()
    second = await town.report(kind=CaseKind.HAZARD, category_code="safety", text="电线裸露")
    assert (first.number, second.number) == ("2026-000001", "2026-000002")


async def test_the_sixth_report_in_an_hour_is_refused_and_changes_nothing(town: Town) -> None:
    for _ in range(5):
        await town.report()
        town.clock.advance(minutes=10)
    before = (len(await town.outbox()), len(await town.due_items()))
    with pytest.raises(RateLimited):
        await town.report()
    assert (len(await town.outbox()), len(await town.due_items())) == before
    async with town.db.reader() as uow:
        assert await uow.cases.by_number("2026-000006") is None
    town.clock.advance(minutes=11)  # the first one is now more than an hour old
    assert (await town.report()).number == "2026-000006"


async def test_a_stranger_cannot_report(town: Town) -> None:
    with pytest.raises(NotBound):
        await town.report(9002)
    assert await town.outbox() == []


@pytest.mark.parametrize(
    ("text", "code"), [("   ", "text_empty"), ("x" * (MAX_TEXT + 1), "text_too_long")]
)
async def test_empty_or_too_long_text_is_refused(town: Town, text: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await town.report(text=text)
    assert refused.value.details["code"] == code and refused.value.details["limit"] == MAX_TEXT
    assert await town.outbox() == []


async def test_text_is_stripped_and_exactly_the_limit_is_accepted(town: Town) -> None:
    case = await town.report(text=f"  {'x' * MAX_TEXT}\n")
    assert case.text == "x" * MAX_TEXT


async def test_an_inactive_or_unknown_category_or_too_many_photos_is_refused(town: Town) -> None:
    async with town.db.uow() as uow:
        await uow.categories.save(Category("old", "旧类别", Role.GRID_WORKER, active=False))
        await uow.commit()
    with pytest.raises(ValidationFailed):
        await town.report(category_code="old")
    with pytest.raises(NotFound):
        await town.report(category_code="nope")
    with pytest.raises(ValidationFailed) as refused:
        await town.report(photos=tuple(f"p{i}" for i in range(6)))
    assert refused.value.details["code"] == "too_many_photos"
    assert await town.outbox() == []


async def test_a_report_from_a_bound_group_lands_on_that_groups_grid(town: Town) -> None:
    await town.bind_group(GROUP, "DL-WX-LY-01-B03")
    other, stranger = await town.actor(OTHER_GRID), await town.actor(9002)
    async with town.db.reader() as uow:
        assert (await reporting_grid(uow, other, GROUP))[0].code == "DL-WX-LY-01"
        assert (await reporting_grid(uow, other, None))[0].code == "DL-WX-ZB-01"
        assert (await reporting_grid(uow, stranger, GROUP))[0].code == "DL-WX-LY-01"
        with pytest.raises(NotBound):
            await reporting_grid(uow, stranger, -999)
    case = await town.report(OTHER_GRID, source_chat_id=GROUP)
    assert case.grid_code == "DL-WX-LY-01" and case.assignee_id == (await town.person(WORKER)).id


async def test_a_public_report_is_posted_in_its_group_without_personal_data(town: Town) -> None:
    await town.bind_group()
    text = (
        "我是李桂兰，电话13900002001，3号楼下水道堵了，污水漫到路上了，麻烦尽快处理一下，谢谢大家"
    )
    case = await town.report(text=text, public=True, source_chat_id=GROUP)
    [post] = await town.outbox(GROUP)
    assert post.chat_kind == ChatKind.GROUP and post.method == "sendMessage"
    body = post.params["text"]
    assert case.number in body and "环境卫生" in body and "已派给网格团队" in body
    assert "13900002001" not in body and "2001" not in body.replace(case.number, "")
    assert len(body) < len(text) + 120  # a short summary, not the whole text
    rows = post.params["reply_markup"]["inline_keyboard"]
    assert rows == [
        [{"text": "同样问题", "callback_data": f"c:affected:{case.id}"}],
        [{"text": "私聊查看进展", "url": f"https://t.me/gridbot_test_bot?start=c_{case.number}"}],
    ]


async def test_the_group_post_masks_every_name_number_and_room_of_issue_11(town: Town) -> None:
    await town.bind_group()
    text = (
        "我是李桂兰，电话13900002001，身份证号12011019800101234X，住3号楼2单元501室，"
        "微信lgl2001，楼道灯坏了，联系王建华也可以"
    )
    case = await town.report(text=text, public=True, source_chat_id=GROUP)
    [post] = await town.outbox(GROUP)
    body = post.params["text"].replace(case.number, "")
    for secret in ("李桂兰", "王建华", "lgl", "2001", "1201101980", "234X", "501", "2单元"):
        assert secret not in body
    assert "3号楼" in body and "楼道灯" in body


async def test_a_private_report_or_an_unbound_group_gets_no_group_post(town: Town) -> None:
    await town.report(public=False, source_chat_id=GROUP)
    await town.report(public=True, source_chat_id=GROUP)  # the group is not bound
    assert await town.outbox(GROUP) == []


async def test_with_nobody_on_duty_in_the_grid_the_community_takes_the_case(town: Town) -> None:
    async with town.db.uow() as uow:
        for telegram_id in (1003, 1004):  # the worker and leader of DL-WX-LY-02
            person = await uow.people.by_telegram_id(telegram_id)
            assert person is not None and person.id is not None
            await uow.people.set_roles(person.id, [])
        await uow.commit()
    case = await town.report(2003)
    staff = await town.person(1017)  # 林小红, community staff of DL-WX-LY
    assert (case.level, case.unit_code, case.assignee_id) == ("community", "DL-WX-LY", staff.id)
    assert case.created_at == T0


async def test_the_branch_secretary_is_copied_without_buttons_and_the_worker_group_gets_a_line(
    town: Town,
) -> None:
    async with town.db.uow() as uow:
        await uow.bindings.save(
            ChatBinding(WORKER_GROUP, "DL-WX-LY-01", BindingKind.WORKER_GROUP, T0, "第一网格工作群")
        )
        await uow.commit()
    case = await town.report()
    [copy] = await town.outbox(SECRETARY)
    assert case.number in copy.params["text"] and "张伟" in copy.params["text"]
    assert "reply_markup" not in copy.params
    [line] = await town.outbox(WORKER_GROUP)
    assert line.chat_kind == ChatKind.GROUP and case.number in line.params["text"]
    assert "李桂兰" not in line.params["text"] and "垃圾" not in line.params["text"]


async def test_a_located_case_gives_its_handler_a_map_pin_after_the_card(town: Town) -> None:
    await town.report(location=Location(39.1201, 117.3102, "3号楼东门"))
    card, pin = await town.outbox(WORKER)
    assert card.method == "sendMessage" and "3号楼东门" in card.params["text"]
    assert pin.method == "sendLocation"
    assert (pin.params["latitude"], pin.params["longitude"]) == (39.1201, 117.3102)


async def test_a_typed_address_gives_no_map_pin(town: Town) -> None:
    await town.report(location=Location(address="4号楼北侧"))
    assert [m.method for m in await town.outbox(WORKER)] == ["sendMessage"]


async def test_the_submit_writes_the_case_once_and_reads_nothing_while_it_holds_the_lock(
    town: Town,
) -> None:
    """Everything the notices of a private report need (the team, the workers' group, the
    names its line masks) is read before the write transaction: under load the next writer
    waits for this one. (A public one still looks its residents' group up inside.)"""
    async with town.db.uow() as uow:
        await uow.bindings.save(
            ChatBinding(WORKER_GROUP, "DL-WX-LY-01", BindingKind.WORKER_GROUP, T0, "第一网格工作群")
        )
        await uow.commit()
    written: list[str] = []

    def on_execute(*args: object) -> None:
        statement = args[2]
        assert isinstance(statement, str)
        written.append(" ".join(statement.split()[:3]))

    engine = town.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        case = await town.report(text="王建华家门口垃圾堆了三天")
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)

    assert [s for s in written if not s.startswith("INSERT")] == []
    tables = [s.split()[2] for s in written]
    assert tables == ["case_sequences", "cases", "case_events", "outbox", "due_items"]
    assert case.status == CaseStatus.ASSIGNED
    [line] = await town.outbox(WORKER_GROUP)
    body = line.params["text"]
    assert case.number in body and "王建华" not in body
