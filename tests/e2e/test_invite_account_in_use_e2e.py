"""Issue 11 through the stand: a grid worker with open cases opens another person's pending
invite link; the bot refuses, his account and his cases stay his, and the invite is still
there for the person it names."""

from __future__ import annotations

from .flows import RESIDENT, report
from .harness import World
from .test_join import invite_code
from .worker_play import WORKER, open_chats, person_id


async def test_a_worker_opening_another_persons_invite_keeps_his_account_and_cases(
    world: World,
) -> None:
    [worker] = await open_chats(world, WORKER)
    case = await report(world, world.persona(RESIDENT), "3号楼门口垃圾堆了三天")
    mine = await person_id(world, WORKER)
    assert case.assignee_id == mine
    code = await invite_code(world)

    await worker.send(f"/start inv_{code}")
    refused = await worker.private_chat().wait_for(lambda t: "没有转移" in t)

    assert "张伟" in refused and "没有改变" in refused
    await world.settle()
    async with world.database.reader() as uow:
        [xu] = await uow.people.named("许文")
        load = await uow.cases.open_load([mine], world.clock.now())
    assert await person_id(world, WORKER) == mine
    assert xu.telegram_id is None and xu.invite_code == code
    assert load[mine].open == 1

    newcomer = world.stranger(9005, "文")
    await newcomer.send(f"/start inv_{code}")
    await newcomer.private_chat().wait_for(lambda t: "许文，欢迎加入网格团队" in t)
