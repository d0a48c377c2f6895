"""The care register: the demo's care persons imported with their first visit due, the grid
leader adding one, another worker or interval, removing; who may see the lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from demo_town import import_demo_org
from gridbot.domain.errors import (
    NotBound,
    NotFound,
    PermissionDenied,
    UnknownUnit,
    ValidationFailed,
)
from gridbot.services.care import (
    CareBoardOf,
    ChangeInterval,
    ReassignCare,
    RemoveCarePerson,
    care_board,
    change_interval,
    reassign_care,
    remove_care_person,
)
from gridbot.services.care.board import PAGE_SIZE

from .conftest import (
    CHILD,
    GRANNY,
    GRID,
    LEADER,
    NEIGHBOUR_LEADER,
    NEIGHBOUR_WORKER,
    NINE_NEXT_MONDAY,
    RESIDENT,
    SECRETARY,
    SUPERVISOR,
    VETERAN,
    WORKER,
    Town,
)


async def test_the_imported_care_persons_are_due_at_nine_an_interval_after_the_import(
    town: Town,
) -> None:
    board = await town.board(LEADER)
    assert board.grid is not None and board.grid.code == GRID and board.can_manage
    assert [(e.person.name, e.worker_name, e.overdue) for e in board.entries] == [
        (GRANNY, "张伟", False),
        (CHILD, "张伟", False),
    ]
    granny, child = (e.person for e in board.entries)
    assert granny.next_visit_at == NINE_NEXT_MONDAY
    assert child.next_visit_at == NINE_NEXT_MONDAY + timedelta(days=7)
    items = [(i.ref, i.due_at) for i in await town.care_items()]
    veteran = await town.care_person(VETERAN)
    assert sorted(items) == sorted(
        [
            (str(granny.id), NINE_NEXT_MONDAY),
            (str(child.id), NINE_NEXT_MONDAY + timedelta(days=7)),
            (str(veteran.id), NINE_NEXT_MONDAY + timedelta(days=7)),
        ]
    )


async def test_importing_the_demo_again_changes_no_person_and_no_reminder(town: Town) -> None:
    before = (await town.board(LEADER), await town.care_items())
    town.clock.advance(days=2)
    await import_demo_org(town.db, care=True)
    assert (await town.board(LEADER), await town.care_items()) == before


async def test_a_leader_adds_a_care_person_due_the_interval_after_today(town: Town) -> None:
    card = await town.add(address="临月里3号楼1单元202", phone="139 0000 4001")
    person = card.person
    assert person.id is not None and card.may_manage and card.may_visit and card.may_list
    assert (person.name, person.category, person.visit_interval_days) == ("李秀兰", "disabled", 3)
    assert (person.address, person.phone) == ("临月里3号楼1单元202", "13900004001")
    assert person.next_visit_at == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)  # Thursday 09:00
    assert [(i.ref, i.due_at) for i in await town.care_items(person.id)] == [
        (str(person.id), person.next_visit_at)
    ]
    names = [e.person.name for e in (await town.board(LEADER)).entries]
    assert names == ["李秀兰", GRANNY, CHILD]  # soonest visit first
    assert await town.outbox() == []  # nobody is told: the leader sees the card


@pytest.mark.parametrize("who", [WORKER, SECRETARY, SUPERVISOR, NEIGHBOUR_LEADER, RESIDENT])
async def test_only_the_grids_leader_adds_a_care_person(town: Town, who: int) -> None:
    with pytest.raises(PermissionDenied):
        await town.add(who)
    assert len(await town.care_items()) == 3


async def test_adding_is_refused_for_a_stranger_an_outside_worker_and_bad_fields(
    town: Town,
) -> None:
    with pytest.raises(NotBound):
        await town.add(9999)
    outsider = await town.person_id(NEIGHBOUR_WORKER)
    refusals = {
        "care_worker": {"worker_id": outsider},
        "care_interval": {"interval_days": 0},
        "care_category": {"category": "vip"},
        "care_phone": {"phone": "电话"},
        "text_too_long": {"name": "名" * 51},
        "text_empty": {"name": "  "},
    }
    for code, changes in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            await town.add(**changes)
        assert refused.value.details["code"] == code
    with pytest.raises(UnknownUnit):
        await town.add(grid_code="DL-WX-LY-01-B03")  # a building, not a grid
    assert len((await town.board(LEADER)).entries) == 2
    assert len(await town.care_items()) == 3


async def test_the_same_person_added_twice_is_refused(town: Town) -> None:
    await town.add(phone="13900004001")
    with pytest.raises(ValidationFailed) as refused:
        await town.add(phone="13900004001")
    assert refused.value.details["code"] == "care_duplicate"
    await town.add(phone="13900004002")  # a namesake is someone else
    assert len((await town.board(LEADER)).entries) == 4


async def test_another_worker_gets_the_pending_reminder_and_is_told(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    before = await town.care_items(granny)
    leader = await town.actor(LEADER)
    card = await reassign_care(ReassignCare(leader, granny, await town.person_id(LEADER)), town.ctx)
    assert card.worker_name == "王芳" and card.person.worker_id == await town.person_id(LEADER)
    after = await town.care_items(granny)
    assert [i.due_at for i in after] == [i.due_at for i in before]  # one item, same time
    (told,) = await town.texts(LEADER)
    assert "您现在负责走访赵桂英" in told and "13900003001" in told
    assert await town.texts(WORKER) == []
    with pytest.raises(ValidationFailed):  # not of the grid's team
        outsider = await town.person_id(NEIGHBOUR_WORKER)
        await reassign_care(ReassignCare(leader, granny, outsider), town.ctx)
    with pytest.raises(PermissionDenied):
        worker = await town.actor(WORKER)
        await reassign_care(ReassignCare(worker, granny, await town.person_id(WORKER)), town.ctx)


async def test_a_new_interval_counts_the_next_visit_again_from_the_last(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    card = await change_interval(ChangeInterval(await town.actor(LEADER), granny, 3), town.ctx)
    assert card.person.next_visit_at == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
    assert [i.due_at for i in await town.care_items(granny)] == [card.person.next_visit_at]
    with pytest.raises(ValidationFailed):
        await change_interval(ChangeInterval(await town.actor(LEADER), granny, 365), town.ctx)


async def test_a_removed_person_is_gone_from_lists_reminders_and_cards(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    with pytest.raises(PermissionDenied):
        await remove_care_person(RemoveCarePerson(await town.actor(WORKER), granny), town.ctx)
    removed = await remove_care_person(RemoveCarePerson(await town.actor(LEADER), granny), town.ctx)
    assert removed.removed_at == town.clock.now()
    assert await town.care_items(granny) == []
    assert [e.person.name for e in (await town.board(LEADER)).entries] == [CHILD]
    assert [e.person.name for e in (await town.board(WORKER)).entries] == [CHILD]
    for attempt in (town.card(LEADER, granny), town.visit(granny)):
        with pytest.raises(NotFound):
            await attempt
    await import_demo_org(town.db, care=True)  # the file still lists her: she stays removed
    assert (await town.stored(granny)).removed_at == removed.removed_at
    assert await town.care_items(granny) == []


async def test_who_sees_which_list(town: Town) -> None:
    mine = await town.board(WORKER)
    assert mine.grid is None and not mine.can_manage
    assert [e.person.name for e in mine.entries] == [GRANNY, CHILD]
    assert {code: grid.name for code, grid in mine.entry_grids.items()} == {GRID: "临月里第一网格"}
    assert (await town.board(SUPERVISOR)).ask_code
    seen = await town.board(SUPERVISOR, GRID)
    assert len(seen.entries) == 2 and not seen.can_manage
    empty = await town.board(NEIGHBOUR_LEADER)
    assert empty.grid is not None and empty.grid.code == "DL-WX-LY-02" and empty.entries == ()
    for who, grid in ((NEIGHBOUR_LEADER, GRID), (WORKER, GRID), (SECRETARY, None)):
        with pytest.raises(PermissionDenied):
            await town.board(who, grid)
    with pytest.raises(PermissionDenied):
        await town.board(RESIDENT)
    with pytest.raises(UnknownUnit):
        await town.board(SUPERVISOR, "DL-WX-XX-99")
    with pytest.raises(NotBound):
        await care_board(CareBoardOf(None), town.ctx)


async def test_a_card_is_for_the_worker_the_leader_and_supervisors_only(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    worker, supervisor = await town.card(WORKER, granny), await town.card(SUPERVISOR, granny)
    assert worker.may_visit and not worker.may_manage and not worker.may_list
    assert not supervisor.may_visit and not supervisor.may_manage and supervisor.may_list
    for who in (NEIGHBOUR_WORKER, NEIGHBOUR_LEADER, SECRETARY, RESIDENT):
        with pytest.raises(PermissionDenied):
            await town.card(who, granny)
    with pytest.raises(NotFound):
        await town.card(LEADER, 99999)


async def test_a_long_list_comes_a_page_at_a_time(town: Town) -> None:
    for index in range(PAGE_SIZE + 1):
        await town.add(name=f"对象{index}", interval_days=30)
    first, second = await town.board(LEADER), await town.board(LEADER, page=1)
    assert (first.total, first.pages, len(first.entries)) == (PAGE_SIZE + 3, 2, PAGE_SIZE)
    assert len(second.entries) == 3 and second.page == 1
    assert (await town.board(LEADER, page=9)).page == 1  # past the end: the last page
