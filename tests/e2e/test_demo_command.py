"""`gridbot demo` as a user runs it: a real process, a real port, Ctrl-C at the end."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ADDRESS_LINE = "Web chat: "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http(method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def wait_for_address(process: subprocess.Popen[str], timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise AssertionError(f"gridbot demo exited with {process.returncode}")
        if ADDRESS_LINE in line:
            return line.split(ADDRESS_LINE, 1)[1].strip().rstrip("/")
    raise AssertionError("gridbot demo printed no web chat address")


def wait_for_answer(base: str, chat_id: int, timeout: float = 10) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages: list[dict[str, Any]] = http("GET", f"{base}/sim/chat/{chat_id}")
        if any(m["from_bot"] for m in messages):
            return messages
        time.sleep(0.1)
    raise AssertionError(f"the bot did not answer in chat {chat_id}")


def run_demo(db: Path, port: int) -> subprocess.Popen[str]:
    """The demo with its log in a file beside the database: a pipe nobody reads while the
    demo runs would fill up (its log is long: every migration) and block the process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("BOT_TOKEN", None)
    command = [sys.executable, "-m", "gridbot.bot.cli", "demo", "--no-browser"]
    with log_of(db).open("a", encoding="utf-8") as log:
        return subprocess.Popen(
            [*command, "--port", str(port), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
        )


def log_of(db: Path) -> Path:
    return db.with_suffix(".log")


def interrupt(process: subprocess.Popen[str], signum: int, db: Path) -> tuple[int, str]:
    process.send_signal(signum)
    try:
        process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        stderr = log_of(db).read_text(encoding="utf-8")
        pytest.fail(f"gridbot demo did not stop on signal {signum}:\n{stderr}")
    stderr = log_of(db).read_text(encoding="utf-8")
    log_of(db).unlink()
    return process.returncode, stderr


def test_demo_serves_the_web_chat_answers_a_resident_and_stops_cleanly_on_a_signal(
    tmp_path: Path,
) -> None:
    db = tmp_path / "demo.db"
    # The second run reuses the database (the import is idempotent) and stops on SIGTERM.
    for run, signum in ((1, signal.SIGINT), (2, signal.SIGTERM)):
        process = run_demo(db, free_port())
        try:
            base = wait_for_address(process)
            personas = http("GET", f"{base}/sim/personas")
            assert {"user_id": 2001, "first_name": "李桂兰"}.items() <= personas[0].items()
            body = {"user_id": 2001, "first_name": "李桂兰", "text": "/start"}
            http("POST", f"{base}/sim/message", body)
            messages = wait_for_answer(base, 2001)
            answer = next(m for m in messages if m["from_bot"])
            assert "李桂兰，您好！" in answer["text"], f"run {run}"
            groups = {c.get("title") for c in http("GET", f"{base}/sim/state")["chats"]}
            assert {"临月里3号楼群", "临月里第一网格工作群"} <= groups
        finally:
            code, stderr = interrupt(process, signum, db)
        assert code == 0, stderr
        assert "Traceback" not in stderr
    assert db.exists()
