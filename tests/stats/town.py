"""A small district with a known set of cases, written straight through the repositories,
for pinning every figure of /stats to values worked out by hand (see test_figures.py).

東丽区 DL ─ 万新街道 DL-WX ─ 临月里社区 DL-WX-LY ─ G1 DL-WX-LY-01 (and a building)
                           └ 詹滨里社区 DL-WX-ZB ─ G2 DL-WX-ZB-01
        └ 和平街道 DL-HP ─ 和平社区 DL-HP-A ─ G3 DL-HP-A-01

Times are local (Asia/Shanghai); the period is November 2026; now is 1 December 10:00.
Each case is listed with what it counts for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from gridbot.domain.care import CareCategory, CarePerson, CareVisit
from gridbot.domain.case import (
    Case,
    CaseKind,
    CaseLevel,
    CaseStatus,
    Rating,
    RatingValue,
    Visit,
)
from gridbot.domain.org import Category, GridKind, OrgUnit, Person, Role, UnitLevel
from gridbot.storage.database import Database
from gridbot.storage.uow import SqlUnitOfWork

TZ = ZoneInfo("Asia/Shanghai")
S, K, L, V = CaseStatus, CaseKind, CaseLevel, RatingValue
G1, G2, G3 = "DL-WX-LY-01", "DL-WX-ZB-01", "DL-HP-A-01"
UNITS = (
    OrgUnit("DL", "东丽区", UnitLevel.DISTRICT),
    OrgUnit("DL-WX", "万新街道", UnitLevel.STREET, "DL"),
    OrgUnit("DL-WX-LY", "临月里社区", UnitLevel.COMMUNITY, "DL-WX"),
    OrgUnit(G1, "临月里第一网格", UnitLevel.GRID, "DL-WX-LY", GridKind.RESIDENTIAL, "j1", "b1"),
    OrgUnit(f"{G1}-B1", "临月里1号楼", UnitLevel.BUILDING, G1),
    OrgUnit("DL-WX-ZB", "詹滨里社区", UnitLevel.COMMUNITY, "DL-WX"),
    OrgUnit(G2, "詹滨里第一网格", UnitLevel.GRID, "DL-WX-ZB", GridKind.RESIDENTIAL, "j2", "b2"),
    OrgUnit("DL-HP", "和平街道", UnitLevel.STREET, "DL"),
    OrgUnit("DL-HP-A", "和平社区", UnitLevel.COMMUNITY, "DL-HP"),
    OrgUnit(G3, "和平第一网格", UnitLevel.GRID, "DL-HP-A", GridKind.RESIDENTIAL, "j3", "b3"),
)
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 1 December 10:00 local


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A local time of 2026, in UTC."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=TZ).astimezone(UTC)


def nov(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return at(11, day, hour, minute, second)


@dataclass(frozen=True)
class Spec:
    """A case as the fixture writes it, with its ratings (value, local time) in order."""

    name: str
    grid: str
    created: datetime
    respond_by: datetime
    resolve_by: datetime
    status: CaseStatus
    category: str = "env"
    kind: CaseKind = K.ISSUE
    level: CaseLevel = L.GRID
    accepted: datetime | None = None
    resolved: datetime | None = None
    closed: datetime | None = None
    reopens: int = 0
    ratings: tuple[tuple[RatingValue, datetime], ...] = ()


CASES = (
    # G1: 7 received in November (A B C D E F I); H in October, G and Q in December.
    Spec(
        "A", G1, nov(2, 9), nov(2, 11), nov(4, 23, 59, 59), S.CLOSED,
        accepted=nov(2, 9, 30), resolved=nov(3, 9), closed=nov(3, 12),
        ratings=((V.SATISFIED, nov(3, 12)),),
    ),  # responded 30 min, resolved 1 day, on time, closed in the grid, 满意
    Spec(
        "B", G1, nov(5, 10), nov(5, 12), nov(12, 23, 59, 59), S.CLOSED, level=L.COMMUNITY,
        accepted=nov(5, 13), resolved=nov(10, 10), closed=nov(10, 12), reopens=1,
        ratings=((V.UNSATISFIED, nov(9, 11)), (V.SATISFIED, nov(10, 12))),
    ),  # late response (3 h); 不满意 → 重办 → resolved again in 5 days → 满意; community
    Spec(
        "C", G1, nov(10, 8), nov(10, 10), nov(12, 23, 59, 59), S.IN_PROGRESS,
        accepted=nov(10, 8, 20),
    ),  # responded in 20 min, still open past its resolution deadline: overdue
    Spec("D", G1, nov(15, 10), nov(15, 12), nov(17, 23, 59, 59), S.ASSIGNED),
    # D: never accepted, response deadline passed: response missed, overdue
    Spec("E", G1, nov(20, 10), nov(20, 12), nov(22, 23, 59, 59), S.REJECTED),
    # E: returned (退回): received and rejected, owes no response
    Spec(
        "F", G1, nov(30, 23, 59, 59), at(12, 1, 0, 59, 59), at(12, 1, 23, 59, 59),
        S.SUBMITTED, category="safety",
    ),  # the last second of November counts; its response falls due in December: overdue
    Spec(
        "I", G1, nov(3, 10), nov(3, 12), nov(5, 23, 59, 59), S.CLOSED,
        accepted=nov(3, 10, 10), resolved=nov(4, 10), closed=nov(7, 10),
    ),  # responded 10 min, resolved in a day, closed without a rating
    Spec(
        "H", G1, at(10, 31, 23, 59, 59), nov(1, 1, 59, 59), nov(2, 23, 59, 59),
        S.IN_PROGRESS, accepted=nov(1, 1),
    ),  # received in October: not in November's cohort, but its response was due then (met)
    Spec("G", G1, at(12, 1), at(12, 1, 1), at(12, 3, 23, 59, 59), S.SUBMITTED),
    # G: midnight of 1 December is December's
    Spec("Q", G1, at(12, 1, 9, 30), at(12, 1, 11, 30), at(12, 3, 23, 59, 59), S.ASSIGNED),
    # Q: its response deadline has not passed yet: not counted for 响应率
    # G2: 3 received (J K L)
    Spec(
        "J", G2, nov(6, 9), nov(6, 10), nov(7, 23, 59, 59), S.RESOLVED, category="safety",
        accepted=nov(6, 9, 30), resolved=nov(8, 15),
    ),  # responded 30 min, resolved late (2 d 6 h), waiting for its rating
    Spec(
        "K", G2, nov(7, 9), nov(7, 11), nov(9, 23, 59, 59), S.CLOSED, category="safety",
        kind=K.HAZARD, level=L.STREET, accepted=nov(7, 12), resolved=nov(8, 9),
        closed=nov(8, 10), ratings=((V.BASIC, nov(8, 10)),),
    ),  # a hazard: late response (3 h), resolved in a day at street level, 基本满意
    Spec("L", G2, nov(25, 10), nov(25, 12), nov(27, 23, 59, 59), S.CANCELLED),
    # L: withdrawn by the reporter
    # G3: 2 received (M N)
    Spec(
        "M", G3, nov(4, 10), nov(4, 12), nov(8, 23, 59, 59), S.IN_PROGRESS,
        accepted=nov(4, 10, 5), reopens=1, ratings=((V.UNSATISFIED, nov(5, 9)),),
    ),  # responded in 5 min; 不满意 reopened it, late again: overdue, latest rating 不满意
    Spec(
        "N", G3, nov(28, 10), nov(28, 12), nov(30, 23, 59, 59), S.CLOSED,
        accepted=nov(28, 10, 30), resolved=nov(29, 10), closed=nov(30, 10), reopens=1,
        ratings=((V.UNSATISFIED, nov(28, 14)),),
    ),  # 不满意 → resolved again → closed unrated: rated (不满意) and closed unrated
)  # fmt: skip

WISHES = (  # (grid, created, status)
    (G1, nov(8, 10), S.CONFIRMED),
    (G1, nov(9, 10), S.CLAIMED),
    (G1, nov(12, 10), S.APPROVED),
    (G1, at(10, 20, 10), S.CONFIRMED),  # October's
    (G3, nov(14, 10), S.CLOSED),  # fulfilled, closed unrated
)
VISITS = (  # (case, due, done)
    ("A", nov(6, 10), nov(6, 11)),
    ("B", nov(13, 10), None),  # overdue
    ("I", at(12, 3, 10), None),  # December's
    ("K", nov(11, 10), nov(12, 10)),
    ("N", nov(30, 12), None),  # overdue
)
CARE = (  # (grid, next visit, removed, visits made)
    (G1, nov(28, 9), None, (nov(10, 9), nov(20, 9), at(10, 25, 9))),  # overdue
    (G2, at(12, 5, 9), None, (nov(15, 9),)),
    (G3, nov(1, 9), nov(3, 9), (nov(2, 9),)),  # removed: not overdue, its visit counts
    (G3, nov(30, 9), None, (at(10, 28, 9),)),  # overdue; its visit is October's
)


def _case(spec: Spec, number: str, reporter: int, worker: int) -> Case:
    return Case(
        number=number,
        kind=spec.kind,
        category_code=spec.category,
        text=f"case {spec.name}",
        reporter_id=reporter,
        grid_code=spec.grid,
        created_at=spec.created,
        status=spec.status,
        level=spec.level,
        unit_code=spec.grid,
        assignee_id=worker,
        respond_by=spec.respond_by,
        resolve_by=spec.resolve_by,
        accepted_at=spec.accepted,
        resolved_at=spec.resolved,
        closed_at=spec.closed,
        reopen_count=spec.reopens,
    )


async def _people(uow: SqlUnitOfWork) -> tuple[int, int]:
    reporter = await uow.people.save(Person("李桂兰", telegram_id=2001))
    worker = await uow.people.save(Person("张伟", telegram_id=1001))
    assert reporter.id is not None and worker.id is not None
    return reporter.id, worker.id


async def build_town(db: Database) -> dict[str, int]:
    """Write the town; returns the ids of the cases by name."""
    ids: dict[str, int] = {}
    async with db.uow() as uow:
        for unit in UNITS:
            await uow.org.save_unit(replace(unit))
        for code, name in (("env", "环境卫生"), ("safety", "安全隐患"), ("wish", "微心愿")):
            await uow.categories.save(Category(code, name, Role.GRID_WORKER))
        reporter, worker = await _people(uow)
        for number, spec in enumerate(CASES, start=1):
            case = await uow.cases.add(_case(spec, f"2026-{number:06d}", reporter, worker))
            assert case.id is not None
            ids[spec.name] = case.id
            for value, when in spec.ratings:
                await uow.cases.add_rating(Rating(case.id, value, reporter, when))
        for number, (grid, created, status) in enumerate(WISHES, start=100):
            wish = Spec("wish", grid, created, created, created + timedelta(days=30), status)
            wish = replace(wish, kind=K.WISH, category="wish")
            await uow.cases.add(_case(wish, f"2026-{number:06d}", reporter, worker))
        for name, due, done in VISITS:
            await uow.cases.add_visit(Visit(ids[name], worker, due, done_at=done))
        await _care(uow, worker)
        await uow.commit()
    return ids


async def _care(uow: SqlUnitOfWork, worker: int) -> None:
    for number, (grid, next_visit, removed, visits) in enumerate(CARE):
        person = await uow.care.add_person(
            CarePerson(
                f"care {number}",
                grid,
                CareCategory.ELDERLY_ALONE,
                worker,
                added_at=at(10, 1),
                next_visit_at=next_visit,
                removed_at=removed,
            )
        )
        assert person.id is not None
        for when in visits:
            await uow.care.add_visit(CareVisit(person.id, worker, when))
