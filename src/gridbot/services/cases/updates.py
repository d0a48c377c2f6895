"""What a reporter and their neighbours do to a case after it was sent."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import Case
from gridbot.domain.errors import IllegalTransition, NotResidentHere, PermissionDenied
from gridbot.domain.lifecycle import CaseAction, allowed_actions, apply, is_open
from gridbot.domain.messaging import DueKind
from gridbot.domain.org import Person, Role
from gridbot.domain.texts import check_photos, check_text
from gridbot.services.common import acting_on, cancel_due, find_case, record, tree_around
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork

# Reminders that lose their point once a case is withdrawn.
_PENDING_ON_OPEN_CASE = (
    DueKind.RESPOND_DEADLINE,
    DueKind.RESOLVE_DEADLINE,
    DueKind.WISH_CLAIM_EXPIRY,
)


@dataclass(frozen=True)
class AddInfo:
    actor: Actor | None
    case_id: int
    text: str
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Withdraw:
    actor: Actor | None
    case_id: int


@dataclass(frozen=True)
class MarkAffected:
    """同样问题 from a Telegram account (anyone in the group may tap it; only the grid's
    residents count)."""

    telegram_id: int
    case_id: int


@dataclass(frozen=True)
class Affected:
    """How many households besides the reporter have the problem, and whether this tap
    added one."""

    count: int
    counted: bool


@dataclass(frozen=True)
class CheckOwnCase:
    """A reporter's tap that asks something first: 补充 (ADD_INFO) or 撤回 (CANCEL)."""

    actor: Actor | None
    case_id: int
    action: CaseAction


async def check_own_case(cmd: CheckOwnCase, ctx: Context) -> Case:
    """Before anything is asked: refuse what ``add_info`` or ``withdraw`` would refuse
    (someone else's case: PermissionDenied; a case no longer open: IllegalTransition)."""
    async with ctx.reading() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, cmd.action, lock=False)
    still_allowed(acting.case, cmd.action)
    return acting.case


def still_allowed(case: Case, action: CaseAction) -> None:
    """IllegalTransition naming the case and where it now is, when ``action`` no longer
    applies to it (a tap on a card sent before the case moved on)."""
    if action not in allowed_actions(case):
        raise IllegalTransition(
            f"cannot {action} case {case.number} now",
            number=case.number,
            status=case.status.value,
            action=action.value,
        )


async def add_info(cmd: AddInfo, ctx: Context) -> Case:
    """The reporter adds a note (and photos) to their open case; whoever handles it is told."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, CaseAction.ADD_INFO)
        still_allowed(acting.case, CaseAction.ADD_INFO)
        note, attachments = check_text(cmd.text), check_photos(cmd.photos)
        case = acting.case
        event = apply(
            case,
            CaseAction.ADD_INFO,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=note,
            attachments=attachments,
        )
        await record(uow, case, event)
        await ctx.notices.case_event(uow, case, event, category=acting.category)
        await uow.commit()
    return case


async def withdraw(cmd: Withdraw, ctx: Context) -> Case:
    """The reporter withdraws their open case (cancelled); whoever handled it is told and
    its pending reminders are dropped."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, CaseAction.CANCEL)
        still_allowed(acting.case, CaseAction.CANCEL)
        case = acting.case
        event = apply(case, CaseAction.CANCEL, actor_id=acting.person_id, now=ctx.clock.now())
        await record(uow, case, event)
        await cancel_due(uow, case, _PENDING_ON_OPEN_CASE)
        await ctx.notices.case_event(uow, case, event, category=acting.category)
        await uow.commit()
    return case


async def mark_affected(cmd: MarkAffected, ctx: Context) -> Affected:
    """同样问题: a neighbour has the same problem as a public, open case. Each account
    counts once, and the reporter's own tap does not count; anyone who does not live on the
    case's grid (no account, on no grid, on another one) is refused: NotResidentHere."""
    async with ctx.writing() as uow:
        # Locked: two neighbours tapping at once must both be counted.
        case = await find_case(uow, cmd.case_id, lock=True)
        assert case.id is not None
        if not case.public:
            raise PermissionDenied(f"case {case.number} is not public", case=case.number)
        if not is_open(case):
            raise IllegalTransition(
                f"case {case.number} is {case.status}", status=case.status.value, action="affected"
            )
        person = await uow.people.by_telegram_id(cmd.telegram_id)
        if person is not None and person.id == case.reporter_id:
            return Affected(case.affected_count, counted=False)
        if person is None or not await _resides_on(uow, person, case.grid_code):
            raise NotResidentHere(f"not a resident of {case.grid_code}", case=case.number)
        counted = await uow.cases.add_affected(case.id, cmd.telegram_id, ctx.clock.now())
        if counted:
            case.affected_count += 1
            await uow.cases.update(case)
        await uow.commit()
    return Affected(case.affected_count, counted)


async def _resides_on(uow: UnitOfWork, person: Person, grid_code: str) -> bool:
    """Whether ``person`` lives on the grid (on it, or on one of its buildings)."""
    assert person.id is not None
    homes = [r.unit_code for r in await uow.people.roles_of(person.id) if r.role == Role.RESIDENT]
    if not homes:
        return False
    tree = await tree_around(uow, homes)
    grids = {grid.code for home in homes if (grid := tree.grid_of(home)) is not None}
    return grid_code in grids


async def is_wish(ctx: Context, case_id: int) -> bool:
    """Whether the case is a micro-wish: 驳回 Reject shares its callback with 退回 Return."""
    async with ctx.reading() as uow:
        case = await uow.cases.get(case_id)
    return case is not None and case.is_wish
