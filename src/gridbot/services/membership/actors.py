"""Who is talking to the bot: the actor of an update, loaded once and handed on."""

from __future__ import annotations

from gridbot.domain.org import Staff
from gridbot.services.context import Actor, Context
from gridbot.services.orgcache import OrgCache
from gridbot.services.ports import UnitOfWork


async def load_actor(uow: UnitOfWork, telegram_id: int, org: OrgCache) -> Actor | None:
    """The person behind a Telegram account, with every role they hold and the
    organisation; None for a stranger. One query, unless the organisation changed."""
    found = await uow.people.with_roles(telegram_id)
    if found is None or found[0].id is None:
        return None
    person, roles, revision = found
    return Actor(Staff(person=person, roles=list(roles)), await org.current(uow, revision))


async def identify(ctx: Context, telegram_id: int, *, in_private: bool) -> Actor | None:
    """The actor of an update. Someone who writes to the bot in private may be written to
    again: a 403 (a block, or never having started the bot) marked them unreachable."""
    async with ctx.reading() as uow:
        actor = await load_actor(uow, telegram_id, ctx.org)
    if actor is not None and in_private and actor.person.blocked_bot:
        async with ctx.writing() as uow:
            person = await uow.people.get(actor.id)
            if person is not None and person.blocked_bot:
                person.blocked_bot = False
                await uow.people.save(person)
                await uow.commit()
        actor.person.blocked_bot = False
    return actor
