"""Ports: what the use cases need from the outside world, as Protocols.

Storage implements the repositories and the units of work; the bot supplies the clock and
the renderer. Repositories never commit: the unit of work does, once, for everything a use
case changed. A unit of work that only reads is opened with ``Context.reading()``; on
SQLite it never waits for the write lock.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Protocol

from gridbot.domain.binding import ChatBinding
from gridbot.domain.care import CarePerson, CareVisit, PointsEntry
from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus, Rating, Visit
from gridbot.domain.digests import DigestRecord
from gridbot.domain.exports import CaseLine, OffsetSpan
from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage
from gridbot.domain.metrics import Counts, MedianTimes, VisitCounts, WishCounts
from gridbot.domain.org import Category, OrgUnit, Person, Role, RoleAssignment
from gridbot.domain.patrol import Patrol
from gridbot.domain.staffing import Load, StaffInvite


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class OrgRepository(Protocol):
    async def get_unit(self, code: str) -> OrgUnit | None:
        """The unit with this code, or None."""
        ...

    async def unit_by_token(self, token: str) -> OrgUnit | None:
        """The unit whose join or bind token this is."""
        ...

    async def list_units(self) -> Sequence[OrgUnit]:
        """Every unit, parents before children."""
        ...

    async def revision(self) -> int:
        """A counter that moves whenever a unit or a category is saved (by any process)."""
        ...

    async def around(self, codes: Collection[str]) -> Sequence[OrgUnit]:
        """The units with these codes and every unit above them, parents before children
        (unknown codes are left out): the part of the tree that routing and permissions
        read, in one query."""
        ...

    async def children(self, code: str) -> Sequence[OrgUnit]:
        """The direct children of a unit."""
        ...

    async def save_unit(self, unit: OrgUnit) -> OrgUnit:
        """Insert or update by code; returns the unit with its id."""
        ...


class OrgFileRepository(Protocol):
    """The organisation in bulk, for the org file import and ``gridbot org show``: a few
    queries to read what exists, one batched statement per kind of change."""

    async def save_units(self, units: Sequence[OrgUnit]) -> None:
        """Insert the units without an id, update those with one; parents (by code) come
        first or are stored already. The org revision moves once."""
        ...

    async def people_matching(
        self, telegram_ids: Collection[int], phones: Collection[str], names: Collection[str]
    ) -> Sequence[Person]:
        """Everyone with one of these Telegram ids, phones or names, by id."""
        ...

    async def roles_of_people(
        self, person_ids: Collection[int]
    ) -> Mapping[int, Sequence[RoleAssignment]]:
        """Every role each of these people holds."""
        ...

    async def add_people(self, people: Sequence[Person]) -> list[int]:
        """Insert; the new ids in the order of ``people``."""
        ...

    async def update_people(self, people: Sequence[Person]) -> None:
        """Update by id."""
        ...

    async def add_roles(self, roles: Sequence[RoleAssignment]) -> None: ...

    async def remove_roles(self, roles: Sequence[RoleAssignment]) -> None: ...

    async def holders(
        self, unit_codes: Collection[str] | None, residents_shown: int
    ) -> tuple[Sequence[tuple[str, Role, Person]], Mapping[str, int]]:
        """(unit code, role, person) on these units (None: every unit), by unit, role and
        person id, at most ``residents_shown`` residents a unit; and each unit's number of
        residents."""
        ...


class PersonRepository(Protocol):
    async def get(self, person_id: int) -> Person | None: ...

    async def by_telegram_id(self, telegram_id: int) -> Person | None: ...

    async def by_invite_code(self, code: str) -> Person | None: ...

    async def find(self, name: str, phone: str | None) -> Person | None:
        """A person matched by phone if given, else by name (for org re-imports)."""
        ...

    async def named(self, name: str) -> Sequence[Person]:
        """Everyone with exactly this name, oldest first (org re-imports match by name)."""
        ...

    async def save(self, person: Person) -> Person: ...

    async def with_roles(
        self, telegram_id: int
    ) -> tuple[Person, Sequence[RoleAssignment], int] | None:
        """The person behind a Telegram account, every role they hold, and the org
        revision (``OrgRepository.revision``), in one query."""
        ...

    async def roles_of(self, person_id: int) -> Sequence[RoleAssignment]: ...

    async def holders(self, role: Role, unit_code: str) -> Sequence[Person]:
        """People holding ``role`` on exactly this unit."""
        ...

    async def assignments_on(self, unit_codes: Sequence[str]) -> Sequence[RoleAssignment]:
        """Every role but a resident's held on exactly one of these units (routing reads a
        grid's chain; a grid has a handful of staff and hundreds of residents)."""
        ...

    async def record_grid_move(self, person_id: int, unit_code: str, at: datetime) -> None:
        """A move by the grid picker (what ``grid_moves_since`` counts)."""
        ...

    async def grid_moves_since(self, person_id: int, since: datetime) -> int: ...

    async def names_on(self, unit_codes: Sequence[str]) -> Sequence[str]:
        """The names of everyone holding a role (a resident's too) on one of these units:
        what a group post of the grid must mask."""
        ...

    async def many(self, person_ids: Sequence[int]) -> Mapping[int, Person]:
        """The people with these ids, by id; unknown ids are left out."""
        ...

    async def count_holders(self, role: Role, unit_codes: Sequence[str]) -> int:
        """How many hold ``role`` on one of exactly these units."""
        ...

    async def set_roles(self, person_id: int, roles: Sequence[RoleAssignment]) -> None:
        """Replace the person's staff roles (resident bindings are kept)."""
        ...

    async def add_role(self, assignment: RoleAssignment) -> None: ...

    async def remove_role(self, assignment: RoleAssignment) -> None: ...


