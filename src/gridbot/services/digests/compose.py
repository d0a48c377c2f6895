"""A unit's public digest over a period, composed inside a unit of work the caller holds:
the figures of ``compute_stats`` (the same definitions as /stats, docs/metrics.md), the
categories most resolved, a few resolved public cases as masked examples, the micro-wishes
fulfilled, and the residents' groups it goes to; then, once recorded, one outbox message to
each of those groups (never in the residents' quiet hours)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gridbot.domain.digests import (
    EXAMPLES,
    TOP_CATEGORIES,
    DigestRecord,
    DigestSource,
    residents_groups,
)
from gridbot.domain.metrics import Period
from gridbot.domain.org import OrgUnit
from gridbot.domain.texts import public_summary
from gridbot.services.context import Context
from gridbot.services.orgcache import Organisation
from gridbot.services.ports import UnitOfWork
from gridbot.services.stats import UnitStats, compute_stats, scope_of

PUBLIC_TEMPLATE = "digest/public.html.j2"


@dataclass(frozen=True)
class DigestDraft:
    """What a unit's digest says (``text``, in the groups' language, and the ``context`` it
    was rendered from) and the chats of the residents' groups it goes to."""

    unit: OrgUnit
    period: Period
    stats: UnitStats
    groups: tuple[int, ...]
    context: Mapping[str, Any]
    text: str
    now: datetime

    @property
    def empty(self) -> bool:
        """Nothing received and no micro-wish posted: a scheduled digest says nothing."""
        return self.stats.figures.counts.received == 0 and self.stats.wishes.posted == 0


async def draft_digest(
    uow: UnitOfWork, ctx: Context, org: Organisation, unit: OrgUnit, period: Period, now: datetime
) -> DigestDraft:
    """The digest of ``unit`` over ``period`` as of ``now``; no authorization here."""
    stats = await compute_stats(uow, org, unit, period, now)
    scope = scope_of(org.tree, unit)
    found = await uow.digests.resolved_examples(scope, period.start, period.end, EXAMPLES)
    groups = residents_groups(await uow.digests.audience(scope))
    fixed = sorted(
        (c for c in stats.by_category if c.figures.counts.resolved > 0),
        key=lambda c: -c.figures.counts.resolved,
    )[:TOP_CATEGORIES]
    context: dict[str, Any] = {
        "unit": unit,
        "period": period,
        "figures": stats.figures,
        "fixed": [(c.code, c.figures.counts.resolved) for c in fixed],
        "examples": [(code, public_summary(text)) for code, text in found],
        "wishes": stats.wishes,
        "categories": {c.code: c for c in org.categories},
        # A period not over yet (this month so far) says up to which day it counts.
        "so_far": now.astimezone(ctx.tz).date().isoformat() if period.end > now else None,
    }
    renderer = ctx.notices.renderer
    text = renderer.render(PUBLIC_TEMPLATE, renderer.locale_for(None), **context)
    chats = tuple(dict.fromkeys(b.chat_id for b in groups))
    return DigestDraft(unit, period, stats, chats, context, text, now)


async def post_digest(
    uow: UnitOfWork,
    ctx: Context,
    draft: DigestDraft,
    source: DigestSource,
    prepared_at: datetime,
    published_by: int | None = None,
) -> DigestRecord | None:
    """Record the publication and queue the digest to each of its groups, in ``uow``;
    None (nothing queued) when this digest was recorded already."""
    now, period = draft.now, draft.period
    record = await uow.digests.add(
        DigestRecord(
            unit_code=draft.unit.code,
            period_label=period.label,
            period_start=period.start,
            period_end=period.end,
            source=source,
            prepared_at=prepared_at,
            published_at=now,
            groups=len(draft.groups),
            text=draft.text,
            published_by=published_by,
        )
    )
    if record is None:
        return None
    # Groups of residents are resident-side: nothing lands in their quiet hours.
    later = ctx.notices.residents_may_hear(now)
    for chat in draft.groups:
        await ctx.notices.outbox.to_chat(
            uow, now, chat, PUBLIC_TEMPLATE, not_before=later, **draft.context
        )
    return record
