"""一日双巡: reminders to patrol, at fixed local times every day.

Each time slot ("09:00", "15:00") is a chain of PATROL_REMINDER due items with the slot as
``ref``: the handler reminds the grid workers, then schedules the slot's next occurrence.
``ensure_patrol_reminders`` starts a chain that has no pending item (at start-up), so a
slot is scheduled once however many processes start; a slot dropped from the settings
ends its chain at its next run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo

from gridbot.domain.case_common import zone
from gridbot.domain.due import schedule
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Role, UnitLevel
from gridbot.domain.ports import Clock, UnitOfWork

DEFAULT_PATROL_TIMES = (time(9, 0), time(15, 0))
# A reminder the scheduler runs this late (it was down) is skipped, not sent at dinner time.
STALE_AFTER = timedelta(hours=2)
TEMPLATE = "notices/patrol_reminder.html.j2"


def parse_patrol_times(text: str) -> tuple[time, ...]:
    """``"09:00,15:00"`` → the sorted, distinct local times (``""``: none, no reminders);
    ValueError on anything else."""
    if not text.strip():
        return ()
    slots: set[time] = set()
    for part in text.split(","):
        hours, sep, minutes = part.strip().partition(":")
        if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValueError(f"patrol time {part.strip()!r} is not HH:MM")
        slots.add(time(int(hours), int(minutes)))  # ValueError when out of range
    return tuple(sorted(slots))


def format_patrol_times(times: Iterable[time]) -> str:
    return ",".join(slot.strftime("%H:%M") for slot in times)


def next_occurrence(slot: time, after: datetime, tz: tzinfo | str) -> datetime:
    """The first ``slot`` local time strictly after ``after``, in UTC."""
    local_zone = zone(tz)
    day = after.astimezone(local_zone).date()
    at = datetime.combine(day, slot, tzinfo=local_zone)
    if at <= after:
        at = datetime.combine(day + timedelta(days=1), slot, tzinfo=local_zone)
    return at.astimezone(UTC)


async def ensure_patrol_reminders(
    uow: UnitOfWork, clock: Clock, tz: tzinfo | str, times: Sequence[time] = DEFAULT_PATROL_TIMES
) -> list[DueItem]:
    """Schedule the next reminder of every slot that has none pending; returns the new items."""
    now, added = clock.now(), []
    for slot in times:
        ref = format_patrol_times([slot])
        if not await uow.due.pending(DueKind.PATROL_REMINDER, ref):
            added.append(
                await schedule(uow, DueKind.PATROL_REMINDER, ref, next_occurrence(slot, now, tz))
            )
    return added


async def on_patrol_reminder(
    item: DueItem,
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    times: Sequence[time] = DEFAULT_PATROL_TIMES,
) -> None:
    """Remind every on-duty grid worker once (one message each, naming their grids), then
    schedule the slot's next occurrence."""
    slot = next((s for s in times if format_patrol_times([s]) == item.ref), None)
    if slot is None:
        return  # the slot is no longer configured: its chain ends here
    now = clock.now()
    if now - item.due_at <= STALE_AFTER:
        await remind_grid_workers(uow, notifier, item.ref)
    await schedule(uow, DueKind.PATROL_REMINDER, item.ref, next_occurrence(slot, now, tz))


async def remind_grid_workers(uow: UnitOfWork, notifier: Notifier, slot: str) -> int:
    """One message per on-duty grid worker of any grid; returns how many were queued."""
    grids = {u.code: u for u in await uow.org.list_units() if u.level == UnitLevel.GRID}
    by_person: dict[int, list[str]] = {}
    for role in await uow.people.assignments_on(list(grids)):
        if role.role == Role.GRID_WORKER and role.on_duty:
            by_person.setdefault(role.person_id, []).append(grids[role.unit_code].name)
    sent = 0
    for person_id, names in sorted(by_person.items()):
        sent += await notifier.to_person(uow, person_id, TEMPLATE, slot=slot, grids=names)
    return sent
