"""/digest (向群众汇报): a supervisor previews the public digest of their unit (or a unit
under it) over a period — this month so far unless they name another, as /stats — and
publishes it with one tap to every residents' group bound under the unit. The tap is a
request: who may publish is checked again, before anything is read, and one preview is
published once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gridbot.domain.digests import DigestRecord, DigestSource
from gridbot.domain.errors import (
    DigestPublished,
    NoDigestGroups,
    PermissionDenied,
    UnknownUnit,
    ValidationFailed,
)
from gridbot.domain.metrics import Period, parse_period
from gridbot.domain.org import OrgUnit
from gridbot.domain.policy import Action, require
from gridbot.services.context import Actor, Context, known
from gridbot.services.digests.compose import DigestDraft, draft_digest, post_digest
from gridbot.services.stats import supervised_units


@dataclass(frozen=True)
class DigestOf:
    """``period``: as typed after /digest (None: this month so far); the unit by
    ``unit_code``, else the actor's own (highest) supervised unit."""

    actor: Actor | None
    period: str | None = None
    unit_code: str | None = None


@dataclass(frozen=True)
class DigestPreview:
    """The digest as it would be posted, and when this unit's digest of this period was
    last published (None: never). ``stamp`` names this preview (its time, in seconds)."""

    draft: DigestDraft
    last: DigestRecord | None

    @property
    def stamp(self) -> int:
        return int(self.draft.now.timestamp())


@dataclass(frozen=True)
class PublishDigest:
    """The 发布 tap under a preview: the unit's id, the period's label and the preview's
    ``stamp``, as the preview gave them."""

    actor: Actor | None
    unit_id: int
    period: str
    stamp: int


@dataclass(frozen=True)
class Published:
    """What was posted; ``not_before``: when the groups get it (quiet hours), else None."""

    record: DigestRecord
    draft: DigestDraft
    not_before: datetime | None


async def preview_digest(cmd: DigestOf, ctx: Context) -> DigestPreview:
    """NotBound for a stranger; PermissionDenied for anyone who supervises no unit, or not
    this one (nothing is read then); UnknownUnit; ValidationFailed (code ``period``)."""
    actor = known(cmd.actor)
    unit = _unit_named(actor, cmd.unit_code)
    now = ctx.clock.now()
    period = _period(cmd.period, now, ctx)
    async with ctx.reading() as uow:
        draft = await draft_digest(uow, ctx, actor.org, unit, period, now)
        last = await uow.digests.latest(unit.code, period.label)
    return DigestPreview(draft, last)


async def publish_digest(cmd: PublishDigest, ctx: Context) -> Published:
    """The preview's digest recorded and queued to each residents' group under the unit,
    in one transaction. Refused before anything is read: PermissionDenied, UnknownUnit,
    ValidationFailed; then DigestPublished for a preview published already (a second tap)
    and NoDigestGroups when no residents' group is bound under the unit. A refusal sends
    nothing."""
    actor = known(cmd.actor)
    unit = _unit_tapped(actor, cmd.unit_id)
    now = ctx.clock.now()
    period = _period(cmd.period, now, ctx)
    prepared_at = _stamp_time(cmd.stamp, now)
    async with ctx.writing() as uow:
        if await uow.digests.find(unit.code, period.label, prepared_at) is not None:
            raise DigestPublished("this preview was published already", unit=unit.code)
        draft = await draft_digest(uow, ctx, actor.org, unit, period, now)
        if not draft.groups:
            raise NoDigestGroups("no residents' group under the unit", unit=unit.code)
        record = await post_digest(uow, ctx, draft, DigestSource.MANUAL, prepared_at, actor.id)
        if record is None:  # a tap a moment earlier recorded it
            raise DigestPublished("this preview was published already", unit=unit.code)
        await uow.commit()
    return Published(record, draft, ctx.notices.residents_may_hear(now))


def _denied(actor: Actor, unit_code: str | None = None) -> PermissionDenied:
    return PermissionDenied(
        f"{actor.person.name} may not publish a digest",
        action=Action.PUBLISH_DIGEST.value,
        unit=unit_code,
    )


def _unit_named(actor: Actor, code: str | None) -> OrgUnit:
    supervised = supervised_units(actor)
    if not supervised:
        raise _denied(actor)
    wanted = (code or "").strip()
    if not wanted:
        return supervised[0]
    tree = actor.tree
    found = wanted if wanted in tree else wanted.upper()
    if found not in tree:
        raise UnknownUnit(f"no unit {wanted!r}", unit=wanted)
    return _allowed(actor, tree.get(found))


def _unit_tapped(actor: Actor, unit_id: int) -> OrgUnit:
    if not supervised_units(actor):
        raise _denied(actor)
    unit = next((u for u in actor.tree if u.id == unit_id), None)
    if unit is None:
        raise UnknownUnit(f"no unit with id {unit_id}", unit=unit_id)
    return _allowed(actor, unit)


def _allowed(actor: Actor, unit: OrgUnit) -> OrgUnit:
    require(actor.staff, Action.PUBLISH_DIGEST, tree=actor.tree, unit_code=unit.code)
    return unit


def _period(text: str | None, now: datetime, ctx: Context) -> Period:
    try:
        return parse_period(text, now, ctx.tz)
    except ValidationFailed as refused:
        raise ValidationFailed(str(refused), command="digest", **refused.details) from None


def _stamp_time(stamp: int, now: datetime) -> datetime:
    """The preview's time; a stamp from no preview (before 2000, or in the future) is
    refused."""
    if not 946_684_800 <= stamp <= (now + timedelta(days=1)).timestamp():
        raise ValidationFailed(f"not a preview's stamp: {stamp}", code="digest_preview")
    return datetime.fromtimestamp(stamp, UTC)
