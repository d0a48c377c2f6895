"""Free text as the edge leaves it (``check_text``) is stored verbatim on both databases:
control characters are gone (PostgreSQL refuses NUL in text), SQL and HTML are data."""

from __future__ import annotations

import pytest

from gridbot.domain.case import Location
from gridbot.domain.texts import check_text
from gridbot.storage.database import Database

from .factories import Seed, make_case

HOSTILE = [
    "楼道\x00灯坏了\x07",
    "'); DROP TABLE cases; --",
    "<script>alert('x')</script> &amp; <b>粗</b>",
    "\u200b第一行\r\n第二行\t完\ufeff",
]


@pytest.mark.parametrize("typed", HOSTILE)
async def test_checked_text_round_trips_verbatim(db: Database, seed: Seed, typed: str) -> None:
    text = check_text(typed)
    case = make_case(seed, "2026-000001", text=text, location=Location(None, None, text))
    async with db.uow() as uow:
        added = await uow.cases.add(case)
        await uow.commit()
    async with db.reader() as uow:
        stored = await uow.cases.get(added.id or 0)
        count = await uow.cases.count_reported_since(seed.reporter_id, case.created_at)
    assert stored is not None and stored.text == text
    assert stored.location is not None and stored.location.address == text
    assert "\x00" not in stored.text and count == 1
