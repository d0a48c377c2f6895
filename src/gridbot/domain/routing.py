"""Who gets a case: the first assignee, the next level up, the department, the call-up chain.

A new case goes to someone who can act on it: of those who fit, the ones the bot can reach,
and of them the one holding the fewest open cases. Elsewhere, and among equals, the lowest
person id wins, so the same input routes the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from gridbot.domain.case import Case, CaseLevel
from gridbot.domain.errors import IllegalTransition, NoAssignee, NobodyReachable
from gridbot.domain.org import WISH_HELPERS, Category, Person, Role, RoleAssignment, UnitLevel
from gridbot.domain.orgtree import OrgTree

Target = tuple[CaseLevel, str, int]


def holders(
    assignments: Iterable[RoleAssignment], roles: Iterable[Role], unit_codes: Iterable[str]
) -> list[int]:
    """On-duty people holding one of ``roles`` on exactly one of ``unit_codes``, by id."""
    wanted_roles, wanted_units = set(roles), set(unit_codes)
    return sorted(
        {
            a.person_id
            for a in assignments
            if a.on_duty and a.role in wanted_roles and a.unit_code in wanted_units
        }
    )


def _first(*candidates: list[int]) -> int | None:
    for found in candidates:
        if found:
            return found[0]
    return None


def _grid_code(case: Case, tree: OrgTree) -> str:
    grid = tree.grid_of(case.grid_code)
    if grid is None:
        raise NoAssignee(f"case {case.number} is not on a grid", unit=case.grid_code)
    return grid.code


def _unit_at(tree: OrgTree, code: str, level: UnitLevel) -> str:
    unit = tree.ancestor_at(code, level)
    if unit is None:
        raise NoAssignee(f"unit {code!r} has no {level} above it", unit=code)
    return unit.code


def can_be_reached(person: Person | None) -> bool:
    """Whether a case handed to ``person`` reaches them: they have a Telegram account and
    the bot's last message there was not refused (blocked, or never started: "chat not
    found"). An account nothing was sent to yet counts as reachable: a new worker must get
    cases, and the first refusal marks them (writing to the bot again clears the mark)."""
    return person is not None and person.telegram_id is not None and not person.blocked_bot


def least_loaded(
    candidates: Sequence[int], reachable: Collection[int] | None, loads: Mapping[int, int]
) -> int | None:
    """Of ``candidates``, the one who can be reached (all, when ``reachable`` is None) with
    the fewest open cases, the lowest id among equals; None when none can be reached."""
    able = [pid for pid in candidates if reachable is None or pid in reachable]
    return min(able, key=lambda pid: (loads.get(pid, 0), pid)) if able else None


def route_new_case(
    case: Case,
    category: Category,
    tree: OrgTree,
    assignments: Sequence[RoleAssignment],
    people: Mapping[int, Person],
    reachable: Collection[int] | None = None,
    loads: Mapping[int, int] | None = None,
) -> int:
    """The first assignee of a new case (派遣), from the facts the caller read: who can be
    reached (``can_be_reached``; None: everyone) and each one's open ``loads``.

    Issues and hazards go to the guides of the category's department serving the grid
    (一员多格, a department category), else to the grid's on-duty workers, else (none on
    duty) to its leaders: the reachable one with the least load in the first of these
    groups that has one. NoAssignee when nobody is on duty for it; NobodyReachable when
    people are, but none can be reached: the case is to go up a level at once.

    Wishes go to the grid's branch secretary, else its leader, a reachable one first: a wish
    stays with its grid (nobody reachable: the first of them still holds it).
    """
    grid = _grid_code(case, tree)
    loads = loads or {}
    leaders = holders(assignments, [Role.GRID_LEADER], [grid])
    if case.is_wish:
        approvers = holders(assignments, [Role.BRANCH_SECRETARY], [grid]) or leaders
        chosen = least_loaded(approvers, reachable, {}) or _first(approvers)
    else:
        guides: list[int] = []
        if category.route_to == Role.GRID_GUIDE and category.department:
            guides = _guides(grid, category.department, tree, assignments, people)
        workers = holders(assignments, [Role.GRID_WORKER], [grid])
        groups = [guides, workers] if guides or workers else [leaders]
        chosen = next(
            (pid for g in groups if (pid := least_loaded(g, reachable, loads)) is not None), None
        )
        if chosen is None and any(groups):
            raise NobodyReachable(
                f"nobody on duty for case {case.number} on grid {grid} can be reached",
                unit=grid,
                people=sorted({pid for g in groups for pid in g}),
            )
    if chosen is None:
        raise NoAssignee(f"nobody on grid {grid} can take case {case.number}", unit=grid)
    return chosen


def _guides(
    grid: str,
    department: str,
    tree: OrgTree,
    assignments: Sequence[RoleAssignment],
    people: Mapping[int, Person],
) -> list[int]:
    serving = [grid, *(u.code for u in tree.ancestors(grid))]
    return [
        pid
        for pid in holders(assignments, [Role.GRID_GUIDE], serving)
        if pid in people and people[pid].department == department
    ]


def escalation_target(
    case: Case,
    tree: OrgTree,
    assignments: Sequence[RoleAssignment],
    people: Mapping[int, Person],
) -> Target:
    """One level up (上报): grid → community (staff, else dispatcher) → street (dispatcher).

    A community with nobody on duty is skipped, so the case still reaches the street.
    """
    grid = _grid_code(case, tree)
    street = _unit_at(tree, grid, UnitLevel.STREET)
    street_dispatchers = holders(assignments, [Role.DISPATCHER], [street])
    if case.level == CaseLevel.GRID:
        community = _unit_at(tree, grid, UnitLevel.COMMUNITY)
        in_community = _first(
            holders(assignments, [Role.COMMUNITY_STAFF], [community]),
            holders(assignments, [Role.DISPATCHER], [community]),
        )
        if in_community is not None:
            return CaseLevel.COMMUNITY, community, in_community
    elif case.level != CaseLevel.COMMUNITY:
        raise IllegalTransition(
            f"case {case.number} is at {case.level} level: whistle to a department instead",
            level=case.level.value,
        )
    if not street_dispatchers:
        raise NoAssignee(f"no dispatcher on duty at street {street}", unit=street)
    return CaseLevel.STREET, street, street_dispatchers[0]


def whistle_target(
    case: Case,
    department: str,
    tree: OrgTree,
    assignments: Sequence[RoleAssignment],
    people: Mapping[int, Person],
) -> Target:
    """吹哨: the liaison of ``department`` on the case's street, else on its district."""
    street = _unit_at(tree, _grid_code(case, tree), UnitLevel.STREET)
    district = _unit_at(tree, street, UnitLevel.DISTRICT)
    for unit in (street, district):
        liaisons = [
            pid
            for pid in holders(assignments, [Role.DEPARTMENT_LIAISON], [unit])
            if pid in people and people[pid].department == department
        ]
        if liaisons:
            return CaseLevel.DEPARTMENT, street, liaisons[0]
    raise NoAssignee(f"no {department} liaison for street {street}", unit=street)


