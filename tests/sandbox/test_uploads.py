"""Uploads the stand takes as Telegram takes them: a document keeps its UTF-8 name (from
aiogram and from python-telegram-bot alike) and comes back byte for byte; a photo must be
a picture that decodes, at most 10 MB, with sides Telegram accepts; a document must not
be empty nor over 50 MB (a JSON 413, as Telegram answers); captions at most 1024."""

from __future__ import annotations

import io
import struct
import zlib

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramEntityTooLarge
from aiogram.types import BufferedInputFile
from PIL import Image
from telegram import Bot as PtbBot

from gridbot.sandbox.api_media import DOCUMENT_BYTES, PHOTO_BYTES
from gridbot.sandbox.server import SandboxServer

from .conftest import TOKEN, Person

USER = 31
XLSX_NAME = "gridbot-万新街道-2026-11.xlsx"


@pytest.fixture
async def started(person: Person) -> int:
    await person.post("message", text="/start", user_id=USER, first_name="宋涛")
    return USER


async def download(stand: SandboxServer, bot: Bot, file_id: str) -> bytes:
    file = await bot.get_file(file_id)
    url = f"{stand.url}/file/bot{TOKEN}/{file.file_path}"
    async with aiohttp.ClientSession() as session, session.get(url) as resp:
        assert resp.status == 200
        return await resp.read()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims these sides but holds one row of pixels: enough for the size check."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(3 * width))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def test_a_document_keeps_its_chinese_name_and_its_bytes(
    bot: Bot, stand: SandboxServer, started: int
) -> None:
    content = b"PK\x03\x04" + bytes(range(256)) * 40

    sent = await bot.send_document(started, BufferedInputFile(content, XLSX_NAME), caption="导出")

    assert sent.document is not None and sent.document.file_name == XLSX_NAME
    assert sent.document.mime_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert await download(stand, bot, sent.document.file_id) == content


async def test_a_chart_sized_photo_is_taken_with_its_sizes(bot: Bot, started: int) -> None:
    sent = await bot.send_photo(started, BufferedInputFile(png(1200, 800), "chart.png"))

    assert sent.photo is not None and (sent.photo[-1].width, sent.photo[-1].height) == (1200, 800)


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (b"this is not a picture", "IMAGE_PROCESS_FAILED"),
        (png(40, 30)[:-30], "IMAGE_PROCESS_FAILED"),  # cut short
        (png(2100, 100), "PHOTO_INVALID_DIMENSIONS"),  # 21 to 1
        (png_header(6000, 4001), "PHOTO_INVALID_DIMENSIONS"),  # 10,001 in total
        (b"\x89PNG" + bytes(PHOTO_BYTES), "PHOTO_SAVE_FILE_INVALID"),  # over 10 MB
    ],
)
async def test_a_photo_telegram_would_refuse_is_refused(
    bot: Bot, started: int, content: bytes, refusal: str
) -> None:
    with pytest.raises(TelegramBadRequest, match=f"Bad Request: {refusal}"):
        await bot.send_photo(started, BufferedInputFile(content, "p.png"))


async def test_an_empty_document_is_refused(bot: Bot, started: int) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: file must be non-empty"):
        await bot.send_document(started, BufferedInputFile(b"", "empty.xlsx"))


async def test_a_document_over_50_mb_is_too_large_and_one_of_50_mb_is_not(
    bot: Bot, started: int
) -> None:
    with pytest.raises(TelegramEntityTooLarge):
        await bot.send_document(started, BufferedInputFile(bytes(DOCUMENT_BYTES + 1), "big.xlsx"))
    sent = await bot.send_document(started, BufferedInputFile(bytes(DOCUMENT_BYTES), "max.xlsx"))
    assert sent.document is not None and sent.document.file_size == DOCUMENT_BYTES


async def test_a_document_caption_over_1024_characters_is_too_long(bot: Bot, started: int) -> None:
    document = BufferedInputFile(b"x", "a.xlsx")
    await bot.send_document(started, document, caption="字" * 1024)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message caption is too long"):
        await bot.send_document(started, document, caption="字" * 1025)


async def test_python_telegram_bot_uploads_a_named_document_and_a_photo(
    stand: SandboxServer, person: Person, started: int
) -> None:
    bot = PtbBot(TOKEN, base_url=f"{stand.url}/bot", base_file_url=f"{stand.url}/file/bot")
    async with bot:
        document = await bot.send_document(
            started, io.BytesIO(b"PK\x03\x04data"), filename=XLSX_NAME, caption="导出"
        )
        photo = await bot.send_photo(started, png(1200, 800), caption="统计图")
        file = await bot.get_file(document.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04data"

    assert document.document.file_name == XLSX_NAME
    assert (photo.photo[-1].width, photo.photo[-1].height) == (1200, 800)
    assert "[document gridbot-万新街道-2026-11.xlsx]" in await person.transcript(started)
