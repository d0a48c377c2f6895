"""Schedule work that falls due later (deadlines, follow-ups, digests) as due items."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.ports import UnitOfWork


async def schedule(
    uow: UnitOfWork,
    kind: DueKind,
    ref: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
) -> DueItem:
    """Store a due item in the caller's transaction; a scheduler tick runs it once."""
    item = DueItem(kind=kind, due_at=due_at, ref=ref, payload=dict(payload or {}))
    return await uow.due.add(item)


async def reschedule(
    uow: UnitOfWork,
    kind: DueKind,
    ref: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
) -> DueItem:
    """Replace any undone item of this kind about ``ref`` (a deadline that moved)."""
    await uow.due.cancel(kind, ref)
    return await schedule(uow, kind, ref, due_at, payload)
