"""The pure rules of /team and /invite: what the bot knows of reaching a person, which roles
may be invited onto which levels, and the invitation's unit picker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridbot.domain.errors import UnknownUnit, ValidationFailed
from gridbot.domain.invitepicker import ROOT, invite_step, top_units
from gridbot.domain.org import Person, Role
from gridbot.domain.staffing import BotReach, StaffInvite, check_invite, parse_role, reach_of

from .builders import BUILDING, COMMUNITY, FAR_GRID, GRID, NEIGHBOUR_GRID, OTHER_COMMUNITY, tree

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("person", "delivered", "reach"),
    [
        (Person("许文"), False, BotReach.NOT_JOINED),
        (Person("张伟", telegram_id=1), False, BotReach.UNKNOWN),
        (Person("张伟", telegram_id=1), True, BotReach.REACHED),
        (Person("张伟", telegram_id=1, blocked_bot=True), True, BotReach.BLOCKED),
    ],
)
def test_reach_is_what_the_bot_knows(person: Person, delivered: bool, reach: BotReach) -> None:
    assert reach_of(person, delivered) == reach


def test_roles_are_parsed_by_code_and_those_needing_a_department_are_left_to_the_org_file() -> None:
    assert parse_role(" Grid_Worker ") == Role.GRID_WORKER
    for text, why in (
        ("grid_guide", "invite_department"),
        ("resident", "invite_role"),
        ("x", "invite_role"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            parse_role(text)
        assert refused.value.details["code"] == why


def test_a_role_is_invited_onto_the_levels_it_is_held_at() -> None:
    units = tree()
    check_invite(Role.GRID_WORKER, units.get(GRID))
    check_invite(Role.BUILDING_LEADER, units.get(BUILDING))
    with pytest.raises(ValidationFailed) as refused:
        check_invite(Role.GRID_WORKER, units.get(COMMUNITY))
    assert refused.value.details["levels"] == ["grid"]


def test_an_invitation_expires_at_its_time() -> None:
    invite = StaffInvite("c", Role.GRID_WORKER, GRID, 1, T0, T0 + timedelta(days=7))
    assert not invite.expired(T0 + timedelta(days=7) - timedelta(seconds=1))
    assert invite.expired(T0 + timedelta(days=7)) and not invite.accepted


def test_an_administrator_of_two_units_starts_from_both_and_goes_back_to_them() -> None:
    units = tree()
    tops = top_units(units, [GRID, COMMUNITY, OTHER_COMMUNITY])  # the grid is inside one
    assert [u.code for u in tops] == [OTHER_COMMUNITY, COMMUNITY]  # by code: HP before LY
    first = invite_step(units, [COMMUNITY, OTHER_COMMUNITY], Role.GRID_WORKER, ROOT)
    assert first.unit is None and [u.code for u in first.options] == [OTHER_COMMUNITY, COMMUNITY]
    community = invite_step(units, [COMMUNITY, OTHER_COMMUNITY], Role.GRID_WORKER, COMMUNITY)
    assert community.back == ROOT and [u.code for u in community.options] == [GRID, NEIGHBOUR_GRID]
    grid = invite_step(units, [COMMUNITY, OTHER_COMMUNITY], Role.GRID_WORKER, GRID)
    assert grid.here and grid.back == COMMUNITY and grid.options == ()


def test_units_outside_the_administrators_or_without_a_place_for_the_role_are_refused() -> None:
    units = tree()
    with pytest.raises(UnknownUnit):
        invite_step(units, [COMMUNITY], Role.GRID_WORKER, FAR_GRID)
    with pytest.raises(UnknownUnit):
        invite_step(units, [COMMUNITY], Role.COMMUNITY_STAFF, GRID)  # below any community
    with pytest.raises(UnknownUnit):
        invite_step(units, [COMMUNITY], Role.GRID_WORKER, "NOWHERE")
