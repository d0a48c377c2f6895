"""The digests' storage on SQLite and PostgreSQL: a publication is recorded once per unit,
period and preview; the residents' groups under units (never a workers' group, never a
group the bot left); resolved public cases as examples; overdue cases counted by grid."""

from __future__ import annotations

from datetime import timedelta

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import CaseKind, CaseStatus
from gridbot.domain.digests import DigestRecord, DigestSource
from gridbot.domain.org import GridKind, OrgUnit, UnitLevel
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case

OTHER_GRID = "DL-WX-LY-02"
H = timedelta(hours=1)


def record(seed: Seed, prepared_minutes: int = 0, **changes: object) -> DigestRecord:
    values: dict[str, object] = {
        "unit_code": "DL-WX-LY",
        "period_label": "2026-03",
        "period_start": T0,
        "period_end": T0 + timedelta(days=31),
        "source": DigestSource.MANUAL,
        "prepared_at": T0 + timedelta(minutes=prepared_minutes),
        "published_at": T0 + H,
        "groups": 2,
        "text": "临月里社区 向群众汇报",
        "published_by": seed.worker_id,
    }
    values.update(changes)
    return DigestRecord(**values)  # type: ignore[arg-type]


async def test_a_publication_is_recorded_once_per_preview(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        first = await uow.digests.add(record(seed))
        again = await uow.digests.add(record(seed, text="another tap"))
        later = await uow.digests.add(record(seed, 5, published_at=T0 + 2 * H, groups=3))
        await uow.commit()

    assert first is not None and first.id is not None and first.unit_code == "DL-WX-LY"
    assert again is None and later is not None
    async with db.reader() as uow:
        found = await uow.digests.find("DL-WX-LY", "2026-03", T0)
        latest = await uow.digests.latest("DL-WX-LY", "2026-03")
        other = await uow.digests.latest("DL-WX-LY", "2026-02")
    assert found == first and found.text == "临月里社区 向群众汇报"
    assert latest == later and latest.groups == 3 and other is None


async def test_the_audience_is_the_residents_groups_under_the_units(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        await uow.org.save_unit(
            OrgUnit(OTHER_GRID, "临月里第二网格", UnitLevel.GRID, "DL-WX-LY", GridKind.RESIDENTIAL)
        )
        for chat, unit, kind in (
            (-1, seed.grid, BindingKind.BUILDING),
            (-2, seed.grid, BindingKind.WORKER_GROUP),
            (-3, OTHER_GRID, BindingKind.ENTERPRISE),
            (-4, seed.grid, BindingKind.BUILDING),
        ):
            await uow.bindings.save(ChatBinding(chat, unit, kind, T0))
        await uow.bindings.deactivate(-4)
        await uow.commit()

    async with db.reader() as uow:
        mine = [b.chat_id for b in await uow.digests.audience([seed.grid])]
        both = [b.chat_id for b in await uow.digests.audience([seed.grid, OTHER_GRID, "DL"])]
        every = [b.chat_id for b in await uow.digests.audience(None)]
        none = await uow.digests.audience([])
    assert mine == [-1] and both == [-3, -1] and every == [-3, -1] and none == []


async def test_examples_are_resolved_public_cases_of_the_cohort(db: Database, seed: Seed) -> None:
    rows = (
        # number, minutes after T0, public, resolved, kind, grid, text
        ("2026-000001", 0, True, True, CaseKind.ISSUE, seed.grid, "路灯不亮"),
        ("2026-000002", 10, True, False, CaseKind.ISSUE, seed.grid, "井盖松动"),
        ("2026-000003", 20, False, True, CaseKind.ISSUE, seed.grid, "邻居私事"),
        ("2026-000004", 30, True, True, CaseKind.WISH, seed.grid, "修轮椅"),
        ("2026-000005", 40, True, True, CaseKind.HAZARD, seed.grid, "电线裸露"),
        ("2026-000006", -60, True, True, CaseKind.ISSUE, seed.grid, "上个月的"),
    )
    async with db.uow() as uow:
        for number, minutes, public, resolved, kind, grid, text in rows:
            case = make_case(seed, number, minutes, public=public, kind=kind, text=text)
            case.grid_code = grid
            if resolved:
                case.status = CaseStatus.RESOLVED
                case.resolved_at = T0 + timedelta(minutes=minutes + 90)
            await uow.cases.add(case)
        await uow.commit()

    async with db.reader() as uow:
        found = await uow.digests.resolved_examples([seed.grid], T0, T0 + 24 * H, 5)
        first = await uow.digests.resolved_examples(None, T0, T0 + 24 * H, 1)
        elsewhere = await uow.digests.resolved_examples([OTHER_GRID], T0, T0 + 24 * H, 5)
    assert found == [("env", "电线裸露"), ("env", "路灯不亮")]
    assert first == [("env", "电线裸露")] and elsewhere == []


async def test_overdue_cases_are_counted_by_grid(db: Database, seed: Seed) -> None:
    now = T0 + 24 * H
    async with db.uow() as uow:
        await uow.org.save_unit(
            OrgUnit(OTHER_GRID, "临月里第二网格", UnitLevel.GRID, "DL-WX-LY", GridKind.RESIDENTIAL)
        )
        for number, status, respond_by, resolve_by, grid in (
            ("2026-000001", CaseStatus.ASSIGNED, now - H, now + H, seed.grid),
            ("2026-000002", CaseStatus.IN_PROGRESS, now - 9 * H, now - H, seed.grid),
            ("2026-000003", CaseStatus.IN_PROGRESS, now - 9 * H, now + H, seed.grid),
            ("2026-000004", CaseStatus.SUBMITTED, now - H, now + H, OTHER_GRID),
            ("2026-000005", CaseStatus.RESOLVED, now - H, now - H, OTHER_GRID),
        ):
            case = make_case(
                seed, number, status=status, respond_by=respond_by, resolve_by=resolve_by
            )
            case.grid_code = case.unit_code = grid
            await uow.cases.add(case)
        await uow.commit()

    async with db.reader() as uow:
        by_grid = await uow.overdue.count_overdue_by_grid([seed.grid, OTHER_GRID], now)
        total = await uow.overdue.count_overdue([seed.grid, OTHER_GRID], now)
        none = await uow.overdue.count_overdue_by_grid([], now)
    assert by_grid == {seed.grid: 2, OTHER_GRID: 1} and sum(by_grid.values()) == total
    assert none == {}
