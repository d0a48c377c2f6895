"""Care persons from the org file's ``care:`` section, merged in the import's transaction.

A care person is matched by their ledger ``ref`` when the file gives one, else by name on
their grid. Importing the same file twice changes nothing the second time. A person the
grid leader removed in chat stays removed (delete them from the file too); a visit
recorded in the bot counts over an older ``last_visit`` of the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from gridbot.domain.care import CareCategory, CarePerson, visit_due_on
from gridbot.services.care.common import schedule_visit
from gridbot.services.context import Context
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class CareSpec:
    """A care person of the file; ``worker`` is the index of their worker among the file's
    people; ``last_visit`` a visit made before the bot (from a paper ledger)."""

    name: str
    grid_code: str
    category: CareCategory
    worker: int
    interval_days: int
    address: str | None = None
    phone: str | None = None
    ref: str | None = None
    last_visit: date | None = None


async def import_care(
    specs: Sequence[CareSpec], people_ids: Sequence[int], uow: UnitOfWork, ctx: Context
) -> list[tuple[bool, bool]]:
    """Merge each care person; returns (created, changed) for each."""
    return [await _import_one(spec, people_ids[spec.worker], uow, ctx) for spec in specs]


async def _import_one(
    spec: CareSpec, worker_id: int, uow: UnitOfWork, ctx: Context
) -> tuple[bool, bool]:
    existing = await uow.care.match(spec.ref, spec.grid_code, spec.name)
    if existing is not None and not existing.active:
        return False, False
    wanted = _wanted(spec, worker_id, existing, ctx)
    if existing is None:
        await schedule_visit(uow, await uow.care.add_person(wanted))
        return True, True
    if wanted == existing:
        return False, False
    await uow.care.update_person(wanted)
    moved = (wanted.next_visit_at, wanted.worker_id) != (existing.next_visit_at, existing.worker_id)
    if moved:
        await schedule_visit(uow, wanted)
    return False, True


def _wanted(
    spec: CareSpec, worker_id: int, existing: CarePerson | None, ctx: Context
) -> CarePerson:
    last = visit_due_on(spec.last_visit, ctx.tz) if spec.last_visit else None
    if existing is not None and existing.last_visit_at is not None:
        last = existing.last_visit_at if last is None else max(last, existing.last_visit_at)
    person = CarePerson(
        name=spec.name,
        grid_code=spec.grid_code,
        category=spec.category,
        worker_id=worker_id,
        visit_interval_days=spec.interval_days,
        address=spec.address,
        phone=spec.phone,
        last_visit_at=last,
        added_at=existing.added_at if existing else ctx.clock.now(),
        ref=spec.ref,
        id=existing.id if existing else None,
    )
    person.schedule(ctx.tz)
    return person
