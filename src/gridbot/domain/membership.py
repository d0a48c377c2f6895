"""Joining: residents bind themselves to a grid or building, staff accept their invites, and
everyone chooses a language.

Each use case changes what it must in the caller's unit of work, queues the person's new
command menu there too (``MenuPublisher``), and returns what the handler shows. The caller
commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from gridbot.domain.errors import NotFound, PermissionDenied, ValidationFailed
from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.domain.people import RoleView
from gridbot.domain.ports import Clock, UnitOfWork


class UnknownLink(NotFound):
    """A join link, invite or bind link that names nothing (mistyped, or from another bot)."""

    code = "unknown_link"


class InviteTaken(PermissionDenied):
    """The invite was already accepted from another Telegram account."""

    code = "invite_taken"


class NotJoinable(ValidationFailed):
    """Residents join grids and buildings only."""

    code = "not_joinable"


@dataclass(frozen=True)
class TelegramUser:
    """Who is talking to the bot, as Telegram tells it, and the language the bot uses now."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    locale: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class MenuPublisher(Protocol):
    async def publish(
        self, uow: UnitOfWork, clock: Clock, person: Person, roles: Sequence[RoleAssignment]
    ) -> None:
        """Queue the person's command menu for their roles and language, in ``uow``."""
        ...


@dataclass(frozen=True)
class Membership:
    """Where a resident now belongs and who serves them there."""

    person: Person
    unit: OrgUnit  # the grid or building joined
    grid: OrgUnit
    workers: tuple[str, ...]  # names of the grid's workers (names only, never phones)
    previous: OrgUnit | None = None  # the grid they left by moving
    unchanged: bool = False  # they already belonged here


@dataclass(frozen=True)
class Invitation:
    person: Person
    roles: tuple[RoleView, ...]  # the staff roles the invite brings, with unit names
    already_accepted: bool = False


JOINABLE = (UnitLevel.GRID, UnitLevel.BUILDING)


async def join_unit(
    uow: UnitOfWork, clock: Clock, menus: MenuPublisher, user: TelegramUser, token: str
) -> Membership:
    """``/start j_<token>``: bind the user as a resident of the token's grid or building,
    replacing any earlier residence. A new user becomes a Person in their current language."""
    unit = await uow.org.unit_by_token(token) if token else None
    if unit is None or unit.join_token != token:
        raise UnknownLink("unknown join token", token=token)
    return await _reside(uow, clock, menus, user, unit)


async def move_to_grid(
    uow: UnitOfWork, clock: Clock, menus: MenuPublisher, user: TelegramUser, grid_code: str
) -> Membership:
    """The grid picker's last step: live in ``grid_code`` from now on (joining if new)."""
    unit = await uow.org.get_unit(grid_code)
    if unit is None:
        raise UnknownLink("unknown grid", code=grid_code)
    if unit.level != UnitLevel.GRID:
        raise NotJoinable(f"{grid_code} is not a grid", code=grid_code)
    return await _reside(uow, clock, menus, user, unit)


async def accept_invite(
    uow: UnitOfWork, clock: Clock, menus: MenuPublisher, user: TelegramUser, code: str
) -> Invitation:
    """``/start inv_<code>``: the invited staff member's Person gets this Telegram account.

    If the account already had a Person of its own (a resident who joined first), its
    residence and language move to the invited Person, and the old row lets go of the account.
    """
    invited = await uow.people.by_invite_code(code) if code else None
    if invited is None or invited.id is None:
        raise UnknownLink("unknown invite", code=code)
    if invited.telegram_id == user.telegram_id:
        roles = await uow.people.roles_of(invited.id)
        return Invitation(invited, await _staff_views(uow, roles), already_accepted=True)
    if invited.telegram_id is not None:
        raise InviteTaken("invite already accepted by another account", code=code)
    language = await _release_account(uow, user.telegram_id, invited.id)
    invited.telegram_id = user.telegram_id
    invited.language = invited.language or language or user.locale
    invited = await uow.people.save(invited)
    assert invited.id is not None
    roles = await uow.people.roles_of(invited.id)
    await menus.publish(uow, clock, invited, roles)
    return Invitation(invited, await _staff_views(uow, roles))


