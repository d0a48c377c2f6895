"""Routing a new report to someone who can act (issue 11): the least loaded worker the bot
can reach; nobody reachable on the grid sends it up to the community at once, and the grid
leader hears why."""

from __future__ import annotations

from gridbot.domain.case import CaseLevel, CaseStatus
from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.services.membership.actors import identify

from .conftest import COMMUNITY, LEADER, WORKER, Desk

GRID = "DL-WX-LY-01"
SECOND_WORKER = 1099


async def hire_second_worker(desk: Desk) -> int:
    async with desk.uow() as uow:
        person = await uow.people.save(Person(name="赵强", telegram_id=SECOND_WORKER))
        assert person.id is not None
        await uow.people.add_role(RoleAssignment(person.id, Role.GRID_WORKER, GRID))
        await uow.commit()
    return person.id


async def mark_blocked(desk: Desk, telegram_id: int) -> None:
    async with desk.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None
        person.blocked_bot = True
        await uow.people.save(person)
        await uow.commit()


async def test_new_cases_go_to_the_worker_holding_the_fewest_open_cases(desk: Desk) -> None:
    worker, second = await desk.person_id(WORKER), await hire_second_worker(desk)

    first = await desk.report()
    then = await desk.report()
    third = await desk.report()

    holders = [c.assignee_id for c in (first, then, third)]
    lower, higher = sorted((worker, second))
    assert holders == [lower, higher, lower]


async def test_a_worker_who_blocked_the_bot_gets_no_new_case_however_idle(desk: Desk) -> None:
    await hire_second_worker(desk)
    busy = await desk.report()
    assert busy.assignee_id is not None
    idle = SECOND_WORKER if busy.assignee_id == await desk.person_id(WORKER) else WORKER
    await mark_blocked(desk, idle)

    case = await desk.report()

    assert case.assignee_id == busy.assignee_id
    assert (case.level, case.status) == (CaseLevel.GRID, CaseStatus.ASSIGNED)


async def test_nobody_reachable_on_the_grid_sends_the_case_up_and_tells_the_leader(
    desk: Desk,
) -> None:
    await mark_blocked(desk, WORKER)

    case = await desk.report()

    assert case.level == CaseLevel.COMMUNITY and case.unit_code == "DL-WX-LY"
    assert case.assignee_id == await desk.person_id(COMMUNITY)
    assert await desk.actions(case.id) == ["submit", "grid_unreachable", "assign"]
    told = [t for t in await desk.texts(LEADER) if case.number in t]
    assert any("直接上报社区" in t and "/team" in t for t in told), told
    assert not [t for t in await desk.texts(WORKER) if case.number in t]


async def test_a_worker_writing_to_the_bot_again_gets_cases_again(desk: Desk) -> None:
    await mark_blocked(desk, WORKER)
    await identify(desk.ctx, WORKER, in_private=True)  # they write to the bot in private

    case = await desk.report()

    assert case.assignee_id == await desk.person_id(WORKER)
