"""A league of the demo org's grids over February 2026, written straight through the
repositories, for pinning /rank and /grid to values worked out by hand (test_ranking.py,
test_grid_card.py). Now is the demo's 2 March 2026 10:00 (Asia/Shanghai); times are local.

February (composite = 30% response + 30% resolution + 30% satisfaction + 10% on time):

  grid         cases (holder)          response resolution satisfaction on time   score
  DL-WX-LY-01  6 (张伟)                  6/6      6/6        5/6          6/6      95.0
  DL-WX-LY-02  5 (李娜) + 1 (刘洋)        6/6      4/6        4/4          4/4      90.0
  DL-WX-ZB-01  5 (陈静)                  5/5      5/5        5/5          0/5      90.0
  DL-WX-ZB-02  4 (赵敏)                  too few to rank (4 < 5)

LY-02 and ZB-01 tie at 90.0; LY-02 received more, so it comes first.
Workers of 临月里社区: 张伟 95.0 (6 handled); 李娜 5/5, 4/5, 4/4, 4/4 = 94.0; 刘洋 1 handled
and everyone else none: too few. 张伟 accepted after 10, 20, … 60 min (median 35 min), 李娜
after 5, 10, … 25 min (median 15 min).

January, DL-WX-LY-01 (the card's previous period): J1 accepted late, resolved on time,
satisfied; J2 accepted on time, still in progress and overdue now. Response 1/2, resolution
1/2, satisfaction 1/1, on time 1/1: 70.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gridbot.domain.case import Case, CaseKind, CaseStatus, Rating, RatingValue
from gridbot.storage.database import Database

TZ = ZoneInfo("Asia/Shanghai")
S, V = CaseStatus, RatingValue
LY1, LY2, ZB1, ZB2 = "DL-WX-LY-01", "DL-WX-LY-02", "DL-WX-ZB-01", "DL-WX-ZB-02"
ZHANG_WEI, LI_NA, LIU_YANG, CHEN_JING, ZHAO_MIN = 1001, 1003, 1004, 1005, 1007
RESIDENT = 2001


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


@dataclass(frozen=True)
class Spec:
    grid: str
    holder: int  # Telegram id
    created: datetime
    accepted_after: int | None  # minutes; None: never accepted
    status: CaseStatus
    respond_hours: int = 2
    resolve_days: int = 3
    resolved_after: timedelta | None = None
    ratings: tuple[RatingValue, ...] = ()
    reopens: int = 0
    category: str = "env"


def _closed(
    grid: str,
    holder: int,
    day: int,
    accepted_after: int,
    *,
    ratings: tuple[RatingValue, ...] = (V.SATISFIED,),
    resolved_after: timedelta = timedelta(days=1),
    **more: Any,
) -> Spec:
    """Resolved (by default a day after it came in) and closed, rated 满意 by default."""
    return Spec(
        grid,
        holder,
        at(2, day),
        accepted_after,
        S.CLOSED,
        resolved_after=resolved_after,
        ratings=ratings,
        **more,
    )


FEBRUARY = (
    # DL-WX-LY-01: 张伟, six cases, all closed; the last reopened by 不满意, closed unrated.
    _closed(LY1, ZHANG_WEI, 2, 10),
    _closed(LY1, ZHANG_WEI, 3, 20),
    _closed(LY1, ZHANG_WEI, 4, 30),
    _closed(LY1, ZHANG_WEI, 5, 40),
    _closed(LY1, ZHANG_WEI, 6, 50, ratings=(V.BASIC,), category="safety"),
    _closed(
        LY1,
        ZHANG_WEI,
        7,
        60,
        ratings=(V.UNSATISFIED,),
        reopens=1,
        resolved_after=timedelta(days=2),
        category="safety",
    ),
    # DL-WX-LY-02: 李娜 four closed and one in progress, 刘洋 one in progress.
    _closed(LY2, LI_NA, 9, 5),
    _closed(LY2, LI_NA, 10, 10),
    _closed(LY2, LI_NA, 11, 15),
    _closed(LY2, LI_NA, 12, 20),
    Spec(LY2, LI_NA, at(2, 26), 25, S.IN_PROGRESS, resolve_days=7),
    Spec(LY2, LIU_YANG, at(2, 27), 30, S.IN_PROGRESS, resolve_days=7),
    # DL-WX-ZB-01: 陈静, five cases resolved two days in against a one-day deadline.
    *(
        _closed(ZB1, CHEN_JING, day, 30, resolve_days=1, resolved_after=timedelta(days=2))
        for day in (13, 14, 15, 16, 17)
    ),
    # DL-WX-ZB-02: 赵敏, four cases: too few to rank.
    _closed(ZB2, ZHAO_MIN, 18, 30),
    _closed(ZB2, ZHAO_MIN, 19, 30),
    Spec(ZB2, ZHAO_MIN, at(2, 20), None, S.ASSIGNED),
    Spec(ZB2, ZHAO_MIN, at(2, 21), None, S.ASSIGNED),
)
JANUARY = (
    Spec(
        LY1, ZHANG_WEI, at(1, 10), 180, S.CLOSED,
        resolved_after=timedelta(days=1), ratings=(V.SATISFIED,),
    ),  # accepted 3 h in: late
    Spec(LY1, ZHANG_WEI, at(1, 15), 30, S.IN_PROGRESS),  # resolve by 18 January: overdue
)  # fmt: skip


async def build_league(db: Database) -> None:
    """Write the league's cases (the demo org must be imported already)."""
    async with db.uow() as uow:
        ids = {}
        for telegram_id in (RESIDENT, ZHANG_WEI, LI_NA, LIU_YANG, CHEN_JING, ZHAO_MIN):
            person = await uow.people.by_telegram_id(telegram_id)
            assert person is not None and person.id is not None
            ids[telegram_id] = person.id
        for number, spec in enumerate((*JANUARY, *FEBRUARY), start=1):
            case = await uow.cases.add(_case(spec, f"2026-{number:06d}", ids))
            assert case.id is not None
            # A rating an hour after the resolution; a reopened case's before its last one.
            rated_from = spec.created + timedelta(days=1)
            if spec.resolved_after and not spec.reopens:
                rated_from = spec.created + spec.resolved_after
            for index, value in enumerate(spec.ratings):
                when = rated_from + timedelta(hours=1 + index)
                await uow.cases.add_rating(Rating(case.id, value, ids[RESIDENT], when))
        await uow.commit()


def _case(spec: Spec, number: str, ids: dict[int, int]) -> Case:
    resolved = spec.created + spec.resolved_after if spec.resolved_after else None
    accepted = spec.accepted_after
    return Case(
        number=number,
        kind=CaseKind.ISSUE,
        category_code=spec.category,
        text=f"case {number}",
        reporter_id=ids[RESIDENT],
        grid_code=spec.grid,
        created_at=spec.created,
        status=spec.status,
        unit_code=spec.grid,
        assignee_id=ids[spec.holder],
        respond_by=spec.created + timedelta(hours=spec.respond_hours),
        resolve_by=spec.created + timedelta(days=spec.resolve_days),
        accepted_at=spec.created + timedelta(minutes=accepted) if accepted is not None else None,
        resolved_at=resolved,
        closed_at=resolved + timedelta(hours=2) if resolved and spec.status == S.CLOSED else None,
        reopen_count=spec.reopens,
    )