class CategoryRepository(Protocol):
    async def get(self, code: str) -> Category | None: ...

    async def list_active(self) -> Sequence[Category]: ...

    async def list_all(self) -> Sequence[Category]:
        """Every category, open or not, in the order of the org file."""
        ...

    async def save(self, category: Category) -> Category: ...


class CaseRepository(Protocol):
    async def get(self, case_id: int) -> Case | None: ...

    async def get_for_update(self, case_id: int) -> Case | None:
        """The case with its row locked until the transaction ends: concurrent changes of
        one case (two claims, a double tap) apply one after the other."""
        ...

    async def by_number(self, number: str) -> Case | None: ...

    async def next_number(self, year: int) -> str:
        """The next case number of the year, like 2026-000123."""
        ...

    async def add(self, case: Case) -> Case: ...

    async def update(self, case: Case) -> None: ...

    async def add_event(self, event: CaseEvent) -> None: ...

    async def events(self, case_id: int) -> Sequence[CaseEvent]: ...

    async def by_reporter(self, person_id: int, limit: int = 20) -> Sequence[Case]: ...

    async def by_assignee(
        self, person_id: int, statuses: Sequence[CaseStatus] | None = None
    ) -> Sequence[Case]: ...

    async def in_grids(
        self, kind: CaseKind, grid_codes: Sequence[str], statuses: Sequence[CaseStatus]
    ) -> Sequence[Case]:
        """Cases of ``kind`` on these grids in one of ``statuses``, oldest first."""
        ...

    async def count_reported_since(self, person_id: int, since: datetime) -> int: ...

    async def add_affected(self, case_id: int, telegram_user_id: int, at: datetime) -> bool:
        """Record a neighbour affected by the same problem; False if already recorded."""
        ...

    async def add_rating(self, rating: Rating) -> None: ...

    async def comment_rating(self, case_id: int, rated_by: int, comment: str) -> bool:
        """Add a comment to the person's latest rating of the case, if it has none yet."""
        ...

    async def ratings(self, case_id: int) -> Sequence[Rating]: ...

    async def awaiting_rating_unpolled(self) -> Sequence[Case]:
        """Cases and wishes waiting for a rating with no rating poll pending."""
        ...

    async def open_due_by(self, until: datetime) -> Sequence[Case]:
        """Open issues and hazards in someone's hands whose current deadline (response
        while unaccepted, else resolution) falls by ``until``."""
        ...

    async def add_visit(self, visit: Visit) -> Visit: ...

    async def get_visit(self, visit_id: int) -> Visit | None: ...

    async def open_visit(self, case_id: int) -> Visit | None:
        """The case's follow-up visit not yet done, if any."""
        ...

    async def open_visits(
        self, until: datetime, visitor_id: int | None = None
    ) -> Sequence[tuple[Visit, Case]]:
        """Follow-ups not done and due by ``until`` (of ``visitor_id``), with their cases."""
        ...

    async def update_visit(self, visit: Visit) -> None: ...

    async def open_load(self, person_ids: Sequence[int], now: datetime) -> Mapping[int, Load]:
        """Per handler, their open issues and hazards and how many are overdue at ``now``
        (aggregated in the database); handlers with none are left out."""
        ...


