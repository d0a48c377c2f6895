"""Faults on a share of the calls: deterministic with a seed, in force until cleared."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError

from .conftest import Person


async def outcomes(bot: Bot, chat_id: int, count: int) -> list[str]:
    """What became of ``count`` sends in a row: "ok", "429" or "500"."""
    seen: list[str] = []
    for number in range(count):
        try:
            await bot.send_message(chat_id, f"m{number}")
        except TelegramRetryAfter as refused:
            assert refused.retry_after == 2
            seen.append("429")
        except TelegramServerError:
            seen.append("500")
        else:
            seen.append("ok")
    return seen


async def test_a_rate_fault_fires_on_its_share_of_calls_repeatably(
    bot: Bot, person: Person
) -> None:
    await person.post("message", text="/start", user_id=3)
    fault: dict[str, Any] = {
        "method": "sendMessage",
        "code": 429,
        "rate": 0.2,
        "retry_after": 2,
        "seed": 7,
    }
    await person.post("fault", **fault)
    first = await outcomes(bot, 3, 300)
    assert 30 <= first.count("429") <= 90  # 60 expected
    assert first.count("429") + first.count("ok") == 300
    assert (await bot.get_me()).is_bot  # other methods are untouched
    [listed] = (await person.get("state"))["faults"]
    assert listed["rate"] == 0.2 and listed["seed"] == 7  # still in force after 300 calls

    await person.post("reset")
    await person.post("message", text="/start", user_id=3)
    await person.post("fault", **fault)
    assert await outcomes(bot, 3, 300) == first  # the same seed, the same calls fail

    await person.post("fault", method="getMe", delay=0.001, times=5)  # and a counted one
    async with person.session.delete(f"{person.base_url}/sim/fault") as cleared:
        assert cleared.status == 200
    assert (await person.get("state"))["faults"] == []
    assert await outcomes(bot, 3, 50) == ["ok"] * 50


async def test_rate_faults_of_two_codes_share_the_calls(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=3)
    await person.post("fault", method="*", code=429, rate=0.1, retry_after=2, seed=1)
    await person.post("fault", method="sendMessage", code=500, rate=0.1, seed=2)
    seen = await outcomes(bot, 3, 400)
    assert 15 <= seen.count("429") <= 70  # 40 expected
    assert 15 <= seen.count("500") <= 70  # 36 expected: a call the 429 took is not drawn
    calls = await person.get("outbox", method="sendMessage")
    assert [call["ok"] for call in calls] == [s == "ok" for s in seen]


async def test_a_counted_fault_still_fires_its_times(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=3)
    await person.post("fault", method="sendMessage", code=500, times=2)
    assert await outcomes(bot, 3, 4) == ["500", "500", "ok", "ok"]
    assert (await person.get("state"))["faults"] == []


async def test_a_rate_outside_0_to_1_is_refused(person: Person) -> None:
    answer = await person.post("fault", expect=400, method="sendMessage", code=429, rate=1.5)
    assert "rate" in answer["error"]
    assert (await person.get("state"))["faults"] == []
