"""`gridbot demo` stopped and started again on the same database: the web chat's transcript
comes back with the cases, the bot is not added to the groups again (it greets each once),
and without the transcript file the page is told that the chats were reset."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

from gridbot.bot.demo import stand_file_of

from .test_demo_command import free_port, http, interrupt, run_demo, wait_for_address

RESIDENT = 2001
BUILDING_GROUP = -100301
GREETING = "李桂兰，您好！"


def ask_and_wait(base: str, text: str, answers_before: int) -> list[dict[str, Any]]:
    """The resident sends ``text``; returns the private chat once the bot has answered."""
    body = {"user_id": RESIDENT, "first_name": "李桂兰", "text": text}
    http("POST", f"{base}/sim/message", body)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        messages: list[dict[str, Any]] = http("GET", f"{base}/sim/chat/{RESIDENT}")
        if len(bot_texts(messages)) > answers_before:
            return messages
        time.sleep(0.1)
    raise AssertionError(f"the bot did not answer {text!r}")


def wait_until_settled(base: str, db: Path) -> None:
    """Until the bot has handled every update the stand gave it and sent every message due.

    An answer seen in the resident's chat says nothing of the groups': their updates are
    handled side by side, and a group's messages may wait for its sending window. Stopped
    before they go out, they would be sent by the next run (the inbox and the outbox keep
    what is pending), which is right, but is not what the restart is tested for."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        delivered = {
            update["update_id"]
            for call in http("GET", f"{base}/sim/outbox?method=getUpdates")
            for update in call["result"] or []
        }
        with contextlib.closing(sqlite3.connect(db, timeout=5)) as connection:
            handled = {
                row[0]
                for row in connection.execute(
                    "SELECT update_id FROM inbox WHERE handled_at IS NOT NULL"
                )
            }
            [(unsent,)] = connection.execute("SELECT count(*) FROM outbox WHERE status = 'pending'")
        if delivered <= handled and unsent == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"the bot did not settle: {sorted(delivered - handled)} unhandled")


def saved_chat(stand_file: Path, chat_id: int) -> list[tuple[int, str]]:
    """A chat's messages as the stand file keeps them: (message_id, text)."""
    snapshot = json.loads(stand_file.read_text(encoding="utf-8"))
    [chat] = [c for c in snapshot["chats"] if c["id"] == chat_id]
    return [(m["data"]["message_id"], m["data"].get("text", "")) for m in chat["messages"]]


def shown(messages: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(m["message_id"], m.get("text", "")) for m in messages]


def bot_texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or "" for m in messages if m["from_bot"]]


def joins_delivered(base: str, chat_id: int) -> list[dict[str, Any]]:
    """Updates the bot received this run that add someone to ``chat_id``."""
    calls = http("GET", f"{base}/sim/outbox?method=getUpdates")
    return [
        update
        for call in calls
        for update in call["result"] or []
        if chat_id in (added_by(update.get("my_chat_member")), added_by(update.get("message")))
    ]


def added_by(event: dict[str, Any] | None) -> int | None:
    """The chat someone (or the bot) is added to by this update's part, if any."""
    if not event or not (event.get("new_chat_members") or "new_chat_member" in event):
        return None
    return int(event["chat"]["id"])


def test_a_restarted_demo_keeps_the_chats_and_welcomes_each_group_once(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    stand_file = stand_file_of(db)

    # The first run: the groups are joined and bound, the resident says hello.
    process = run_demo(db, free_port())
    try:
        base = wait_for_address(process)
        info = http("GET", f"{base}/webchat/info")
        assert info["transcript"] == "new"
        assert info["tz"] == (os.environ.get("GRIDBOT_TZ") or "Asia/Shanghai")
        first = ask_and_wait(base, "/start", 0)
        assert any(GREETING in text for text in bot_texts(first))
        assert joins_delivered(base, BUILDING_GROUP)  # the bot saw itself and people added
        wait_until_settled(base, db)
    finally:
        code, stderr = interrupt(process, signal.SIGINT, db)
    assert code == 0, stderr
    group = saved_chat(stand_file, BUILDING_GROUP)
    # The bot added, the /bind, its hello and its answer to the /bind; the members were
    # there before the bot, so nobody was welcomed.
    assert [text for _, text in group][:2] == ["", "/bind DL-WX-LY-01-B03"] and len(group) == 4
    assert saved_chat(stand_file, RESIDENT) == shown(first)

    # The second run on the same database: the chats are back, nothing is joined again.
    process = run_demo(db, free_port())
    try:
        base = wait_for_address(process)
        assert http("GET", f"{base}/webchat/info")["transcript"] == "restored"
        assert shown(http("GET", f"{base}/sim/chat/{RESIDENT}")) == shown(first)
        answered = ask_and_wait(base, "/start", len(bot_texts(first)))
        # The bot has answered a message sent after the stand was furnished: it has had
        # every update queued before it, and none of them adds anyone to the group.
        assert joins_delivered(base, BUILDING_GROUP) == []
        assert shown(http("GET", f"{base}/sim/chat/{BUILDING_GROUP}")) == group
        ids = [m["message_id"] for m in answered]
        assert ids == sorted(set(ids))  # numbering went on after the restored messages
    finally:
        code, stderr = interrupt(process, signal.SIGTERM, db)
    assert code == 0, stderr

    # Without the transcript: the page says so, the groups are back quietly.
    stand_file.unlink()
    process = run_demo(db, free_port())
    try:
        base = wait_for_address(process)
        assert http("GET", f"{base}/webchat/info")["transcript"] == "reset"
        ask_and_wait(base, "/start", 0)
        assert joins_delivered(base, BUILDING_GROUP) == []
        assert http("GET", f"{base}/sim/chat/{BUILDING_GROUP}") == []
        chats = {c["id"]: c for c in http("GET", f"{base}/sim/state")["chats"]}
        members = chats[BUILDING_GROUP]["members"]
        assert members[str(RESIDENT)] == "member" and members["1016"] == "creator"
    finally:
        code, stderr = interrupt(process, signal.SIGINT, db)
    assert code == 0, stderr