def call_up_chain(case: Case, tree: OrgTree, assignments: Sequence[RoleAssignment]) -> list[int]:
    """逐级呼叫 for an overdue case: one person per level above the one handling it.

    Grid leader → the grid's branch secretary (else the community's) → community staff
    (else dispatcher) → street dispatcher; the first two only for a case at grid level.
    Levels with nobody on duty are skipped, nobody is called twice, and the assignee is
    never called up about their own case.
    """
    grid = _grid_code(case, tree)
    community = _unit_at(tree, grid, UnitLevel.COMMUNITY)
    street = _unit_at(tree, grid, UnitLevel.STREET)
    steps = [
        holders(assignments, [Role.GRID_LEADER], [grid]),
        grid_secretary(tree, assignments, grid),
        holders(assignments, [Role.COMMUNITY_STAFF], [community])
        or holders(assignments, [Role.DISPATCHER], [community]),
        holders(assignments, [Role.DISPATCHER], [street]),
    ]
    # A department that sits on a whistled case answers to the street that whistled.
    start = {
        CaseLevel.GRID: 0,
        CaseLevel.COMMUNITY: 3,
        CaseLevel.STREET: 4,
        CaseLevel.DEPARTMENT: 3,
    }
    chain: list[int] = []
    for found in steps[start[case.level] :]:
        person = next((pid for pid in found if pid != case.assignee_id), None)
        if person is not None and person not in chain:
            chain.append(person)
    return chain


def grid_secretary(
    tree: OrgTree, assignments: Sequence[RoleAssignment], grid_code: str
) -> list[int]:
    """The on-duty branch secretary (支部书记) of the grid, else of its community: the one
    who hears of every hand-over on the grid. ``assignments`` must hold both units' roles."""
    for unit in (tree.grid_of(grid_code), tree.ancestor_at(grid_code, UnitLevel.COMMUNITY)):
        found = holders(assignments, [Role.BRANCH_SECRETARY], [unit.code]) if unit else []
        if found:
            return found[:1]
    return []


def wish_helpers(assignments: Iterable[RoleAssignment], reporter_id: int | None) -> list[int]:
    """Who may take a wish up: the party members, service specialists and building leaders
    among ``assignments`` (those of its grid and the grid's buildings), in role order, each
    once, never its reporter."""
    found: dict[int, None] = {}
    for assignment in assignments:
        if assignment.role in WISH_HELPERS and assignment.person_id != reporter_id:
            found.setdefault(assignment.person_id, None)
    return list(found)