async def set_language(
    uow: UnitOfWork, clock: Clock, menus: MenuPublisher, user: TelegramUser, locale: str
) -> Person:
    """``/lang``: saved on the Person. A stranger gets a Person row without any role, so
    the choice survives restarts, /cancel and several bot processes; it grants nothing."""
    person = await uow.people.by_telegram_id(user.telegram_id)
    if person is None:
        person = Person(name=user.full_name, telegram_id=user.telegram_id)
    person.language = locale
    person = await uow.people.save(person)
    assert person.id is not None
    await menus.publish(uow, clock, person, await uow.people.roles_of(person.id))
    return person


async def grid_of(uow: UnitOfWork, unit: OrgUnit) -> OrgUnit | None:
    """The grid a unit belongs to: itself, or the grid above a building."""
    if unit.level == UnitLevel.GRID:
        return unit
    if unit.level == UnitLevel.BUILDING and unit.parent_code is not None:
        parent = await uow.org.get_unit(unit.parent_code)
        return parent if parent is not None and parent.level == UnitLevel.GRID else None
    return None


async def _reside(
    uow: UnitOfWork, clock: Clock, menus: MenuPublisher, user: TelegramUser, unit: OrgUnit
) -> Membership:
    grid = await grid_of(uow, unit)
    if grid is None:
        raise NotJoinable(f"{unit.code} is not a grid or building", code=unit.code)
    person = await _person_of(uow, user)
    assert person.id is not None
    homes = [r for r in await uow.people.roles_of(person.id) if r.role == Role.RESIDENT]
    workers = tuple(p.name for p in await uow.people.holders(Role.GRID_WORKER, grid.code))
    if [home.unit_code for home in homes] == [unit.code]:
        return Membership(person, unit, grid, workers, unchanged=True)
    previous = await _previous_grid(uow, homes, grid)
    for home in homes:
        await uow.people.remove_role(home)
    await uow.people.add_role(RoleAssignment(person.id, Role.RESIDENT, unit.code))
    await menus.publish(uow, clock, person, await uow.people.roles_of(person.id))
    return Membership(person, unit, grid, workers, previous=previous)


async def _person_of(uow: UnitOfWork, user: TelegramUser) -> Person:
    person = await uow.people.by_telegram_id(user.telegram_id)
    if person is not None:
        return person
    new = Person(name=user.full_name, telegram_id=user.telegram_id, language=user.locale)
    return await uow.people.save(new)


async def _previous_grid(
    uow: UnitOfWork, homes: Sequence[RoleAssignment], new_grid: OrgUnit
) -> OrgUnit | None:
    for home in homes:
        unit = await uow.org.get_unit(home.unit_code)
        grid = await grid_of(uow, unit) if unit is not None else None
        if grid is not None and grid.code != new_grid.code:
            return grid
    return None


async def _staff_views(uow: UnitOfWork, roles: Sequence[RoleAssignment]) -> tuple[RoleView, ...]:
    views = []
    for role in roles:
        if role.role != Role.RESIDENT:
            unit = await uow.org.get_unit(role.unit_code)
            views.append(RoleView(role.role, role.unit_code, unit.name if unit else role.unit_code))
    return tuple(views)


async def _release_account(uow: UnitOfWork, telegram_id: int, invited_id: int) -> str | None:
    """Detach the account from a Person of its own; returns that Person's language."""
    own = await uow.people.by_telegram_id(telegram_id)
    if own is None or own.id is None:
        return None
    for role in await uow.people.roles_of(own.id):
        if role.role == Role.RESIDENT:
            await uow.people.add_role(replace(role, person_id=invited_id))
            await uow.people.remove_role(role)
    await uow.people.save(replace(own, telegram_id=None))
    return own.language
