"""Who may do what. Roles are held on units, and a role on a unit covers the units below it.

The reporter, the assignee and a wish's claimant act on their own case by who they are;
everyone else acts by a role that covers the unit now handling the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from gridbot.domain.care import CarePerson
from gridbot.domain.case import Case, CaseLevel
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.org import GRID_LEADERS, WISH_HELPERS, Role, Staff
from gridbot.domain.orgtree import OrgTree

R = Role
# "An authorized worker binds a group": admins, and the grid's own team and community staff
# for the units they hold (a building leader only their building).
GROUP_BINDERS = (
    R.ADMIN,
    R.GRID_WORKER,
    *GRID_LEADERS,
    R.BUILDING_LEADER,
    R.COMMUNITY_STAFF,
)
# Who reads a unit's overdue cases (/overdue) and urges them: its supervisors, and the
# leader and branch secretary of a grid for that grid.
OVERDUE_VIEWERS = (R.SUPERVISOR, *GRID_LEADERS)
# Who reads a grid's team (/team): its leader and branch secretary, and the unit's
# supervisors; the team's phone numbers only the former.
TEAM_VIEWERS = (*GRID_LEADERS, R.SUPERVISOR)
# Who reads a grid's card (/grid: its team, open cases, rates and their trend): the
# supervisors of its units, and its own leader and branch secretary.
GRID_CARD_VIEWERS = (R.SUPERVISOR, *GRID_LEADERS)
# Who dispatches at each level; a whistled case stays the whistling street's to reassign.
DISPATCHING: dict[CaseLevel, tuple[Role, ...]] = {
    CaseLevel.GRID: GRID_LEADERS,
    CaseLevel.COMMUNITY: (R.COMMUNITY_STAFF, R.DISPATCHER),
}


class Action(StrEnum):
    # The case actions share their values with CaseAction (see action_for).
    SUBMIT = "submit"
    ASSIGN = "assign"
    ACCEPT = "accept"
    PROGRESS = "progress"
    RESOLVE = "resolve"
    ESCALATE = "escalate"
    WHISTLE = "whistle"
    REPORT_FOR_DUTY = "report_for_duty"
    TRANSFER = "transfer"
    REJECT = "reject"
    CANCEL = "cancel"
    RATE_SATISFIED = "rate_satisfied"
    RATE_BASIC = "rate_basic"
    RATE_UNSATISFIED = "rate_unsatisfied"
    CLOSE = "close"
    FOLLOW_UP_OK = "follow_up_ok"
    FOLLOW_UP_RECURRED = "follow_up_recurred"
    URGE = "urge"
    ADD_INFO = "add_info"
    APPROVE = "approve"
    CLAIM = "claim"
    RELEASE = "release"
    EXPIRE_CLAIM = "expire_claim"
    FULFIL = "fulfil"
    CONFIRM = "confirm"
    # Viewing and unit actions.
    VIEW_CASE = "view_case"
    VIEW_REPORTER_CONTACT = "view_reporter_contact"
    VIEW_STATS = "view_stats"
    VIEW_GRID_CARD = "view_grid_card"  # /grid: one grid's card
    PUBLISH_DIGEST = "publish_digest"  # /digest: a public summary to residents' groups
    VIEW_OVERDUE = "view_overdue"  # /overdue: a unit's overdue cases, to urge (督办)
    EXPORT = "export"
    BIND_GROUP = "bind_group"
    INVITE_STAFF = "invite_staff"
    VIEW_TEAM = "view_team"  # /team: a grid's staff, their load and reach
    VIEW_TEAM_PHONES = "view_team_phones"
    MANAGE_ORG = "manage_org"
    VIEW_CARE_PERSON = "view_care_person"
    MANAGE_CARE = "manage_care"  # add a care person, change their worker or interval, remove
    VISIT_CARE_PERSON = "visit_care_person"  # record a visit (走访), raise a case from it
    REASSIGN = "reassign"
    # Aliases, so handlers may use the names of the menus.
    APPROVE_WISH = "approve"
    CLAIM_WISH = "claim"


def action_for(case_action: CaseAction) -> Action:
    return Action(case_action.value)


@dataclass(frozen=True)
class _Ctx:
    staff: Staff
    tree: OrgTree
    case: Case | None
    unit_code: str | None
    care_person: CarePerson | None

    def covers(self, roles: tuple[Role, ...], code: str | None) -> bool:
        """Holds one of ``roles`` on ``code`` or on a unit above it."""
        return code is not None and any(
            a.role in roles and self.tree.is_within(code, a.unit_code) for a in self.staff.roles
        )

    def related(self, roles: tuple[Role, ...], code: str | None) -> bool:
        """Holds one of ``roles`` on, above or below ``code`` (a building's people in a grid)."""
        return code is not None and any(
            a.role in roles
            and (self.tree.is_within(code, a.unit_code) or self.tree.is_within(a.unit_code, code))
            for a in self.staff.roles
        )

    def department_matches(self) -> bool:
        dept = self.staff.person.department
        return self.case is not None and dept is not None and dept == self.case.department

    @property
    def target(self) -> str | None:
        if self.unit_code is not None:
            return self.unit_code
        return None if self.case is None else _handling_unit(self.case)


def _handling_unit(case: Case) -> str:
    return case.unit_code or case.grid_code


def _is(person_id: int | None, ctx: _Ctx) -> bool:
    return person_id is not None and person_id == ctx.staff.person.id


def _reporter(ctx: _Ctx) -> bool:
    return ctx.case is not None and _is(ctx.case.reporter_id, ctx)


def _assignee(ctx: _Ctx) -> bool:
    return ctx.case is not None and _is(ctx.case.assignee_id, ctx)


def _claimant(ctx: _Ctx) -> bool:
    return ctx.case is not None and ctx.case.is_wish and _is(ctx.case.claimant_id, ctx)


def _dispatches(ctx: _Ctx) -> bool:
    """Reassigns within the unit now handling the case."""
    case = ctx.case
    if case is None:
        return False
    roles = DISPATCHING.get(case.level, (R.DISPATCHER,))
    return ctx.covers(roles, _handling_unit(case))


def _handles(ctx: _Ctx) -> bool:
    """Does the assignee's work on an issue or hazard: accept, progress, resolve, ..."""
    case = ctx.case
    if case is None or case.is_wish:
        return False
    if _assignee(ctx):
        return True
    if case.level == CaseLevel.GRID:
        return ctx.covers(GRID_LEADERS, case.grid_code) or (
            ctx.department_matches() and ctx.covers((R.GRID_GUIDE,), case.grid_code)
        )
    if case.level == CaseLevel.DEPARTMENT:
        return _reports_for_duty(ctx)
    return _dispatches(ctx)


def _approves(ctx: _Ctx) -> bool:
    case = ctx.case
    return case is not None and case.is_wish and (_assignee(ctx) or _dispatches(ctx))


def _rejects(ctx: _Ctx) -> bool:
    return _approves(ctx) if ctx.case is not None and ctx.case.is_wish else _handles(ctx)


def _whistles(ctx: _Ctx) -> bool:
    case = ctx.case
    return (
        case is not None
        and case.level == CaseLevel.STREET
        and ctx.covers((R.DISPATCHER,), _handling_unit(case))
    )


def _reports_for_duty(ctx: _Ctx) -> bool:
    case = ctx.case
    return (
        case is not None
        and case.level == CaseLevel.DEPARTMENT
        and ctx.department_matches()
        and ctx.covers((R.DEPARTMENT_LIAISON,), _handling_unit(case))
    )


def _claims(ctx: _Ctx) -> bool:
    case = ctx.case
    return (
        case is not None
        and case.is_wish
        and not _reporter(ctx)
        and ctx.related(WISH_HELPERS, case.grid_code)
    )


def _submits(ctx: _Ctx) -> bool:
    grid = ctx.unit_code or (ctx.case.grid_code if ctx.case else None)
    return ctx.related(tuple(Role), grid)


def _urges(ctx: _Ctx) -> bool:
    case = ctx.case
    return case is not None and (
        ctx.covers((R.SUPERVISOR,), ctx.target) or ctx.covers(GRID_LEADERS, case.grid_code)
    )


def _sees_contact(ctx: _Ctx) -> bool:
    # Residents and supervisors never see a reporter's phone; only who must act on the case.
    return _reporter(ctx) or _claimant(ctx) or _handles(ctx) or _dispatches(ctx) or _approves(ctx)


def _views_case(ctx: _Ctx) -> bool:
    case = ctx.case
    if case is None:
        return False
    return (
        _sees_contact(ctx)
        or ctx.covers((R.SUPERVISOR,), ctx.target)
        or (case.is_wish and _claims(ctx))
        or (case.public and ctx.related(tuple(Role), case.grid_code))
    )


def _care_grid(ctx: _Ctx) -> str | None:
    """The grid of the care person asked about, else the unit (a grid's care list)."""
    return ctx.care_person.grid_code if ctx.care_person is not None else ctx.unit_code


def _care_worker(ctx: _Ctx) -> bool:
    return ctx.care_person is not None and _is(ctx.care_person.worker_id, ctx)


def _views_care_person(ctx: _Ctx) -> bool:
    return _care_worker(ctx) or ctx.covers((R.GRID_LEADER, R.SUPERVISOR), _care_grid(ctx))


def _manages_care(ctx: _Ctx) -> bool:
    return ctx.covers((R.GRID_LEADER,), _care_grid(ctx))


def _visits_care_person(ctx: _Ctx) -> bool:
    return ctx.care_person is not None and (_care_worker(ctx) or _manages_care(ctx))


def _unit_role(*roles: Role) -> Callable[[_Ctx], bool]:
    return lambda ctx: ctx.covers(roles, ctx.target)


def _nobody(ctx: _Ctx) -> bool:
    return False  # done by the scheduler on the system's behalf, never by a person


_HANDLING = (
    Action.ACCEPT,
    Action.PROGRESS,
    Action.RESOLVE,
    Action.ESCALATE,
    Action.TRANSFER,
    Action.FOLLOW_UP_OK,  # 谁调处、谁回访: whoever handled it visits
    Action.FOLLOW_UP_RECURRED,
)
_REPORTER_ONLY = (
    Action.CANCEL,
    Action.ADD_INFO,
    Action.CONFIRM,
    Action.RATE_SATISFIED,
    Action.RATE_BASIC,
    Action.RATE_UNSATISFIED,
)

RULES: dict[Action, Callable[[_Ctx], bool]] = {
    **dict.fromkeys(_HANDLING, _handles),
    **dict.fromkeys(_REPORTER_ONLY, _reporter),
    **dict.fromkeys((Action.CLOSE, Action.EXPIRE_CLAIM), _nobody),
    **dict.fromkeys((Action.RELEASE, Action.FULFIL), _claimant),
    **dict.fromkeys((Action.ASSIGN, Action.REASSIGN), _dispatches),
    Action.SUBMIT: _submits,
    Action.REJECT: _rejects,
    Action.WHISTLE: _whistles,
    Action.REPORT_FOR_DUTY: _reports_for_duty,
    Action.URGE: _urges,
    Action.APPROVE: _approves,
    Action.CLAIM: _claims,
    Action.VIEW_CASE: _views_case,
    Action.VIEW_REPORTER_CONTACT: _sees_contact,
    Action.VIEW_STATS: _unit_role(R.SUPERVISOR),
    Action.VIEW_GRID_CARD: _unit_role(*GRID_CARD_VIEWERS),
    Action.PUBLISH_DIGEST: _unit_role(R.SUPERVISOR),
    Action.VIEW_OVERDUE: _unit_role(*OVERDUE_VIEWERS),
    Action.EXPORT: _unit_role(R.SUPERVISOR),
    Action.BIND_GROUP: _unit_role(*GROUP_BINDERS),
    Action.INVITE_STAFF: _unit_role(R.ADMIN),
    Action.VIEW_TEAM: _unit_role(*TEAM_VIEWERS),
    Action.VIEW_TEAM_PHONES: _unit_role(*GRID_LEADERS),
    Action.MANAGE_ORG: _unit_role(R.ADMIN),
    Action.VIEW_CARE_PERSON: _views_care_person,
    Action.MANAGE_CARE: _manages_care,
    Action.VISIT_CARE_PERSON: _visits_care_person,
}


def may(
    staff: Staff,
    action: Action,
    *,
    tree: OrgTree,
    case: Case | None = None,
    unit_code: str | None = None,
    care_person: CarePerson | None = None,
) -> bool:
    """Whether ``staff`` may do ``action`` on ``case``, on ``unit_code`` or on ``care_person``.

    Only permissions: whether the case's status allows the action is lifecycle's question.
    """
    return RULES[action](_Ctx(staff, tree, case, unit_code, care_person))


def require(
    staff: Staff,
    action: Action,
    *,
    tree: OrgTree,
    case: Case | None = None,
    unit_code: str | None = None,
    care_person: CarePerson | None = None,
) -> None:
    """Like ``may``, but raises PermissionDenied naming the action."""
    if not may(staff, action, tree=tree, case=case, unit_code=unit_code, care_person=care_person):
        raise PermissionDenied(
            f"{staff.person.name} may not {action}",
            action=action.value,
            person_id=staff.person.id,
            case=case.number if case else None,
            unit=unit_code,
        )


def may_view_care_person(staff: Staff, care_person: CarePerson, tree: OrgTree) -> bool:
    """Care persons are sensitive: the assigned worker, the grid leader, unit supervisors."""
    return may(staff, Action.VIEW_CARE_PERSON, tree=tree, care_person=care_person)
