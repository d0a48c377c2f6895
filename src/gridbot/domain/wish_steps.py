"""Before a wish action asks the person to type (a reason to 驳回, a note to 完成): the
checks the use case will make, made at the tap, so a refused tap is refused at once and
nobody types a reason for nothing. The use case checks again when the text arrives."""

from __future__ import annotations

from gridbot.domain.case import Case
from gridbot.domain.case_common import known_staff, tree_around
from gridbot.domain.errors import NotFound
from gridbot.domain.lifecycle import CaseAction, next_status
from gridbot.domain.policy import action_for, require
from gridbot.domain.ports import UnitOfWork


async def check_wish_step(
    uow: UnitOfWork, telegram_id: int, case_id: int, action: CaseAction
) -> Case:
    """The wish, when this person may now do ``action`` on it: NotFound for anything but a
    wish, PermissionDenied or IllegalTransition (nothing changes either way)."""
    staff = await known_staff(uow, telegram_id)
    case = await uow.cases.get(case_id)
    if case is None or not case.is_wish:
        raise NotFound(f"no micro-wish {case_id}", case=str(case_id))
    codes = [case.grid_code, case.unit_code or case.grid_code, *(a.unit_code for a in staff.roles)]
    require(staff, action_for(action), tree=await tree_around(uow, codes), case=case)
    next_status(case.kind, case.status, action)
    return case


async def is_wish(uow: UnitOfWork, case_id: int) -> bool:
    """Whether the case is a micro-wish: 驳回 Reject shares its callback with 退回 Return."""
    case = await uow.cases.get(case_id)
    return case is not None and case.is_wish
