"""Every role against every workflow action: only who handles the case may act on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from gridbot.domain.case import Case, ReturnReason
from gridbot.domain.errors import PermissionDenied
from gridbot.services.workflow import (
    AcceptCase,
    AddProgress,
    EscalateCase,
    ResolveCase,
    ReturnCase,
    TransferCase,
    WhistleCase,
    accept_case,
    add_progress,
    escalate_case,
    resolve_case,
    return_case,
    transfer_case,
    whistle_case,
)

from .conftest import (
    COMMUNITY,
    DISPATCHER,
    LEADER,
    NEIGHBOUR_WORKER,
    OTHER_COMMUNITY_WORKER,
    PARTY_MEMBER,
    POLICE,
    RESIDENT,
    SUPERVISOR,
    WORKER,
    Desk,
)

POLICE_GUIDE, ADMIN = 1011, 1024
EVERYONE = {
    "resident (reporter)": RESIDENT,
    "grid worker (assignee)": WORKER,
    "grid leader": LEADER,
    "worker of another grid": NEIGHBOUR_WORKER,
    "worker of another community": OTHER_COMMUNITY_WORKER,
    "community staff": COMMUNITY,
    "street dispatcher": DISPATCHER,
    "police guide": POLICE_GUIDE,
    "police liaison": POLICE,
    "supervisor": SUPERVISOR,
    "party member": PARTY_MEMBER,
    "admin": ADMIN,
}
ON_THE_GRID = {"grid worker (assignee)", "grid leader"}

Act = Callable[[Desk, int, Case], Awaitable[Any]]


async def fresh(desk: Desk) -> Case:
    desk.clock.advance(hours=1)  # the resident may report 5 cases an hour
    return await desk.report()


async def accepted(desk: Desk) -> Case:
    case = await fresh(desk)
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    return case


async def at_the_street(desk: Desk) -> Case:
    case = await fresh(desk)
    await desk.run(escalate_case, EscalateCase, WORKER, case.id)
    await desk.run(escalate_case, EscalateCase, COMMUNITY, case.id)
    return case


async def _transfer(desk: Desk, who: int, case: Case) -> Any:
    target = await desk.person_id(NEIGHBOUR_WORKER)
    return await desk.run(transfer_case, TransferCase, who, case.id, target)


ACTIONS: dict[str, tuple[Callable[[Desk], Awaitable[Case]], Act, set[str]]] = {
    "accept": (
        fresh,
        lambda d, who, c: d.run(accept_case, AcceptCase, who, c.id),
        ON_THE_GRID,
    ),
    "progress": (
        accepted,
        lambda d, who, c: d.run(add_progress, AddProgress, who, c.id, "进展"),
        ON_THE_GRID,
    ),
    "resolve": (
        accepted,
        lambda d, who, c: d.run(resolve_case, ResolveCase, who, c.id, "好了"),
        ON_THE_GRID,
    ),
    "return": (
        fresh,
        lambda d, who, c: d.run(return_case, ReturnCase, who, c.id, ReturnReason.OUT_OF_SCOPE),
        ON_THE_GRID,
    ),
    "transfer": (fresh, _transfer, ON_THE_GRID),
    "escalate": (
        fresh,
        lambda d, who, c: d.run(escalate_case, EscalateCase, who, c.id),
        ON_THE_GRID,
    ),
    "whistle": (
        at_the_street,
        lambda d, who, c: d.run(whistle_case, WhistleCase, who, c.id, "police"),
        {"street dispatcher"},
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_each_role_may_or_may_not_do_the_action(desk: Desk, action: str) -> None:
    prepare, act, allowed = ACTIONS[action]
    outcome: dict[str, bool] = {}
    for role, telegram_id in EVERYONE.items():
        case = await prepare(desk)
        before = await desk.snapshot(case.id)
        try:
            await act(desk, telegram_id, case)
            outcome[role] = True
        except PermissionDenied:
            assert await desk.snapshot(case.id) == before
            outcome[role] = False

    assert {role for role, done in outcome.items() if done} == allowed
