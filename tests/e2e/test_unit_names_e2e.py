"""Units read in the resident's language: the demo's English resident (周小雨, language en)
reads their grid's English name on /start, when starting a report and in the report's
confirmation; a Chinese resident reads the Chinese name in the same places; and after
/lang 中文 the English resident does too."""

from __future__ import annotations

from .flows import ENGLISH_RESIDENT, RESIDENT, describe, report
from .harness import World


async def test_the_english_resident_reads_their_grids_english_name(world: World) -> None:
    resident = world.persona(ENGLISH_RESIDENT)
    chat = resident.private_chat()

    await resident.send("/start")
    greeting = await chat.wait_for(lambda t: "Your grid" in t)
    assert "Your grid: Zhanbinli Grid 1" in greeting and "詹滨里" not in greeting

    await resident.send("/report")
    asked = await chat.wait_for(lambda t: "Choose a category" in t)
    assert "Your grid: Zhanbinli Grid 1" in asked
    await describe(resident, "Street order", "A car has blocked the fire lane")
    await resident.tap("Skip")
    await chat.wait_for(lambda t: "Where is it?" in t)
    await resident.send("Lane 4, next to the kindergarten")
    await chat.wait_for(lambda t: "Address noted" in t)
    await resident.tap("Neighbours may see its progress in the group")
    await chat.wait_for(lambda t: "Please check your report" in t)
    await resident.tap("Submit")
    confirmation = await chat.wait_for(lambda t: "registered as" in t)
    assert "Grid: Zhanbinli Grid 1" in confirmation and "詹滨里" not in confirmation

    await resident.send("/lang")
    await chat.wait_for(lambda t: "Choose your language." in t)
    await resident.tap("中文")
    await chat.wait_for(lambda t: "以后我会用中文回复您。" in t)
    await resident.send("/start")
    assert "您所在的网格：詹滨里第一网格" in await chat.wait_for(lambda t: "您好" in t)


async def test_a_chinese_resident_reads_the_chinese_name(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()

    await resident.send("/start")
    greeting = await chat.wait_for(lambda t: "您好" in t)
    assert "您所在的网格：临月里第一网格" in greeting and "Linyueli" not in greeting

    case = await report(world, resident, "垃圾桶满了")
    [confirmation] = [
        text
        for m in await chat.bot_messages()
        if case.number in (text := m.get("text") or "") and "已登记" in text
    ]
    assert "网格：临月里第一网格" in confirmation and "Linyueli" not in confirmation
