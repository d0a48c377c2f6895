"""退回: a case is not taken up, as a duplicate of another case or as out of scope."""

from __future__ import annotations

import pytest

from gridbot.domain.case import CaseStatus, ReturnReason
from gridbot.domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from gridbot.services.workflow import AcceptCase, ReturnCase, accept_case, return_case

from .conftest import NEIGHBOUR_WORKER, RESIDENT, WORKER, Desk


async def test_a_duplicate_is_returned_and_the_reporter_gets_the_other_number(
    desk: Desk,
) -> None:
    first = await desk.report()
    second = await desk.report(text="门口垃圾好几天了")

    await desk.run(
        return_case,
        ReturnCase,
        WORKER,
        second.id,
        ReturnReason.DUPLICATE,
        duplicate_of=first.number,
    )

    stored = await desk.case(second.id)
    assert stored.status == CaseStatus.REJECTED
    last = (await desk.events(second.id))[-1]
    assert (last.action, last.note) == ("reject", f"[duplicate {first.number}]")
    assert await desk.due() == [i for i in await desk.due() if i.ref == first.number]
    told = (await desk.texts(RESIDENT))[-1]
    assert second.number in told and first.number in told and "[duplicate" not in told


async def test_an_out_of_scope_case_is_returned_with_the_workers_note(desk: Desk) -> None:
    case = await desk.report()

    await desk.run(
        return_case,
        ReturnCase,
        WORKER,
        case.id,
        ReturnReason.OUT_OF_SCOPE,
        note="请联系供暖公司 96069",
    )

    last = (await desk.events(case.id))[-1]
    assert last.note == "[out_of_scope] 请联系供暖公司 96069"
    told = (await desk.texts(RESIDENT))[-1]
    assert "不属于网格受理范围" in told and "请联系供暖公司 96069" in told


@pytest.mark.parametrize("duplicate_of", [None, "", "not a number", "2026-999999", "self"])
async def test_a_duplicate_without_a_valid_other_number_is_refused(
    desk: Desk, duplicate_of: str | None
) -> None:
    case = await desk.report()
    other = case.number if duplicate_of == "self" else duplicate_of
    before = await desk.snapshot(case.id)

    with pytest.raises(ValidationFailed) as refused:
        await desk.run(
            return_case,
            ReturnCase,
            WORKER,
            case.id,
            ReturnReason.DUPLICATE,
            duplicate_of=other,
        )

    assert refused.value.details["code"] == "duplicate_of"
    assert await desk.snapshot(case.id) == before


async def test_a_case_being_handled_can_no_longer_be_returned(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    before = await desk.snapshot(case.id)

    with pytest.raises(IllegalTransition):
        await desk.run(return_case, ReturnCase, WORKER, case.id, ReturnReason.OUT_OF_SCOPE)

    assert await desk.snapshot(case.id) == before


async def test_only_who_handles_the_case_may_return_it(desk: Desk) -> None:
    case = await desk.report()
    before = await desk.snapshot(case.id)

    for stranger in (NEIGHBOUR_WORKER, RESIDENT):
        with pytest.raises(PermissionDenied):
            await desk.run(
                return_case,
                ReturnCase,
                stranger,
                case.id,
                ReturnReason.OUT_OF_SCOPE,
            )

    assert await desk.snapshot(case.id) == before


async def test_an_unknown_reason_is_refused(desk: Desk) -> None:
    case = await desk.report()
    before = await desk.snapshot(case.id)

    with pytest.raises(ValidationFailed):
        await desk.run(return_case, ReturnCase, WORKER, case.id, "bored")

    assert await desk.snapshot(case.id) == before
