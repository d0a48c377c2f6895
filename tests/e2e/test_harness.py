"""The harness itself: taps, media, waiting and failing with the transcript."""

from __future__ import annotations

import pytest

from gridbot.bot.demo import DEMO_TOKEN

from .harness import World


async def bot_sends_keyboard(world: World, chat_id: int, text: str, labels: list[str]) -> None:
    """Features with buttons land later; the Bot API side of the stand stands in for them."""
    markup = {
        "inline_keyboard": [[{"text": label, "callback_data": f"t:{label}"}] for label in labels]
    }
    body = {"chat_id": chat_id, "text": text, "reply_markup": markup}
    async with world.http.post(f"/bot{DEMO_TOKEN}/sendMessage", json=body) as response:
        assert (await response.json())["ok"]


async def test_tap_presses_the_button_on_the_latest_message_that_has_it(world: World) -> None:
    worker = world.persona(1001)
    chat = worker.private_chat()
    await worker.send("/start")
    await chat.wait_for(lambda t: "您好" in t)
    await bot_sends_keyboard(world, 1001, "案件 A", ["接单", "转派"])
    await bot_sends_keyboard(world, 1001, "案件 B", ["接单"])
    await bot_sends_keyboard(world, 1001, "案件 C", ["办结"])

    assert await chat.buttons() == ["办结"]
    result = await worker.tap("接单")
    await world.settle()

    record = world.state.callbacks[result["callback_query_id"]]
    tapped = next(m for m in await chat.bot_messages() if m["message_id"] == record.message_id)
    assert (tapped["text"], record.data, record.user_id) == ("案件 B", "t:接单", 1001)
    assert len(world.state.updates) == 0  # the bot has taken the callback_query


async def test_photos_and_locations_reach_the_chat_and_get_the_hint(world: World) -> None:
    resident = world.persona(2001)
    chat = resident.private_chat()

    await resident.photo(caption="楼道堆物")
    await chat.wait_for(lambda t: "无法处理" in t)
    await resident.location(39.0916, 117.3107)
    await chat.wait_for(lambda t: "无法处理" in t)

    transcript = await chat.transcript()
    assert "李桂兰: [photo] 楼道堆物" in transcript
    assert "李桂兰: [location 39.0916, 117.3107]" in transcript


async def test_a_group_message_goes_to_the_group_and_sticks_as_the_current_chat(
    world: World,
) -> None:
    resident, neighbour = world.persona(2001), world.persona(1016)
    group = world.group("临月里3号楼群", members=[neighbour, resident])

    await resident.send("楼道灯坏了", chat=group)
    await resident.send("谁能看看？")
    await world.settle()

    assert resident.chat is group
    lines = (await group.transcript()).splitlines()
    assert lines == ["[1] 李桂兰: 楼道灯坏了", "[2] 李桂兰: 谁能看看？"]
    assert await resident.private_chat().messages() == []


async def test_wait_for_fails_with_the_transcript(world: World) -> None:
    stranger = world.stranger()
    await stranger.send("/start")

    with pytest.raises(AssertionError, match=r"访客: /start"):
        await stranger.private_chat().wait_for(lambda t: "never said" in t, timeout=0.5)
