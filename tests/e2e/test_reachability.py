"""A 403 marks a person unreachable; writing to the bot again makes them reachable."""

from __future__ import annotations

from gridbot.domain.messaging import OutboxMessage

from .harness import World

RESIDENT = 2001


async def blocked_bot(world: World) -> bool:
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(RESIDENT)
    assert person is not None
    return person.blocked_bot


async def queue_notice(world: World, text: str) -> None:
    async with world.database.uow() as uow:
        await uow.outbox.add(
            OutboxMessage(RESIDENT, "sendMessage", {"text": text}, world.clock.now())
        )
        await uow.commit()


async def test_a_resident_who_unblocks_and_writes_again_gets_notices_again(world: World) -> None:
    resident = world.persona(RESIDENT)
    await resident.send("/start")
    await world.settle()
    await resident.block()
    await queue_notice(world, "第一条通知")
    await world.settle()
    assert await blocked_bot(world)

    await resident.block(blocked=False)
    await resident.send("/help")
    await world.settle()
    assert not await blocked_bot(world)
    await queue_notice(world, "第二条通知")
    await resident.private_chat().wait_for(lambda text: "第二条通知" in text)
