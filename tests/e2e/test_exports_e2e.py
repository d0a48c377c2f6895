"""/export and /chart through the stand with the demo org: 1022 宋涛 (supervisor of 万新街道
DL-WX) gets this month's workbook as a document, which the test downloads from the stand
and opens with openpyxl, and the chart as a photo that decodes at its size; a resident is
refused politely and sent no file; a period that cannot be read is answered with the
forms it may take; a unit outside the supervisor's is refused."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image

from gridbot.bot.demo import DEMO_TOKEN

from .flows import RESIDENT, report, seed_cases
from .harness import SHANGHAI, World
from .worker_play import open_chats

SUPERVISOR = 1022
MAKING = 60.0  # seconds: the first chart of a process loads matplotlib and its fonts


async def downloaded(world: World, file_id: str) -> bytes:
    """The file as the bot's own Bot API gives it back: getFile, then the file route."""
    async with world.http.get(f"/bot{DEMO_TOKEN}/getFile", params={"file_id": file_id}) as got:
        path = (await got.json())["result"]["file_path"]
    async with world.http.get(f"/file/bot{DEMO_TOKEN}/{path}") as response:
        assert response.status == 200
        return await response.read()


async def bot_files(world: World, chat_id: int, kind: str) -> list[dict[str, Any]]:
    return [m for m in await world.chat(chat_id).bot_messages() if kind in m]


async def test_a_supervisor_gets_the_months_workbook_and_opens_it(world: World) -> None:
    resident = world.persona(RESIDENT)
    await report(world, resident, "3号楼门口垃圾堆了三天", category="环境卫生")
    await seed_cases(world, 2004, 2, grid_code="DL-WX-ZB-01")
    (supervisor,) = await open_chats(world, SUPERVISOR)
    chat = supervisor.private_chat()
    month = world.clock.now().astimezone(SHANGHAI).strftime("%Y-%m")

    await supervisor.send("/export")
    caption = await chat.wait_for(lambda t: "📊 万新街道" in t, timeout=MAKING)

    assert (
        f"📊 万新街道 · {month}\n受理 3 · 办结 0" in caption and "不含姓名、电话和地址" in caption
    )
    (message,) = await bot_files(world, chat.chat_id, "document")
    document = message["document"]
    assert document["file_name"] == f"gridbot-万新街道-{month}.xlsx"
    book = load_workbook(io.BytesIO(await downloaded(world, document["file_id"])), read_only=True)
    assert book.sheetnames == ["汇总", "事项"]
    cases = [row for row in book["事项"].iter_rows(values_only=True)][2:]
    assert len(cases) == 3 and {row[4] for row in cases} == {"临月里第一网格", "詹滨里第一网格"}
    cells = [str(v) for name in book.sheetnames for r in book[name].iter_rows(values_only=True)
             for v in r if v is not None]  # fmt: skip
    assert not [c for c in cells if "李桂兰" in c or "13900002001" in c or "垃圾" in c]


async def test_a_supervisor_gets_the_chart_as_a_photo_that_decodes(world: World) -> None:
    await seed_cases(world, 2004, 3, grid_code="DL-WX-LY-01")
    (supervisor,) = await open_chats(world, SUPERVISOR)
    chat = supervisor.private_chat()

    await supervisor.send("/chart 本月")
    caption = await chat.wait_for(lambda t: "📈 万新街道" in t, timeout=MAKING)

    assert "本时段共受理 3 件" in caption
    (message,) = await bot_files(world, chat.chat_id, "photo")
    largest = message["photo"][-1]
    assert (largest["width"], largest["height"]) == (1200, 800)
    picture = Image.open(io.BytesIO(await downloaded(world, largest["file_id"])))
    picture.load()
    assert picture.format == "PNG" and picture.size == (1200, 800)


async def test_a_resident_is_refused_politely_and_sent_no_file(world: World) -> None:
    (resident,) = await open_chats(world, RESIDENT)
    chat = resident.private_chat()

    await resident.send("/export")
    await chat.wait_for(lambda t: "导出仅供督查人员导出本单位及下级单位的数据" in t)
    await resident.send("/chart")
    await chat.wait_for(lambda t: "统计仅供督查人员查看本单位及下级单位" in t)

    await world.settle()
    assert await bot_files(world, chat.chat_id, "document") == []
    assert await bot_files(world, chat.chat_id, "photo") == []


async def test_a_bad_period_or_a_unit_outside_is_answered_clearly(world: World) -> None:
    (supervisor,) = await open_chats(world, SUPERVISOR)
    chat = supervisor.private_chat()

    await supervisor.send("/export 2026-13")
    answer = await chat.wait_for(lambda t: "无法识别这个时段" in t)
    assert "请发送 /export" in answer and "/export month DL-WX" in answer
    await supervisor.send("/chart someday")
    assert "请发送 /chart" in await chat.wait_for(lambda t: "无法识别这个时段" in t)
    await supervisor.send("/export month DL")
    await chat.wait_for(lambda t: "导出仅供督查人员" in t)

    await world.settle()
    assert await bot_files(world, chat.chat_id, "document") == []


async def test_an_upload_telegram_refuses_is_said_plainly_and_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    (supervisor,) = await open_chats(world, SUPERVISOR)
    chat = supervisor.private_chat()
    month = world.clock.now().astimezone(SHANGHAI).strftime("%Y-%m")
    too_large = {"method": "sendDocument", "code": 413, "description": "Request Entity Too Large"}
    await world.post("/sim/fault", too_large)
    bad_photo = {
        "method": "sendPhoto",
        "code": 400,
        "description": "Bad Request: IMAGE_PROCESS_FAILED",
    }
    await world.post("/sim/fault", bad_photo)

    with caplog.at_level(logging.WARNING, logger="gridbot.handlers.exports.files"):
        await supervisor.send("/export")
        refused = await chat.wait_for(lambda t: "Telegram 没有接收文件" in t, timeout=MAKING)
        await supervisor.send("/chart")
        await chat.wait_for(lambda t: f"gridbot-万新街道-{month}.png" in t, timeout=MAKING)

    assert f"gridbot-万新街道-{month}.xlsx" in refused and "因此没有发出" in refused
    assert await bot_files(world, chat.chat_id, "document") == []
    logged = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(logged) == 2 and "Request Entity Too Large" in logged[0]
    assert "IMAGE_PROCESS_FAILED" in logged[1]
