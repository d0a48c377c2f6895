"""Which residents' group sees the progress of a public case (the rule the resident is
shown when choosing "public", and the one the notices follow)."""

from __future__ import annotations

from collections.abc import Sequence

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.org import OrgUnit, Role, RoleAssignment, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.services.ports import UnitOfWork


async def public_group(
    uow: UnitOfWork,
    source_chat_id: int | None,
    reporter_id: int | None,
    *,
    roles: Sequence[RoleAssignment] | None = None,
    tree: OrgTree | None = None,
) -> ChatBinding | None:
    """The bound group a report was started in; for one made in the private chat, the
    residents' group of the reporter's building, else of their grid (the first bound, when
    a unit has several). None when there is no such group: nobody but the team sees it.
    ``roles`` (the reporter's, when the caller holds them) and ``tree`` spare reading them."""
    if source_chat_id is not None:
        binding = await uow.bindings.get(source_chat_id)
        return binding if binding is not None and binding.active else None
    if reporter_id is None:
        return None
    if roles is None:
        roles = await uow.people.roles_of(reporter_id)
    for code in await _homes(uow, roles, tree):
        groups = [
            b
            for b in await uow.bindings.for_unit(code)
            if b.active and b.kind != BindingKind.WORKER_GROUP
        ]
        if groups:
            return min(groups, key=lambda b: b.chat_id)
    return None


async def _homes(
    uow: UnitOfWork, roles: Sequence[RoleAssignment], tree: OrgTree | None
) -> list[str]:
    """The units a resident lives in, nearest first: their building, then its grid."""
    units: list[str] = []
    for role in roles:
        if role.role != Role.RESIDENT:
            continue
        units.append(role.unit_code)
        unit: OrgUnit | None
        if tree is not None and role.unit_code in tree:
            unit = tree.get(role.unit_code)
        else:
            unit = await uow.org.get_unit(role.unit_code)
        if unit is not None and unit.level == UnitLevel.BUILDING and unit.parent_code:
            units.append(unit.parent_code)
    return units
