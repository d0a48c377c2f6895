"""/start and /help on the real storage (a migrated SQLite file), not on fakes."""

from __future__ import annotations

from aiogram import Bot
from aiogram.methods import SendMessage

from gridbot.bot.app import build_context, build_dispatcher
from gridbot.bot.config import Settings
from gridbot.domain.org import GridKind, OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.storage.database import Database

from .fakes import RecordingSession, message_update

UNITS = (
    OrgUnit("DL", "东丽区", UnitLevel.DISTRICT),
    OrgUnit("DL-WX", "万新街道", UnitLevel.STREET, parent_code="DL"),
    OrgUnit("DL-WX-LY", "临月里社区", UnitLevel.COMMUNITY, parent_code="DL-WX"),
    OrgUnit("DL-WX-LY-01", "临月里第一网格", UnitLevel.GRID, "DL-WX-LY", GridKind.RESIDENTIAL),
)


async def seed(database: Database) -> None:
    async with database.uow() as uow:
        for unit in UNITS:
            await uow.org.save_unit(unit)
        worker = await uow.people.save(Person("张伟", telegram_id=1001))
        resident = await uow.people.save(Person("王芳", telegram_id=2001))
        assert worker.id is not None and resident.id is not None
        await uow.people.add_role(RoleAssignment(worker.id, Role.GRID_WORKER, "DL-WX-LY-01"))
        await uow.people.add_role(RoleAssignment(resident.id, Role.RESIDENT, "DL-WX-LY-01"))
        await uow.commit()


async def ask(
    settings: Settings,
    database: Database,
    bot: Bot,
    session: RecordingSession,
    text: str,
    user_id: int,
) -> str:
    dispatcher = build_dispatcher(settings, build_context(settings, database))
    await dispatcher.feed_update(bot, message_update(text, user_id=user_id, language_code="en"))
    (reply,) = session.sent(SendMessage)
    return str(reply.text)


async def test_help_for_a_stranger_and_for_a_grid_worker(
    settings: Settings, database: Database, bot: Bot, session: RecordingSession
) -> None:
    await seed(database)
    stranger = await ask(settings, database, bot, session, "/help", user_id=9999)
    assert "/report" in stranger and "/tasks" not in stranger
    session.requests.clear()
    worker = await ask(settings, database, bot, session, "/help", user_id=1001)
    assert "/report" in worker and "/tasks" in worker and "/case &lt;no&gt;" in worker


async def test_start_for_a_bound_resident_names_the_grid(
    settings: Settings, database: Database, bot: Bot, session: RecordingSession
) -> None:
    await seed(database)
    text = await ask(settings, database, bot, session, "/start", user_id=2001)
    assert "Hello, 王芳!" in text and "Your grid: <b>临月里第一网格</b>" in text