class OverdueRepository(Protocol):
    """Overdue cases (超时) of a unit's grids and the urges (督办) on cases. A case is
    overdue when it is an open issue or hazard whose current deadline (respond_by while
    nobody has accepted it, else resolve_by) is before ``now``."""

    async def overdue(
        self, grid_codes: Sequence[str], now: datetime, *, offset: int = 0, limit: int = 10
    ) -> Sequence[Case]:
        """A page of the overdue cases on these grids, the longest overdue first."""
        ...

    async def count_overdue(self, grid_codes: Sequence[str], now: datetime) -> int:
        """How many cases on these grids are overdue at ``now``."""
        ...

    async def urge_counts(self, case_ids: Collection[int]) -> Mapping[int, int]:
        """How often each of these cases has been urged; cases never urged are left out."""
        ...

    async def count_overdue_by_grid(
        self, grid_codes: Sequence[str], now: datetime
    ) -> Mapping[str, int]:
        """How many cases of each of these grids are overdue at ``now`` (none: left out)."""
        ...

    async def count_urges(self, grid_codes: Sequence[str], start: datetime, end: datetime) -> int:
        """How many urges (督办 events) were made in [start, end) on cases of these grids:
        the "urged" figure of a unit's statistics."""
        ...


class StatsRepository(Protocol):
    """Aggregates for the statistics (docs/metrics.md), counted in the database. ``grids``
    is the scope: the codes of the units at or under the unit asked about (None: every
    case stored)."""

    async def case_counts(
        self,
        grids: Collection[str] | None,
        start: datetime,
        end: datetime,
        now: datetime,
        groups: Mapping[str, Collection[str]] | None = None,
    ) -> Sequence[tuple[str, str, Counts]]:
        """(group, category code, counts) of the issues and hazards on ``grids``: received
        in [start, end), and (响应率) those whose response deadline falls in it. A group is
        a key of ``groups`` (each a set of grid codes: a child unit, or one grid for a
        ranking of grids); a case on a grid of no group is of group ""."""
        ...

    async def medians(
        self,
        grids: Collection[str] | None,
        start: datetime,
        end: datetime,
        groups: Mapping[str, Collection[str]] | None = None,
    ) -> MedianTimes:
        """Median response and resolution times of the cases received in [start, end): of
        all of them, by category, and by each group of grid codes."""
        ...

    async def wish_counts(
        self, grids: Collection[str] | None, start: datetime, end: datetime
    ) -> WishCounts:
        """Micro-wishes posted in [start, end): claimed and fulfilled of them."""
        ...

    async def visit_counts(
        self, grids: Collection[str] | None, start: datetime, end: datetime, now: datetime
    ) -> VisitCounts:
        """Follow-up visits due in [start, end) (done, overdue at ``now``), care visits
        made in it, care persons overdue at ``now``."""
        ...


class ExportRepository(Protocol):
    """What /export and /chart read besides the statistics (docs/exports.md). ``grids``
    is the scope, as for ``StatsRepository``."""

    def case_lines(
        self,
        grids: Collection[str] | None,
        start: datetime,
        end: datetime,
        *,
        limit: int,
        batch: int,
    ) -> AsyncGenerator[Sequence[CaseLine], None]:
        """The issues and hazards received in [start, end), the first ``limit`` by time
        received, ``batch`` at a time, streamed from one statement (close the iterator,
        e.g. with ``contextlib.aclosing``, when leaving it early)."""
        ...

    async def daily_counts(
        self,
        grids: Collection[str] | None,
        start: datetime,
        end: datetime,
        spans: Sequence[OffsetSpan],
    ) -> Mapping[date, tuple[int, int]]:
        """(received, resolved) by local day, grouped in SQL; ``spans``: the zone's UTC
        offsets over the period (``domain.exports.offset_spans``)."""
        ...


