"""The stand's transcript written to a file and read back (what `gridbot demo` keeps across
a restart), and what the web chat page learns from the stand: the bot's zone, the favicon."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from aiogram import Bot

from gridbot.sandbox.server import SandboxServer
from gridbot.sandbox.snapshot import load_state, save_state
from gridbot.sandbox.state import SandboxState

from .conftest import TOKEN, Person


async def test_chats_messages_and_photos_come_back_from_the_file(
    tmp_path: Path, bot: Bot, person: Person, stand: SandboxServer
) -> None:
    await person.post("message", user_id=501, first_name="李桂兰", text="你好")
    await bot.send_message(501, "<b>您好</b>", parse_mode="HTML")
    await person.post("photo", user_id=501, first_name="李桂兰", caption="垃圾桶")
    await person.post("join", chat_id=-4001, chat_title="3号楼群", user_id=stand.state.bot.id)
    await bot.edit_message_text("<b>您好！</b>", chat_id=501, message_id=2, parse_mode="HTML")
    before = await person.transcript(501)
    [photo] = [m for m in await person.get("chat/501") if "photo" in m]
    file = stand.state.files[photo["photo"][-1]["file_id"]]

    path = tmp_path / "demo.db.stand.json"
    save_state(stand.state, path)

    async with SandboxServer(TOKEN) as restarted, aiohttp.ClientSession() as session:
        assert load_state(restarted.state, path)
        assert restarted.state.epoch == stand.state.epoch
        person_again = Person(restarted.url, session)
        assert await person_again.transcript(501) == before
        assert restarted.state.chats[501].messages[2].edited
        assert restarted.state.chats[-4001].bot_status == "member"
        async with session.get(f"{restarted.url}/webchat/file/{file.file_id}") as response:
            assert await response.read() == file.content
        # Numbering goes on after the restored messages.
        sent = await person_again.post("message", user_id=501, first_name="李桂兰", text="再见")
        assert sent["message_id"] == 4


def test_a_broken_or_foreign_file_leaves_the_stand_empty(tmp_path: Path) -> None:
    state = SandboxState(TOKEN)
    state.ensure_user(501, first_name="李桂兰")
    path = tmp_path / "stand.json"
    assert not load_state(state, path)  # no file
    path.write_text("{not json", encoding="utf-8")
    assert not load_state(state, path)
    save_state(SandboxState("7000000999:other-bot"), path)
    assert not load_state(state, path)  # another bot's transcript
    assert list(state.users) == [501]  # unchanged


@pytest.mark.parametrize(
    ("env", "zone"), [(None, "Asia/Shanghai"), ("Europe/Berlin", "Europe/Berlin")]
)
async def test_the_page_learns_the_bot_zone_and_gets_a_favicon(
    monkeypatch: pytest.MonkeyPatch, env: str | None, zone: str
) -> None:
    if env is None:
        monkeypatch.delenv("GRIDBOT_TZ", raising=False)
    else:
        monkeypatch.setenv("GRIDBOT_TZ", env)
    async with SandboxServer(TOKEN) as stand, aiohttp.ClientSession() as session:
        async with session.get(f"{stand.url}/webchat/info") as response:
            info = await response.json()
        assert info == {
            "tz": zone,
            "transcript": "new",
            "guide": [],
            "epoch": stand.state.epoch,
        }
        async with session.get(f"{stand.url}/favicon.ico") as response:
            assert response.status == 200
            assert response.content_type == "image/svg+xml"
            assert (await response.text()).startswith("<svg")


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(KeyError):
        SandboxServer(TOKEN, tz_name="Mars/Olympus")
