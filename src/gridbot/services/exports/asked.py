"""What /export and /chart are asked for, and whether the asker may have it: a unit the
supervisor supervises (or one under it) and a period. Every refusal is raised before
anything is read or computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from gridbot.domain.errors import PermissionDenied, UnknownUnit, ValidationFailed
from gridbot.domain.metrics import Period, parse_period
from gridbot.domain.org import OrgUnit
from gridbot.domain.policy import Action, require
from gridbot.services.context import Actor, known
from gridbot.services.stats import supervised_units


@dataclass(frozen=True)
class ExportOf:
    """/export: ``period`` as typed (None: this month), the unit by ``unit_code`` (None:
    the actor's highest supervised unit); the workbook is written in ``locale``."""

    actor: Actor | None
    period: str | None = None
    unit_code: str | None = None
    locale: str = "zh"


@dataclass(frozen=True)
class ChartOf:
    """/chart: as ExportOf, for the picture."""

    actor: Actor | None
    period: str | None = None
    unit_code: str | None = None
    locale: str = "zh"


def asked_unit(actor: Actor | None, code: str | None, action: Action) -> tuple[Actor, OrgUnit]:
    """The actor and the unit asked about. NotBound for a stranger; PermissionDenied
    (naming ``action``) for someone who supervises no unit, or not this one; UnknownUnit
    for a code that names no unit."""
    actor = known(actor)
    supervised = supervised_units(actor)
    if not supervised:
        raise PermissionDenied(f"{actor.person.name} supervises no unit", action=action.value)
    unit = supervised[0]
    code = (code or "").strip()
    if code:
        if code not in actor.tree:
            raise UnknownUnit(f"no unit {code!r}", unit=code)
        unit = actor.tree.get(code)
    require(actor.staff, action, tree=actor.tree, unit_code=unit.code)
    return actor, unit


def asked_period(text: str | None, now: datetime, tz: tzinfo, use: str) -> Period:
    """The period ``text`` names; a ValidationFailed (code ``period``) says which ``use``
    (export, chart) it was asked for, so the answer names the right command."""
    try:
        return parse_period(text, now, tz)
    except ValidationFailed as error:
        raise ValidationFailed(str(error), **{**error.details, "use": use}) from error
