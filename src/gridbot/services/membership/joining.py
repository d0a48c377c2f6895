"""Joining: residents bind themselves to a grid or building, staff accept their invites, and
everyone chooses a language. Each use case queues the person's new command menu with its
change, in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from gridbot.domain.errors import (
    AccountInUse,
    InviteExpired,
    InviteTaken,
    NotJoinable,
    TooManyMoves,
    UnknownLink,
)
from gridbot.domain.gridpicker import MAX_MOVES, MOVES_WINDOW
from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.domain.staffing import StaffInvite
from gridbot.domain.texts import clean_text
from gridbot.services.common import tree_around
from gridbot.services.context import Context
from gridbot.services.membership.invites import take_staff_invite
from gridbot.services.membership.people import RoleView, staff_roles
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class TelegramUser:
    """Who is talking to the bot, as Telegram tells it, and the language the bot uses now."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    locale: str | None = None

    @property
    def full_name(self) -> str:
        """The name as stored: cleaned like typed text (a profile name may hold a NUL)."""
        parts = (clean_text(self.first_name), clean_text(self.last_name))
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class JoinUnit:
    """``/start j_<token>``: live in the token's grid or building from now on."""

    user: TelegramUser
    token: str


@dataclass(frozen=True)
class MoveToGrid:
    """The grid picker's last step: live in this grid from now on (joining if new)."""

    user: TelegramUser
    grid_code: str


@dataclass(frozen=True)
class AcceptInvite:
    """``/start inv_<code>``: the invited staff member's Person gets this account."""

    user: TelegramUser
    code: str


@dataclass(frozen=True)
class SetLanguage:
    user: TelegramUser
    locale: str


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


async def join_unit(cmd: JoinUnit, ctx: Context) -> Membership:
    """Bind the user as a resident of the token's grid or building, replacing any earlier
    residence. A new user becomes a Person in their current language."""
    async with ctx.writing() as uow:
        unit = await uow.org.unit_by_token(cmd.token) if cmd.token else None
        if unit is None or unit.join_token != cmd.token:
            raise UnknownLink("unknown join token", token=cmd.token)
        membership = await _reside(uow, ctx, cmd.user, unit)
        await uow.commit()
    return membership


async def move_to_grid(cmd: MoveToGrid, ctx: Context) -> Membership:
    async with ctx.writing() as uow:
        unit = await uow.org.get_unit(cmd.grid_code)
        if unit is None:
            raise UnknownLink("unknown grid", code=cmd.grid_code)
        if unit.level != UnitLevel.GRID:
            raise NotJoinable(f"{cmd.grid_code} is not a grid", code=cmd.grid_code)
        await _check_moves(uow, ctx, cmd.user, unit)
        membership = await _reside(uow, ctx, cmd.user, unit)
        if not membership.unchanged:
            assert membership.person.id is not None
            await uow.people.record_grid_move(membership.person.id, unit.code, ctx.clock.now())
        await uow.commit()
    return membership


async def accept_invite(cmd: AcceptInvite, ctx: Context) -> Invitation:
    """An org file's invite (``Person.invite_code``) or an administrator's (/invite).

    The org file's invite names a Person and is accepted once, by one account, within
    ``ctx.timing.invite_valid`` of its making (InviteExpired after; a re-import makes a new
    one). If the account already had a Person of its own (a resident who joined first),
    its residence and language move to the invited Person, and the old row lets go of the
    account. An account whose Person has anything more (a
    staff role, a case they reported or hold) is never moved: AccountInUse, nothing
    changes. An administrator's gives a role on a unit to the account's own Person (made if
    it has none)."""
    async with ctx.writing() as uow:
        invited = await uow.people.by_invite_code(cmd.code) if cmd.code else None
        if invited is None and cmd.code:
            staff_invite = await uow.invites.by_code(cmd.code)
            if staff_invite is not None:
                return await _accept_staff_invite(uow, ctx, cmd.user, staff_invite)
        if invited is None or invited.id is None:
            raise UnknownLink("unknown invite", code=cmd.code)
        if invited.telegram_id == cmd.user.telegram_id:
            roles = await uow.people.roles_of(invited.id)
            return Invitation(invited, await _role_views(uow, roles), already_accepted=True)
        if invited.telegram_id is not None:
            raise InviteTaken("invite already accepted by another account", code=cmd.code)
        if invited.invite_lapsed(ctx.clock.now(), ctx.timing.invite_valid):
            raise InviteExpired("org file invite lapsed", code=cmd.code)
        language = await _release_account(uow, ctx, cmd.user.telegram_id, invited.id)
        invited.telegram_id = cmd.user.telegram_id
        invited.language = invited.language or language or cmd.user.locale
        invited = await uow.people.save(invited)
        assert invited.id is not None
        roles = await uow.people.roles_of(invited.id)
        await ctx.notices.command_menu(uow, invited, roles)
        invitation = Invitation(invited, await _role_views(uow, roles))
        await uow.commit()
    return invitation


