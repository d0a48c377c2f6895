"""What every use case works with: the ``Context`` of the running bot, and the ``Actor``
(who is acting), loaded once per update."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta, tzinfo

from gridbot.domain.digests import SCHEDULES, DigestSource
from gridbot.domain.errors import NotBound
from gridbot.domain.org import Person, RoleAssignment, Staff
from gridbot.domain.orgtree import OrgTree
from gridbot.services.notices import Notices
from gridbot.services.orgcache import Organisation, OrgCache
from gridbot.services.ports import Clock, UnitOfWorkFactory


@dataclass(frozen=True)
class Timing:
    """How long the end of the loop waits, and when the morning brief goes (settings,
    resolved at start-up)."""

    rating_reminder: timedelta = timedelta(hours=24)  # resolved, not rated: remind once
    rating_close: timedelta = timedelta(hours=72)  # then close unrated after this
    brief_at: time | None = time(8)  # local; None: no morning brief
    invite_valid: timedelta = timedelta(days=7)  # an administrator's invitation (/invite)
    # The public digests published on a schedule (weekly, monthly; none when empty).
    digests: frozenset[DigestSource] = frozenset(SCHEDULES)


@dataclass(frozen=True)
class Context:
    """Units of work (``writing`` ones take the write lock, ``reading`` ones never do), the
    clock, the local time zone (resolved once, at start-up), the notices, the org tree
    this process holds, and the loop's timing."""

    writing: UnitOfWorkFactory
    reading: UnitOfWorkFactory
    clock: Clock
    tz: tzinfo
    notices: Notices
    org: OrgCache = field(default_factory=OrgCache)
    timing: Timing = field(default_factory=Timing)


@dataclass(frozen=True)
class Actor:
    """Who acts: a known person with every role they hold, and the organisation (the unit
    tree their roles lie in, the categories) as it was when the update arrived."""

    staff: Staff
    org: Organisation

    @property
    def tree(self) -> OrgTree:
        return self.org.tree

    @property
    def person(self) -> Person:
        return self.staff.person

    @property
    def id(self) -> int:
        assert self.staff.person.id is not None  # actors are saved people
        return self.staff.person.id

    @property
    def roles(self) -> list[RoleAssignment]:
        return self.staff.roles

    @property
    def unit_codes(self) -> list[str]:
        return [role.unit_code for role in self.staff.roles]


def known(actor: Actor | None) -> Actor:
    """The actor, or NotBound for someone the bot does not know yet."""
    if actor is None:
        raise NotBound("the person is not known to the bot")
    return actor
