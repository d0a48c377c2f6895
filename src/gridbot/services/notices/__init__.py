"""Notices: what happened, turned into outbox rows in the same transaction.

A use case records what it changed (a ``CaseEvent`` from the lifecycle) and hands it to
``Notices.case_event``; the table in ``table`` says who is told, with which template and
keyboard, and ``outbox`` renders each message in its recipient's language and writes it
to the outbox of the use case's unit of work. Nothing is sent here: the outbox sender
delivers what was committed. Outside the case table: the daily patrol reminder, the
welcome to a group's newcomers and a person's command menu.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.deadlines import RESIDENT_QUIET_HOURS, QuietHours
from gridbot.domain.org import Category, OrgUnit, Person, RoleAssignment
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.supervision import UnitDay
from gridbot.services.notices.audience import (
    RESOLVERS,
    Scene,
    group_place,
    known_names,
    private_context,
    public_context,
)
from gridbot.services.notices.commands import ChatCommand, command_groups, commands_for
from gridbot.services.notices.keyboards import N_, join_keyboard
from gridbot.services.notices.outbox import BotUsername, OutboxWriter
from gridbot.services.notices.table import Notice, notices_for
from gridbot.services.ports import Clock, Renderer, UnitOfWork

__all__ = ["N_", "BotUsername", "Notices"]

PATROL_REMINDER = "notices/patrol_reminder.html.j2"
MORNING_BRIEF = "notices/morning_brief.html.j2"
WELCOME = "groups/welcome.html.j2"


class Notices:
    """The notices of one bot: its renderer, clock, time zone and (for deep links) name."""

    def __init__(
        self,
        renderer: Renderer,
        clock: Clock,
        tz: tzinfo,
        *,
        bot_username: BotUsername = None,
        quiet: QuietHours = RESIDENT_QUIET_HOURS,
    ) -> None:
        self.renderer = renderer
        self.clock = clock
        self.tz = tz
        self.quiet = quiet  # residents' quiet hours
        self.outbox = OutboxWriter(renderer, bot_username)

    def residents_may_hear(self, now: datetime) -> datetime | None:
        """None now; else when the residents' quiet hours end (a message's ``not_before``)."""
        if self.quiet.off or not self.quiet.contains(now, self.tz):
            return None
        return self.quiet.defer(now, self.tz)

    async def case_event(
        self,
        uow: UnitOfWork,
        case: Case,
        *events: CaseEvent,
        category: Category | None = None,
        tree: OrgTree | None = None,
        assignments: Sequence[RoleAssignment] | None = None,
        people: Mapping[int, Person] | None = None,
        worker_groups: Sequence[int] | None = None,
        names: Sequence[str] | None = None,
        **details: Any,
    ) -> int:
        """Queue every notice the table has for each of ``events`` (in order); returns how
        many people were reached. ``category``, ``tree``, ``assignments`` (the roles held
        on the grid's chain), ``people`` (any the use case has read) and ``worker_groups``
        (the chats bound to the case's grid as its workers' group) and ``names`` (what a
        group post about the case masks: ``audience.grid_names``) are what the use case has
        loaded already: only what they lack is read. ``details`` reach the templates of
        people (never of groups)."""
        if category is None and any(notices_for(case, e) for e in events):
            category = await uow.categories.get(case.category_code)
        plans: list[tuple[Scene, Notice, list[int]]] = []
        for event in events:
            masked = tuple(names) if names is not None else None
            scene = Scene(
                uow, case, event, category, tree, assignments, worker_groups, details, masked
            )
            for notice in notices_for(case, event):
                plans.append((scene, notice, await self._targets(scene, notice)))
        known = await self._people(uow, plans, people or {})
        reached = 0
        sent: set[tuple[int, int, str]] = set()  # one message per event, recipient, template
        for scene, notice, found in plans:
            for target in found:
                key = (id(scene), target, notice.template)
                if key in sent:
                    continue  # the grid leader who is also its secretary, say
                sent.add(key)
                reached += await self._tell(scene, notice, target, known)
        return reached

    async def _targets(self, scene: Scene, notice: Notice) -> list[int]:
        found = await RESOLVERS[notice.audience](scene)
        if notice.audience.is_group:
            return [chat for chat in dict.fromkeys(found) if chat is not None]
        return scene.person_targets(notice, found)

    async def _people(
        self,
        uow: UnitOfWork,
        plans: list[tuple[Scene, Notice, list[int]]],
        known: Mapping[int, Person],
    ) -> dict[int, Person]:
        """Every person these notices need: those not ``known`` in one query."""
        ids: set[int | None] = set()
        for scene, notice, found in plans:
            if not notice.audience.is_group:
                ids.update(found)
            if notice.names and found:
                ids.update((scene.event.actor_id, scene.case.assignee_id))
            if notice.reporter and found:
                ids.add(scene.case.reporter_id)
        wanted = {p for p in ids if p is not None}
        people = {p: known[p] for p in wanted if p in known}
        missing = sorted(wanted - people.keys())
        if missing:
            people.update(await uow.people.many(missing))
        return people

    async def _tell(
        self, scene: Scene, notice: Notice, target: int, people: dict[int, Person]
    ) -> bool:
        now, case = self.clock.now(), scene.case
        keyboard = notice.keyboard(case) if notice.keyboard else None
        # Residents' side waits out their quiet hours, unless it answers what they just did.
        own_doing = not notice.audience.is_group and target == scene.event.actor_id
        later = self.residents_may_hear(now) if notice.audience.is_resident_side else None
        not_before = None if own_doing else later
        if notice.audience.is_group:
            reporter = people.get(case.reporter_id) if case.reporter_id is not None else None
            names = await known_names(scene, reporter)
            place = _grid_place(scene, target) or await group_place(scene.uow, target, scene.tree)
            context = public_context(scene, self.tz, names, place)
            await self.outbox.to_chat(
                scene.uow,
                now,
                target,
                notice.template,
                keyboard=keyboard,
                not_before=not_before,
                **context,
            )
            return False
        person = people.get(target)
        if person is None:
            return False
        photo = notice.photo(case, scene.event) if notice.photo else None
        context = private_context(scene, people, self.tz)
        told = await self.outbox.to_person(
            scene.uow,
            now,
            person,
            notice.template,
            keyboard=keyboard,
            photo=photo,
            not_before=not_before,
            **context,
        )
        point = case.location.point if case.location else None
        if told and notice.pin and point is not None:
            await self.outbox.pin(scene.uow, now, person, *point, not_before=not_before)
        return told

    async def patrol_reminder(
        self, uow: UnitOfWork, person: Person, slot: str, grids: Sequence[OrgUnit]
    ) -> bool:
        """一日双巡: time for a grid worker's patrol of ``grids``."""
        return await self.outbox.to_person(
            uow, self.clock.now(), person, PATROL_REMINDER, slot=slot, grids=list(grids)
        )

    async def morning_brief(
        self,
        uow: UnitOfWork,
        person: Person,
        *,
        overdue: Sequence[tuple[Case, datetime]],
        due_today: Sequence[tuple[Case, datetime]],
        follow_ups: Sequence[tuple[Case, datetime]],
        care: Sequence[tuple[str, str, datetime]],
        categories: Sequence[Category],
        shown: int,
        units: Sequence[UnitDay] = (),
    ) -> bool:
        """The morning brief of one person's day: cases with their deadline, follow-ups
        with their due time, care visits as (name, care category, due); each list cut at
        ``shown`` items (times in UTC, shown in local time); for a supervisor, ``units``:
        yesterday and now in each of their units."""

        def local(items: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
            return [(*item[:-1], item[-1].astimezone(self.tz)) for item in items]

        return await self.outbox.to_person(
            uow,
            self.clock.now(),
            person,
            MORNING_BRIEF,
            overdue=local(overdue),
            due_today=local(due_today),
            follow_ups=local(follow_ups),
            care=local(care),
            categories={c.code: c for c in categories},
            shown=shown,
            units=list(units),
        )

    async def welcome(self, uow: UnitOfWork, chat_id: int, unit: OrgUnit) -> None:
        """Newcomers of a bound group: a button into the private chat to join its unit."""
        await self.outbox.to_chat(
            uow,
            self.clock.now(),
            chat_id,
            WELCOME,
            keyboard=join_keyboard(unit.join_token),
            unit=unit,
        )

    async def command_menu(
        self, uow: UnitOfWork, person: Person, roles: Sequence[RoleAssignment]
    ) -> None:
        """The person's own command menu (setMyCommands scoped to their private chat), for
        their roles and in their language; sent after the change of roles or language."""
        if person.telegram_id is None:
            return
        locale = self.renderer.locale_for(person.language)
        params: dict[str, Any] = {
            "commands": self.menu(commands_for(command_groups(roles)), locale),
            "scope": {"type": "chat", "chat_id": person.telegram_id},
        }
        await self.outbox.call(uow, self.clock.now(), person.telegram_id, "setMyCommands", params)

    def menu(self, commands: Sequence[ChatCommand], locale: str) -> list[dict[str, str]]:
        """A command menu in Bot API shape, descriptions in ``locale``."""
        return [
            {"command": c.command, "description": self.renderer.gettext(locale, c.description)}
            for c in commands
        ]


def _grid_place(scene: Scene, chat_id: int) -> OrgUnit | None:
    """The case's grid, for a chat the use case read as the grid's workers' group (bound
    to the grid itself); None otherwise."""
    grid, tree = scene.case.grid_code, scene.tree
    if scene.worker_groups is None or chat_id not in scene.worker_groups:
        return None
    return tree.get(grid) if tree is not None and grid in tree else None
