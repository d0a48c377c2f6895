"""What the care use cases send: a due visit's reminder to the assigned worker, and the
news of an assignment to the newly assigned one. Private chats only: a care person is
never named to a group, a resident or anyone outside their worker, grid leader and
supervisors."""

from __future__ import annotations

from gridbot.domain.care import CarePerson
from gridbot.domain.org import OrgUnit, Person
from gridbot.services.context import Context
from gridbot.services.notices.keyboards import N_, Button, Keyboard
from gridbot.services.ports import UnitOfWork

REMINDER = "care/reminder.html.j2"
ASSIGNED = "care/assigned.html.j2"


def care_callback(action: str, care_id: int) -> str:
    """Same bytes as ``CareCallback(action=action, care_id=care_id).pack()``."""
    return f"cv:{action}:{care_id}"


def visit_keyboard(person: CarePerson) -> Keyboard:
    assert person.id is not None
    return Keyboard.of([Button(N_("Record the visit"), care_callback("visit", person.id))])


async def remind_worker(
    uow: UnitOfWork, ctx: Context, person: CarePerson, worker: Person, grid: OrgUnit | None
) -> bool:
    """走访提醒: the visit is due; a button records it. False: the worker is unreachable."""
    return await ctx.notices.outbox.to_person(
        uow,
        ctx.clock.now(),
        worker,
        REMINDER,
        keyboard=visit_keyboard(person),
        care=person,
        grid=grid,
        tz=ctx.tz,
    )


async def tell_assigned(
    uow: UnitOfWork, ctx: Context, person: CarePerson, worker: Person, grid: OrgUnit, by: Person
) -> bool:
    """The newly assigned worker learns whom they now visit, and when next."""
    return await ctx.notices.outbox.to_person(
        uow,
        ctx.clock.now(),
        worker,
        ASSIGNED,
        keyboard=visit_keyboard(person),
        care=person,
        grid=grid,
        by=by.name,
        tz=ctx.tz,
    )
