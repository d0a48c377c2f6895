"""Telegram answers "Bad Request: chat not found" to a private message for someone who never
started the bot: the sender marks them unreachable, as a block, so routing passes them over
(issue 11); the same answer for a group is only a failed message."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest

from gridbot.domain.org import Person

from .fakes import FakeBot, FakeClock, Store, fail_times, uow_factory
from .test_outbox_sender import GROUP, make_sender, seed, statuses


async def test_a_private_chat_not_found_marks_the_person_unreachable() -> None:
    store, bot = Store(), FakeBot()
    store.people[100] = Person(name="罗斌", telegram_id=5, id=100)
    missing = "Bad Request: chat not found"
    bot.faults.append(fail_times(9, lambda m: TelegramBadRequest(m, missing)))
    await seed(uow_factory(store), FakeClock(), [5], 1)

    await make_sender(store, bot).deliver_once()

    assert statuses(store) == ["unreachable"]
    assert store.people[100].blocked_bot is True
    assert len(bot.calls) == 1


async def test_other_bad_requests_and_groups_mark_nobody() -> None:
    store, bot = Store(), FakeBot()
    store.people[100] = Person(name="罗斌", telegram_id=5, id=100)
    unparsable = "Bad Request: can't parse entities"
    bot.faults.append(fail_times(1, lambda m: TelegramBadRequest(m, unparsable), chat_id=5))
    missing = "Bad Request: chat not found"
    bot.faults.append(fail_times(1, lambda m: TelegramBadRequest(m, missing), chat_id=-7))
    await seed(uow_factory(store), FakeClock(), [5], 1)
    await seed(uow_factory(store), FakeClock(), [-7], 1, GROUP)

    await make_sender(store, bot).deliver_once()

    assert statuses(store) == ["failed", "failed"]
    assert store.people[100].blocked_bot is False