async def _accept_staff_invite(
    uow: UnitOfWork, ctx: Context, user: TelegramUser, invite: StaffInvite
) -> Invitation:
    """An administrator's invitation (/invite): a role on a unit for this account."""
    newcomer = Person(name=user.full_name, telegram_id=user.telegram_id, language=user.locale)
    person, already = await take_staff_invite(uow, ctx, newcomer, invite)
    assert person.id is not None
    roles = await uow.people.roles_of(person.id)
    invitation = Invitation(person, await _role_views(uow, roles), already_accepted=already)
    await uow.commit()
    return invitation


async def set_language(cmd: SetLanguage, ctx: Context) -> Person:
    """``/lang``: saved on the Person. A stranger gets a Person row without any role, so
    the choice survives restarts, /cancel and several bot processes; it grants nothing."""
    async with ctx.writing() as uow:
        person = await uow.people.by_telegram_id(cmd.user.telegram_id)
        if person is None:
            person = Person(name=cmd.user.full_name, telegram_id=cmd.user.telegram_id)
        person.language = cmd.locale
        person = await uow.people.save(person)
        assert person.id is not None
        await ctx.notices.command_menu(uow, person, await uow.people.roles_of(person.id))
        await uow.commit()
    return person


async def _reside(uow: UnitOfWork, ctx: Context, user: TelegramUser, unit: OrgUnit) -> Membership:
    person = await _person_of(uow, user)
    assert person.id is not None
    homes = [r for r in await uow.people.roles_of(person.id) if r.role == Role.RESIDENT]
    tree = await tree_around(uow, [unit.code, *(home.unit_code for home in homes)])
    grid = tree.grid_of(unit.code)
    if grid is None:
        raise NotJoinable(f"{unit.code} is not a grid or building", code=unit.code)
    workers = tuple(p.name for p in await uow.people.holders(Role.GRID_WORKER, grid.code))
    if [home.unit_code for home in homes] == [unit.code]:
        return Membership(person, unit, grid, workers, unchanged=True)
    previous = next(
        (g for h in homes if (g := tree.grid_of(h.unit_code)) is not None and g.code != grid.code),
        None,
    )
    for home in homes:
        await uow.people.remove_role(home)
    await uow.people.add_role(RoleAssignment(person.id, Role.RESIDENT, unit.code))
    await ctx.notices.command_menu(uow, person, await uow.people.roles_of(person.id))
    return Membership(person, unit, grid, workers, previous=previous)


async def _check_moves(uow: UnitOfWork, ctx: Context, user: TelegramUser, grid: OrgUnit) -> None:
    """TooManyMoves, before anything changes, for a move to another grid past ``MAX_MOVES``
    within ``MOVES_WINDOW`` (tapping the grid one lives in is no move)."""
    person = await uow.people.by_telegram_id(user.telegram_id)
    if person is None or person.id is None:
        return
    since = ctx.clock.now() - MOVES_WINDOW
    if await uow.people.grid_moves_since(person.id, since) < MAX_MOVES:
        return
    homes = [r.unit_code for r in await uow.people.roles_of(person.id) if r.role == Role.RESIDENT]
    tree = await tree_around(uow, [grid.code, *homes])
    if [g.code for h in homes if (g := tree.grid_of(h)) is not None] != [grid.code]:
        raise TooManyMoves(f"person {person.id} moved too often", limit=MAX_MOVES)


async def _person_of(uow: UnitOfWork, user: TelegramUser) -> Person:
    person = await uow.people.by_telegram_id(user.telegram_id)
    if person is not None:
        return person
    new = Person(name=user.full_name, telegram_id=user.telegram_id, language=user.locale)
    return await uow.people.save(new)


async def _role_views(uow: UnitOfWork, roles: Sequence[RoleAssignment]) -> tuple[RoleView, ...]:
    tree = await tree_around(uow, [role.unit_code for role in roles if role.role != Role.RESIDENT])
    return staff_roles(list(roles), tree)


async def _release_account(
    uow: UnitOfWork, ctx: Context, telegram_id: int, invited_id: int
) -> str | None:
    """Detach the account from a Person of its own, who may hold nothing but a residence;
    returns that Person's language. AccountInUse when they hold more."""
    own = await uow.people.by_telegram_id(telegram_id)
    if own is None or own.id is None:
        return None
    roles = await uow.people.roles_of(own.id)
    await _check_releasable(uow, ctx, own, roles)
    for role in roles:
        if role.role == Role.RESIDENT:
            await uow.people.add_role(replace(role, person_id=invited_id))
            await uow.people.remove_role(role)
    await uow.people.save(replace(own, telegram_id=None))
    return own.language


_EVER = datetime(1970, 1, 1, tzinfo=UTC)


async def _check_releasable(
    uow: UnitOfWork, ctx: Context, own: Person, roles: Sequence[RoleAssignment]
) -> None:
    """A link alone never takes an account off someone who has work or a history here: a
    staff role, an open case they hold, a case they reported (its updates follow the
    account)."""
    assert own.id is not None
    staff = [r.role.value for r in roles if r.role != Role.RESIDENT]
    held = (await uow.cases.open_load([own.id], ctx.clock.now())).get(own.id)
    reported = await uow.cases.count_reported_since(own.id, _EVER)
    if staff or held is not None or reported:
        raise AccountInUse(
            f"account {own.telegram_id} belongs to person {own.id}",
            name=own.name,
            roles=staff,
            open_cases=held.open if held else 0,
            reported=reported,
        )
