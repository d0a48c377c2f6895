"""An org file's invite (``/start inv_<code>``) is accepted once and within
GRIDBOT_INVITE_DAYS of being made; a re-import makes a lapsed one anew (issue 11)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from demo_town import DEMO, FixedClock, context
from gridbot.bot.orgfile import parse_org_text
from gridbot.domain.errors import InviteExpired, InviteTaken, UnknownLink
from gridbot.services.context import Context, Timing
from gridbot.services.membership import AcceptInvite, TelegramUser, accept_invite
from gridbot.services.orgimport import ImportOrg, import_org
from gridbot.storage.database import Database

XU = TelegramUser(3001, "许文")


def tokens(prefix: str) -> Callable[[], str]:
    numbers = itertools.count(1)
    return lambda: f"{prefix}{next(numbers)}"


async def invite_of_xu(ctx: Context, prefix: str) -> str:
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    report = await import_org(ImportOrg(spec, tokens(prefix)), ctx)
    [invite] = [i for i in report.invites if i.name == "许文"]
    return invite.code


async def test_an_invite_opened_after_its_days_is_refused_and_changes_nothing(
    database: Database,
) -> None:
    clock = FixedClock()
    ctx = context(database, clock)
    code = await invite_of_xu(ctx, "a")
    clock.advance(days=7, minutes=1)  # GRIDBOT_INVITE_DAYS: 7 by default

    with pytest.raises(InviteExpired):
        await accept_invite(AcceptInvite(XU, code), ctx)

    async with database.reader() as uow:
        assert await uow.people.by_telegram_id(XU.telegram_id) is None
        invited = await uow.people.by_invite_code(code)
    assert invited is not None and invited.telegram_id is None


async def test_an_invite_within_its_days_works_once_and_a_reimport_renews_a_lapsed_one(
    database: Database,
) -> None:
    clock = FixedClock()
    ctx = context(database, clock)
    first = await invite_of_xu(ctx, "a")
    clock.advance(days=6)
    assert await invite_of_xu(ctx, "b") == first  # still valid: kept
    clock.advance(days=2)

    renewed = await invite_of_xu(ctx, "c")

    assert renewed != first
    with pytest.raises(UnknownLink):  # the lapsed one names nobody any more
        await accept_invite(AcceptInvite(XU, first), ctx)
    invitation = await accept_invite(AcceptInvite(XU, renewed), ctx)
    assert invitation.person.name == "许文"
    with pytest.raises(InviteTaken):
        await accept_invite(AcceptInvite(TelegramUser(3002, "Eve"), renewed), ctx)


async def test_the_validity_is_the_configured_one(database: Database) -> None:
    clock = FixedClock()
    ctx = replace(context(database, clock), timing=Timing(invite_valid=timedelta(days=1)))
    code = await invite_of_xu(ctx, "a")
    clock.advance(days=1)
    with pytest.raises(InviteExpired):
        await accept_invite(AcceptInvite(XU, code), ctx)
