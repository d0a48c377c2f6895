"""A month of cases on the demo org's street 万新街道, for the chart: every day of February
2026 some received across the categories and grids, most resolved a day or two later."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from gridbot.domain.case import Case, CaseKind, CaseLevel, CaseStatus
from gridbot.storage.database import Database

TZ = ZoneInfo("Asia/Shanghai")
GRIDS = ("DL-WX-LY-01", "DL-WX-LY-02", "DL-WX-ZB-01", "DL-WX-ZB-02")
CATEGORIES = ("env", "env", "order", "repair", "property", "safety", "env", "dispute", "policy")


async def seed_february(db: Database) -> int:
    """Write the month's cases; returns how many."""
    made = 0
    async with db.uow() as uow:
        for day in range(1, 29):
            for n in range((day * 7) % 5 + 1 + (day % 3)):
                at = datetime(2026, 2, day, 8 + (n * 3) % 10, (n * 17) % 60, tzinfo=TZ)
                resolved = (day + n) % 4 != 0
                made += 1
                await uow.cases.add(
                    Case(
                        number=f"2026-{made:06d}",
                        kind=CaseKind.HAZARD if n % 5 == 4 else CaseKind.ISSUE,
                        category_code=CATEGORIES[(day + n) % len(CATEGORIES)],
                        text="门口垃圾没人清",
                        reporter_id=None,
                        grid_code=GRIDS[(day * 3 + n) % len(GRIDS)],
                        created_at=at,
                        status=CaseStatus.CLOSED if resolved else CaseStatus.IN_PROGRESS,
                        level=CaseLevel.GRID,
                        unit_code=GRIDS[(day * 3 + n) % len(GRIDS)],
                        respond_by=at + timedelta(hours=2),
                        resolve_by=at + timedelta(days=3),
                        accepted_at=at + timedelta(minutes=40),
                        resolved_at=at + timedelta(days=1 + n % 2) if resolved else None,
                        closed_at=at + timedelta(days=2 + n % 2) if resolved else None,
                    )
                )
        await uow.commit()
    return made
