"""Staff invitations made in the chat (/invite): an administrator chooses a role and a unit
of theirs and gets a single-use link that expires; whoever opens it first holds that role
on that unit. Accepting goes through ``accept_invite``, as the org file's invites do."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from gridbot.domain.errors import InviteExpired, InviteTaken, PermissionDenied, UnknownUnit
from gridbot.domain.invitepicker import InviteStep, invite_step
from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment
from gridbot.domain.policy import Action, require
from gridbot.domain.staffing import INVITABLE, StaffInvite, check_invite, parse_role
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork

ACCEPTED = "notices/invite_accepted.html.j2"
CODE_BYTES = 16  # 22 characters: "inv_" and the code fit a start payload (64) with room


@dataclass(frozen=True)
class StartInvite:
    """``/invite``: the roles an administrator may invite people to."""

    actor: Actor | None


@dataclass(frozen=True)
class PickInviteUnit:
    """A screen of the unit picker for ``role`` (ROOT: the first one)."""

    actor: Actor | None
    role: str
    code: str


@dataclass(frozen=True)
class CreateInvite:
    actor: Actor | None
    role: str
    unit_code: str


@dataclass(frozen=True)
class InviteMade:
    """A new invitation, with its unit (for the administrator's answer)."""

    invite: StaffInvite
    unit: OrgUnit


def administrator(actor: Actor | None) -> Actor:
    """The actor, if they administer some unit; PermissionDenied (``invite_staff``)
    before anything is read otherwise."""
    admin = known(actor)
    if not admin.staff.holds(Role.ADMIN):
        raise PermissionDenied(
            f"{admin.person.name} administers nothing", action=Action.INVITE_STAFF.value
        )
    return admin


async def invite_roles(cmd: StartInvite, ctx: Context) -> tuple[Role, ...]:
    administrator(cmd.actor)
    return INVITABLE


async def pick_invite_unit(cmd: PickInviteUnit, ctx: Context) -> InviteStep:
    """UnknownUnit for a unit that is not one of the administrator's (or below them), or
    has no place for the role; ValidationFailed for a role nobody is invited to."""
    admin = administrator(cmd.actor)
    role = parse_role(cmd.role)
    if cmd.code:
        _target(admin, cmd.code)
    return invite_step(admin.tree, admin.staff.units_for(Role.ADMIN), role, cmd.code)


async def create_invite(cmd: CreateInvite, ctx: Context) -> InviteMade:
    """A new invitation by the administrator of the unit (or of one above it), valid for
    ``ctx.timing.invite_valid``; ValidationFailed for a role not held on that level."""
    admin = administrator(cmd.actor)
    role = parse_role(cmd.role)
    unit = _target(admin, cmd.unit_code)
    check_invite(role, unit)
    now = ctx.clock.now()
    code = secrets.token_urlsafe(CODE_BYTES)
    invite = StaffInvite(code, role, unit.code, admin.id, now, now + ctx.timing.invite_valid)
    async with ctx.writing() as uow:
        invite = await uow.invites.add(invite)
        await uow.commit()
    return InviteMade(invite, unit)


def _target(admin: Actor, code: str) -> OrgUnit:
    """The unit of this code, once policy lets the administrator invite onto it."""
    tree = admin.tree
    code = code.strip()
    if code not in tree and code.upper() in tree:
        code = code.upper()
    if code not in tree:
        raise UnknownUnit(f"no unit {code!r}", unit=code)
    require(admin.staff, Action.INVITE_STAFF, tree=tree, unit_code=code)
    return tree.get(code)


async def take_staff_invite(
    uow: UnitOfWork, ctx: Context, new_person: Person, invite: StaffInvite
) -> tuple[Person, bool]:
    """The account (``new_person`` holds its id, name and language) takes the invitation:
    its Person (made now if the account has none) holds the role from now on, gets its new
    menu, and the administrator who invited is told. Returns the person and whether they
    had accepted it already. InviteTaken if another account did, InviteExpired if late."""
    assert new_person.telegram_id is not None and invite.id is not None
    own = await uow.people.by_telegram_id(new_person.telegram_id)
    if invite.accepted:
        if own is not None and own.id == invite.accepted_by:
            return own, True
        raise InviteTaken("invitation already accepted by another account", code=invite.code)
    now = ctx.clock.now()
    if invite.expired(now):
        raise InviteExpired("invitation expired", code=invite.code, at=invite.expires_at)
    person = own or await uow.people.save(new_person)
    assert person.id is not None
    if not await uow.invites.take(invite.id, person.id, now):
        raise InviteTaken("invitation accepted meanwhile by another account", code=invite.code)
    await uow.people.add_role(RoleAssignment(person.id, invite.role, invite.unit_code))
    await ctx.notices.command_menu(uow, person, await uow.people.roles_of(person.id))
    await _tell_inviter(uow, ctx, person, invite)
    return person, False


async def _tell_inviter(uow: UnitOfWork, ctx: Context, person: Person, invite: StaffInvite) -> None:
    inviter = await uow.people.get(invite.invited_by)
    if inviter is None:
        return
    unit = await uow.org.get_unit(invite.unit_code)
    await ctx.notices.outbox.to_person(
        uow,
        ctx.clock.now(),
        inviter,
        ACCEPTED,
        name=person.name,
        role=invite.role,
        unit=unit,
        code=invite.unit_code,
    )
