"""What the case use cases share: limits, input checks, who is asking, the org around a case."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo
from zoneinfo import ZoneInfo

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.errors import NotBound, NotFound, ValidationFailed
from gridbot.domain.numbering import parse_case_number
from gridbot.domain.org import OrgUnit, Person, Staff
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.people import identify
from gridbot.domain.ports import UnitOfWork

MAX_TEXT = 1000  # characters of a description or note
MAX_PHOTOS = 5
MAX_REPORTS_PER_HOUR = 5  # per person, issues + hazards + wishes


def check_text(text: str | None) -> str:
    """The stripped text; ValidationFailed (code text_empty / text_too_long) otherwise."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed("the text is empty", code="text_empty", limit=MAX_TEXT)
    if len(cleaned) > MAX_TEXT:
        raise ValidationFailed(
            f"the text has {len(cleaned)} characters, at most {MAX_TEXT} are allowed",
            code="text_too_long",
            limit=MAX_TEXT,
            length=len(cleaned),
        )
    return cleaned


def check_photos(photos: Sequence[str]) -> tuple[str, ...]:
    """At most MAX_PHOTOS non-empty file ids; ValidationFailed (code too_many_photos)."""
    kept = tuple(photo for photo in photos if photo)
    if len(kept) > MAX_PHOTOS:
        raise ValidationFailed(
            f"{len(kept)} photos, at most {MAX_PHOTOS} are allowed",
            code="too_many_photos",
            limit=MAX_PHOTOS,
        )
    return kept


def zone(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


async def known_person(uow: UnitOfWork, telegram_id: int) -> Person:
    """The person behind a Telegram account; NotBound for a stranger."""
    person = await uow.people.by_telegram_id(telegram_id)
    if person is None or person.id is None:
        raise NotBound(f"telegram user {telegram_id} is not known", telegram_id=telegram_id)
    return person


async def known_staff(uow: UnitOfWork, telegram_id: int) -> Staff:
    """The person with every role they hold; NotBound for a stranger."""
    staff = await identify(uow, telegram_id)
    if staff is None:
        raise NotBound(f"telegram user {telegram_id} is not known", telegram_id=telegram_id)
    return staff


async def find_case(uow: UnitOfWork, case_id_or_number: int | str) -> Case:
    """A case by id, or by a number as people type it (``2026-000123``); NotFound otherwise."""
    case: Case | None
    if isinstance(case_id_or_number, int):
        case = await uow.cases.get(case_id_or_number)
    else:
        year, seq = parse_case_number(case_id_or_number)
        case = await uow.cases.by_number(f"{year}-{seq:06d}")
    if case is None or case.id is None:
        raise NotFound(f"no case {case_id_or_number}", case=str(case_id_or_number))
    return case


async def lineage(uow: UnitOfWork, code: str) -> list[OrgUnit]:
    """The unit and every unit above it, nearest first (empty for an unknown code)."""
    found: list[OrgUnit] = []
    seen: set[str] = set()
    unit = await uow.org.get_unit(code)
    while unit is not None and unit.code not in seen:
        seen.add(unit.code)
        found.append(unit)
        unit = await uow.org.get_unit(unit.parent_code) if unit.parent_code else None
    return found


async def tree_around(uow: UnitOfWork, codes: Iterable[str]) -> OrgTree:
    """The part of the org tree that routing and permissions read for these units: each of
    them with its chain up to the district. Loading the whole district for one case would
    cost thousands of rows; a few chains answer every question asked about the case."""
    units: dict[str, OrgUnit] = {}
    for code in dict.fromkeys(codes):
        if code in units:
            continue
        for unit in await lineage(uow, code):
            units.setdefault(unit.code, unit)
    return OrgTree(units.values())


async def record(uow: UnitOfWork, case: Case, event: CaseEvent) -> None:
    """Store a transition: the case as it now is, and the event that made it so."""
    await uow.cases.update(case)
    await uow.cases.add_event(event)


async def locked_case(uow: UnitOfWork, case_id: int) -> Case:
    """The case with its row locked until commit: a double tap or a colleague acting at
    the same time waits, then sees the first change, and lifecycle refuses the second."""
    case = await uow.cases.get_for_update(case_id)
    if case is None or case.id is None:
        raise NotFound(f"no case {case_id}", case=str(case_id))
    return case
