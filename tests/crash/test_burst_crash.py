"""Many cases at once, and the real bot process killed (SIGKILL) while its outbox delivers
the burst of notifications; started again, every notification is delivered, and a message
is sent twice only if the stand had answered it before the kill and the outbox had not
recorded that (the documented window, measured at the kill)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from e2e.harness import World
from gridbot.bot.app import build_context
from gridbot.bot.config import Settings
from gridbot.domain.case import CaseKind
from gridbot.services.membership import identify
from gridbot.services.reports import NewReport, submit_report
from gridbot.storage.rows import OutboxRow

from .process import BotProcess, answered, repeats, settled, unrecorded

SECONDS = 60.0
REPORTS_EACH = 3
TEXTS = ("楼下井盖松动了", "路灯不亮了", "垃圾没人清运")


async def open_every_chat(world: World, bot: BotProcess, personas: list[dict[str, Any]]) -> None:
    """Each demo persona starts the bot, so that it may write to them."""
    people = [world.persona(int(p["user_id"])) for p in personas]
    for person in people:
        await person.send("/start")
    await bot.until(
        lambda: (
            len({c for (c, _) in answered(world.server)} & {p.user_id for p in people})
            == len(people)
        ),
        SECONDS,
        "an answer to every /start",
    )


async def report_at_once(world: World, residents: list[int]) -> int:
    """Each resident reports ``REPORTS_EACH`` problems, written straight by the use case
    (as if many had tapped 提交 while the bot was down); the number of cases."""
    settings = Settings(_env_file=None, GRIDBOT_QUIET_HOURS="off")  # type: ignore[call-arg]
    ctx = build_context(settings, world.database)
    count = 0
    for telegram_id in residents:
        actor = await identify(ctx, telegram_id, in_private=True)
        for text in TEXTS[:REPORTS_EACH]:
            report = NewReport(actor=actor, kind=CaseKind.ISSUE, category_code="env", text=text)
            await submit_report(report, ctx)
            count += 1
    return count


async def outbox_rows(world: World) -> list[tuple[int, str, str]]:
    async with world.database.reader() as uow:
        rows = await uow.session.execute(
            select(OutboxRow.chat_id, OutboxRow.params, OutboxRow.status)
        )
        return [(int(chat), str(params.get("text")), status) for chat, params, status in rows]


async def test_a_burst_of_notifications_survives_a_kill_while_delivering(
    world: World, bot: BotProcess, personas: list[dict[str, Any]]
) -> None:
    await bot.start()
    await open_every_chat(world, bot, personas)
    await bot.until(lambda: settled(world.database, world.server), SECONDS, "a settled bot")
    await bot.stop()
    before = answered(world.server)

    residents = [int(p["user_id"]) for p in personas if 2001 <= int(p["user_id"]) < 3000]
    cases = await report_at_once(world, residents)
    burst = [r for r in await outbox_rows(world) if r[2] == "pending"]
    assert len(burst) >= 2 * cases, burst

    await bot.start()
    await bot.until(
        lambda: sum((answered(world.server) - before).values()) >= len(burst) // 3,
        SECONDS,
        "a third of the burst delivered",
    )
    await bot.kill()
    delivered_before_kill = sum((answered(world.server) - before).values())
    may_repeat = await unrecorded(world.database, world.server)
    assert delivered_before_kill < len(burst), "the kill came after the whole burst"

    await bot.start()
    await bot.until(lambda: settled(world.database, world.server), SECONDS, "the rest delivered")

    sent = answered(world.server) - before
    rows = await outbox_rows(world)
    for chat, text, status in rows:
        if (chat, text) in {(c, t) for c, t, _ in burst}:
            assert status in ("sent", "unreachable"), (chat, text, status)
            if status == "sent":
                assert sent[(chat, text)] >= 1, f"lost: {chat} {text}"
    twice = repeats(sent, may_repeat)
    print(
        f"burst of {len(burst)} messages, {delivered_before_kill} delivered before the kill, "
        f"{twice} sent twice (allowed {sum(may_repeat.values())})"
    )