class RankingRepository(Protocol):
    """Aggregates for /rank and /grid that StatsRepository has no grouping for, counted with
    its own definitions (docs/metrics.md). ``grids`` is the scope, as there."""

    async def grid_counts(
        self, grids: Collection[str] | None, start: datetime, end: datetime, now: datetime
    ) -> Mapping[str, Counts]:
        """Per grid code, the counts ``case_counts`` gives of the issues and hazards on
        ``grids``, in one statement grouped by grid however many grids there are."""
        ...

    async def handler_counts(
        self, grids: Collection[str] | None, start: datetime, end: datetime, now: datetime
    ) -> Mapping[int, Counts]:
        """Per holder (the case's assignee: who handled it), the counts ``case_counts``
        gives of the issues and hazards on ``grids``; cases nobody holds are left out."""
        ...

    async def handler_medians(
        self, grids: Collection[str] | None, start: datetime, end: datetime
    ) -> Mapping[int, timedelta]:
        """Per holder, the median time to the first acceptance of the cases received in
        [start, end); holders of no accepted case are left out."""
        ...

    async def open_now(self, grids: Collection[str], now: datetime) -> Load:
        """The issues and hazards on ``grids`` open at ``now`` (whenever received), and how
        many of them are overdue."""
        ...


class CareRepository(Protocol):
    """Key residents (重点人群) and their visits (走访); lists leave removed persons out and
    put the soonest visit first."""

    async def add_person(self, person: CarePerson) -> CarePerson: ...

    async def get_person(self, care_person_id: int, *, lock: bool = False) -> CarePerson | None:
        """The care person, removed or not; ``lock``: the row stays locked until the
        transaction ends."""
        ...

    async def update_person(self, person: CarePerson) -> None: ...

    async def of_grid(self, grid_code: str) -> Sequence[CarePerson]: ...

    async def names_on_grid(self, grid_code: str) -> Sequence[str]:
        """The names of the grid's care persons (not removed): what a group post masks."""
        ...

    async def by_worker(self, worker_id: int) -> Sequence[CarePerson]: ...

    async def due_by(self, until: datetime, worker_id: int | None = None) -> Sequence[CarePerson]:
        """Those whose next visit falls due by ``until`` (of ``worker_id`` when given)."""
        ...

    async def match(self, ref: str | None, grid_code: str, name: str) -> CarePerson | None:
        """For a re-import: by ledger ``ref``, else by name on the grid among those without
        a ref; removed persons too."""
        ...

    async def add_visit(self, visit: CareVisit) -> CareVisit: ...

    async def get_visit(self, visit_id: int) -> CareVisit | None: ...

    async def link_case(self, visit_id: int, case_id: int) -> bool:
        """Note the case raised on the spot, unless the visit has one already."""
        ...

    async def visits_of(self, care_person_id: int, limit: int | None = None) -> Sequence[CareVisit]:
        """The person's visits, latest first."""
        ...

    async def add_points(self, entry: PointsEntry) -> None: ...

    async def points_of(self, person_id: int) -> int: ...


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> OutboxMessage: ...

    async def queue(self, message: OutboxMessage) -> None:
        """Add a message to be written with the transaction's other messages (no id back)."""
        ...

    async def pending(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        """Pending messages whose ``not_before`` has passed, oldest first."""
        ...

    async def pending_ids(self, now: datetime, limit: int) -> Sequence[int]:
        """The ids of ``pending``, oldest first."""
        ...

    async def many(self, ids: Collection[int]) -> Sequence[OutboxMessage]:
        """The messages with these ids, oldest first."""
        ...

    async def claim(
        self, worker: str, now: datetime, until: datetime, chats: int, limit: int
    ) -> Sequence[OutboxMessage]:
        """Claim for ``worker`` until ``until`` up to ``limit`` due messages of up to
        ``chats`` chats that no other worker's live claim holds, oldest first (messages it
        holds already are not returned again); atomic, so of two concurrent claimers one
        gets a chat."""
        ...

    async def renew_claims(self, worker: str, until: datetime) -> int:
        """Make ``worker``'s claims on pending messages last until ``until``; how many."""
        ...

    async def release_claims(self, worker: str) -> int:
        """Give up ``worker``'s claims on pending messages; how many."""
        ...

    async def recent_sends(self, since: datetime) -> Sequence[tuple[int, datetime]]:
        """(chat, when) of every message delivered since ``since``, oldest first."""
        ...

    async def update(self, message: OutboxMessage) -> None: ...

    async def delivered_to(self, chat_ids: Collection[int]) -> Mapping[int, datetime]:
        """When a message (not a command menu) was last delivered to each of these chats;
        chats never reached are left out."""
        ...

    async def update_many(self, messages: Sequence[OutboxMessage]) -> None:
        """``update`` each of them at once (a message whose row is gone is passed over)."""
        ...

    async def reroute_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """A group became a supergroup: pending messages follow it. Returns how many."""
        ...


class DueRepository(Protocol):
    async def add(self, item: DueItem) -> DueItem:
        """Idempotent: an item already scheduled (same kind, ref, time) comes back as is."""
        ...

    async def queue(self, item: DueItem) -> None:
        """``add``, written with the transaction's other items; nothing comes back."""
        ...

    async def claim_due(
        self, now: datetime, worker: str, limit: int, kinds: Collection[DueKind] | None = None
    ) -> Sequence[DueItem]:
        """Atomically claim unclaimed items due by ``now`` (of ``kinds`` only, when given):
        no two workers get the same one."""
        ...

    async def mark_done(self, item_id: int, at: datetime) -> None: ...

    async def pending(self, kind: DueKind, ref: str) -> Sequence[DueItem]:
        """Undone items of this kind about this ref, soonest first."""
        ...

    async def pending_refs(self, kind: DueKind) -> Sequence[str]:
        """The refs that have undone items of this kind (a chain's: a few at most)."""
        ...

    async def cancel(self, kind: DueKind, ref: str) -> int:
        """Drop undone items of this kind about this ref (the case moved on)."""
        ...

    async def release_stale(self, older_than: datetime) -> int:
        """Unclaim items whose claimer died before finishing them."""
        ...


class RetentionRepository(Protocol):
    """Old finished rows dropped, a bounded batch per call (never a pending, claimed or
    unhandled one)."""

    async def purge_outbox(
        self, before: datetime, after_id: int, window: int
    ) -> tuple[int, int | None]:
        """Messages delivered or given up created before ``before``, among the ``window``
        rows after ``after_id`` (the last one delivered to each chat stays): how many were
        dropped, and the id to go on after (None: nothing older is left)."""
        ...

    async def purge_due_items(self, before: datetime, limit: int) -> int:
        """Up to ``limit`` due items done before ``before``; how many."""
        ...

    async def purge_inbox(self, before: datetime, limit: int) -> int:
        """Up to ``limit`` updates handled before ``before``; how many."""
        ...


class DigestRepository(Protocol):
    """Public digests (向群众汇报): what was published, and to whom a unit's digest goes."""

    async def add(self, record: DigestRecord) -> DigestRecord | None:
        """Record a publication, unless this unit's digest of this period and
        ``prepared_at`` was recorded already (then None, nothing written); atomic, so of
        two concurrent taps on one preview one records it."""
        ...

    async def find(
        self, unit_code: str, period_label: str, prepared_at: datetime
    ) -> DigestRecord | None: ...

    async def latest(self, unit_code: str, period_label: str) -> DigestRecord | None:
        """The last publication of this unit's digest of this period, if any."""
        ...

    async def audience(self, unit_codes: Collection[str] | None) -> Sequence[ChatBinding]:
        """The active residents' groups (building and enterprise groups, never a workers'
        group) bound to one of ``unit_codes`` (None: to any unit)."""
        ...

    async def resolved_examples(
        self, grids: Collection[str] | None, start: datetime, end: datetime, limit: int
    ) -> Sequence[tuple[str, str]]:
        """(category code, text) of public issues and hazards on ``grids`` received in
        [start, end) and resolved since, the latest resolved first."""
        ...


class InviteRepository(Protocol):
    """Administrators' invitations (/invite): a role on a unit, for one account, until they
    expire."""

    async def add(self, invite: StaffInvite) -> StaffInvite: ...

    async def by_code(self, code: str) -> StaffInvite | None: ...

    async def take(self, invite_id: int, person_id: int, at: datetime) -> bool:
        """Mark it accepted by ``person_id`` unless it was already; atomic, so of two
        concurrent takers one gets it. Returns whether this call took it."""
        ...


class LeaseRepository(Protocol):
    """Named leases: at most one holder of a name at a time, until its lease expires."""

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take the lease if it is free, expired or already ``holder``'s, and make it last
        until ``now + ttl``; atomic, so of two concurrent callers at most one gets it."""
        ...

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up if ``holder`` holds it (anyone may take it at once)."""
        ...

    async def held(self, prefix: str, now: datetime) -> Sequence[tuple[str, str]]:
        """``(name, holder)`` of every lease whose name starts with ``prefix`` and that has
        not expired at ``now``."""
        ...


class PatrolRepository(Protocol):
    async def add(self, patrol: Patrol) -> Patrol:
        """Insert; raises PatrolUnderWay if the person already has an open patrol."""
        ...

    async def update(self, patrol: Patrol) -> None: ...

    async def open_for(self, person_id: int) -> Patrol | None:
        """The person's patrol that has not ended, if any."""
        ...

    async def of_person(self, person_id: int, limit: int = 20) -> Sequence[Patrol]:
        """The person's patrols, latest first."""
        ...


class BindingRepository(Protocol):
    async def get(self, chat_id: int) -> ChatBinding | None:
        """The binding of this chat, active or not."""
        ...

    async def for_unit(self, unit_code: str) -> Sequence[ChatBinding]:
        """The active bindings of exactly this unit."""
        ...

    async def save(self, binding: ChatBinding) -> ChatBinding:
        """Insert or update by chat id; returns the binding with its id."""
        ...

    async def deactivate(self, chat_id: int) -> bool:
        """The bot left or was removed: returns whether an active binding was deactivated."""
        ...

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: the binding follows the new chat id."""
        ...

    async def claim_greeting(self, chat_id: int, at: datetime, quiet_since: datetime) -> bool:
        """Set ``greeted_at`` to ``at`` on the active binding unless it greeted after
        ``quiet_since``; atomic, so concurrent joins greet once. Returns whether it was set."""
        ...


class UnitOfWork(Protocol):
    # Read-only members, so that an implementation may hold more specific repositories
    # (a plain attribute satisfies them too).
    @property
    def org(self) -> OrgRepository: ...

    @property
    def orgfile(self) -> OrgFileRepository: ...

    @property
    def people(self) -> PersonRepository: ...

    @property
    def categories(self) -> CategoryRepository: ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def care(self) -> CareRepository: ...

    @property
    def overdue(self) -> OverdueRepository: ...

    @property
    def stats(self) -> StatsRepository: ...

    @property
    def exports(self) -> ExportRepository: ...

    @property
    def ranking(self) -> RankingRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def due(self) -> DueRepository: ...

    @property
    def bindings(self) -> BindingRepository: ...

    @property
    def patrols(self) -> PatrolRepository: ...

    @property
    def leases(self) -> LeaseRepository: ...

    @property
    def invites(self) -> InviteRepository: ...

    @property
    def digests(self) -> DigestRepository: ...

    @property
    def retention(self) -> RetentionRepository: ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class Renderer(Protocol):
    """Message bodies (the bot's Jinja2 templates and gettext catalogs)."""

    def render(self, name: str, locale: str, /, **context: Any) -> str:
        """The template ``name`` rendered in ``locale``."""
        ...

    def gettext(self, locale: str, msgid: str) -> str:
        """One message translated into ``locale``."""
        ...

    def locale_for(self, language: str | None) -> str:
        """The supported locale of a saved language, else the default one."""
        ...
