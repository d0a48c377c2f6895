"""The synthetic district's staff: supervisors and an admin for the district; dispatchers,
a supervisor and department liaisons for each street; staff and a branch secretary for each
community; police and fire guides serving a community's grids (一员多格); and on every grid
a worker, a leader (often its branch secretary too) and one to three volunteers."""

from __future__ import annotations

import random

from gridbot.domain.org import Role

from .district_model import District, Grid
from .district_names import person_row

DEPARTMENTS = ("police", "urban_management")


class _Hiring:
    """Adds staff people and their roles to ``district``."""

    def __init__(self, district: District, rng: random.Random) -> None:
        self.district, self.rng = district, rng

    def hire(self, roles: list[tuple[Role, int]], department: str | None = None) -> int:
        person_id = len(self.district.staff) + 1
        self.district.staff.append(person_row(person_id, self.rng, department))
        for role, unit_id in roles:
            self.district.roles.append(
                {"person_id": person_id, "role": role.value, "unit_id": unit_id, "on_duty": True}
            )
        return person_id


def add_staff(district: District, rng: random.Random) -> None:
    hiring = _Hiring(district, rng)
    hiring.hire([(Role.SUPERVISOR, 1)])
    hiring.hire([(Role.SUPERVISOR, 1)])
    hiring.hire([(Role.ADMIN, 1)])
    for street in district.streets.values():
        street.staff = [hiring.hire([(Role.DISPATCHER, street.id)]) for _ in range(2)]
        hiring.hire([(Role.SUPERVISOR, street.id)])
        for department in DEPARTMENTS:
            street.liaisons[department] = hiring.hire(
                [(Role.DEPARTMENT_LIAISON, street.id)], department
            )
    for community in district.communities.values():
        community.staff = [hiring.hire([(Role.COMMUNITY_STAFF, community.id)]) for _ in range(2)]
        hiring.hire([(Role.BRANCH_SECRETARY, community.id), (Role.PARTY_MEMBER, community.id)])
    for grids in _grids_by_community(district).values():
        police = hiring.hire([(Role.GRID_GUIDE, grid.id) for grid in grids], "police")
        fire = hiring.hire([(Role.GRID_GUIDE, grid.id) for grid in grids], "fire")
        for grid in grids:
            _staff_grid(hiring, grid, police, fire)


def _grids_by_community(district: District) -> dict[int, list[Grid]]:
    found: dict[int, list[Grid]] = {}
    for grid in district.grids:
        found.setdefault(grid.community_id, []).append(grid)
    return found


def _staff_grid(hiring: _Hiring, grid: Grid, police: int, fire: int) -> None:
    grid.police_guide, grid.fire_guide = police, fire
    grid.worker = hiring.hire([(Role.GRID_WORKER, grid.id)])
    if hiring.rng.random() < 0.6:  # the leader is often the branch secretary too
        grid.leader = hiring.hire([(Role.GRID_LEADER, grid.id), (Role.BRANCH_SECRETARY, grid.id)])
        grid.secretary = grid.leader
    else:
        grid.leader = hiring.hire([(Role.GRID_LEADER, grid.id)])
        grid.secretary = hiring.hire(
            [(Role.BRANCH_SECRETARY, grid.id), (Role.PARTY_MEMBER, grid.id)]
        )
    roles = (Role.PARTY_MEMBER, Role.SERVICE_SPECIALIST, Role.BUILDING_LEADER)
    grid.helpers = [
        hiring.hire([(roles[n % len(roles)], grid.id)]) for n in range(hiring.rng.randint(1, 3))
    ]
