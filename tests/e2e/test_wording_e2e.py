"""What a newcomer meets (issue 13): /start offers the grid picker to residents only, a
public report made in the private chat shows in the building's group (and says so before
the choice), and a tap on a stale card is answered at once with what happened."""

from __future__ import annotations

from dataclasses import replace

from gridbot.domain.case import Case, CaseStatus

from .flows import RESIDENT, bind, case_by_number, report, until_public_question
from .harness import ChatView, Group, Persona, World


async def card_then_moved(
    world: World, case: Case, status: CaseStatus, *, tapped: str = "", shows: str = "提交反映"
) -> None:
    """The resident opens the case's card from /my (and taps ``tapped`` on it) until the
    chat ``shows`` the text; then the case moves on to ``status``, as the grid team
    would make it, behind the card's back."""
    resident = world.persona(RESIDENT)
    await resident.send("/my")
    await resident.tap(case.number)
    if tapped:
        await resident.tap(tapped)
    await resident.private_chat().wait_for(lambda t: shows in t)
    async with world.database.uow() as uow:
        await uow.cases.update(replace(case, status=status))
        await uow.commit()


async def building_group(world: World) -> tuple[Persona, Persona, Group]:
    """The resident, the grid worker (who has opened the bot), and the residents' group of
    the resident's building, bound."""
    resident, worker = world.persona(RESIDENT), world.persona(WORKER)
    await worker.send("/start")
    group = world.group("临月里3号楼群", members=[resident])
    await bind(world, group, "DL-WX-LY-01-B03")
    return resident, worker, group


async def labels(chat: ChatView, text: str) -> list[str]:
    """The inline buttons of the bot's latest message here that contains ``text``."""
    found = [m for m in await chat.bot_messages() if text in (m.get("text") or "")]
    rows = found[-1].get("reply_markup", {}).get("inline_keyboard", []) if found else []
    return [button["text"] for row in rows for button in row]


WORKER = 1001  # 张伟, grid worker of 临月里第一网格
SUPERVISOR = 1022  # supervisor of 万新街道


async def test_staff_start_offers_no_grid_picker_but_residents_and_strangers_get_it(
    world: World,
) -> None:
    supervisor, worker = world.persona(SUPERVISOR), world.persona(WORKER)
    resident, stranger = world.persona(RESIDENT), world.stranger(9101, "小新")

    for staff in (supervisor, worker):
        await staff.send("/start")
        await staff.private_chat().wait_for(lambda t: "/help" in t)
        assert await staff.private_chat().buttons() == []
    await resident.send("/start")
    await resident.private_chat().wait_for(lambda t: "/help" in t)
    assert await resident.private_chat().buttons() == ["更换网格"]
    await stranger.send("/start")
    await stranger.private_chat().wait_for(lambda t: "/help" in t)
    assert await stranger.private_chat().buttons() == ["找到我的网格"]


async def test_a_public_report_made_in_private_chat_shows_in_the_buildings_group(
    world: World,
) -> None:
    resident, worker, group = await building_group(world)
    chat = resident.private_chat()

    asked = await until_public_question(resident, "楼道里堆满了纸箱，我是李桂兰，电话13900002001")
    assert "临月里3号楼的居民群只会看到下面这一行" in asked
    await resident.tap("邻居可在群里看到进展")
    await resident.tap("提交")
    answer = await chat.wait_for(lambda t: "已登记" in t)
    case = await case_by_number(world, answer.split("编号 ")[1].split("。")[0])
    assert case.public and case.source_chat_id is None

    posted = await group.wait_for(lambda t: case.number in t)
    assert "临月里3号楼" in posted and "环境卫生" in posted and "纸箱" in posted
    for secret in ("李桂兰", "13900002001"):
        assert secret not in posted
    await worker.tap("接单")
    progress = await group.wait_for(lambda t: case.number in t and "办理中" in t)
    assert "李桂兰" not in progress
    assert all("photo" not in m for m in await group.bot_messages())


async def test_a_private_report_made_in_private_chat_shows_nothing_in_the_group(
    world: World,
) -> None:
    resident, worker, group = await building_group(world)

    case = await report(world, resident, "楼道灯不亮", public=False)
    await worker.private_chat().wait_for(lambda t: case.number in t)
    await worker.tap("接单")
    await resident.private_chat().wait_for(lambda t: "已被接单" in t)
    await world.settle()

    assert not case.public
    assert await group.bot_messages() == []


async def test_without_a_bound_group_the_choice_says_nobody_else_sees_it(world: World) -> None:
    asked = await until_public_question(world.persona(RESIDENT), "楼道里堆满了纸箱")
    assert "还没有绑定居民群" in asked and "只有您和网格团队能看到" in asked


async def test_withdraw_on_a_stale_card_is_answered_at_once_and_the_button_goes(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    case = await report(world, resident, "楼道堆放杂物")
    chat = resident.private_chat()
    await card_then_moved(world, case, CaseStatus.RESOLVED)

    await resident.tap("撤回")
    answer = await chat.wait_for(lambda t: case.number in t and "不能撤回" in t)

    assert "已办结" in answer and "未做任何更改" in answer
    assert not any("确定撤回" in (m.get("text") or "") for m in await chat.bot_messages())
    card = await labels(chat, "提交反映")
    assert "撤回" not in card and "补充" not in card
    assert (await case_by_number(world, case.number)).status == CaseStatus.RESOLVED


async def test_confirming_a_withdrawal_after_the_case_moved_on_says_what_happened(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    case = await report(world, resident, "楼道堆放杂物")
    chat = resident.private_chat()
    await card_then_moved(world, case, CaseStatus.CLOSED, tapped="撤回", shows="确定撤回")

    await resident.tap("确认撤回")
    answer = await chat.wait_for(lambda t: case.number in t and "不能撤回" in t)

    assert "已结案" in answer
    assert await labels(chat, "确定撤回") == []
    assert (await case_by_number(world, case.number)).status == CaseStatus.CLOSED
