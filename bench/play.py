"""Residents playing a scripted flow through the stand's person side, one step at a time.

A step is one update the resident sends: a text message, a tap on an inline button, or a
press of a reply-keyboard button (which sends its label as text). Before a tap or a press
the resident waits until the bot shows that button: the bot's whole answer to the previous
step is then on screen, so nothing it still sends for that step can be taken for the next
step's reply. The step's latency runs from just before the resident's request to the
stand until the bot's first visible reply to it in that chat (see ``first_reply``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

import aiohttp

from gridbot.sandbox.sim_inspect import transcript_text
from gridbot.sandbox.state import Chat, SandboxState, StoredMessage

from .watch import BenchFailed, Reply, ReplyKind, StandWatch

T = TypeVar("T")
STEP_TIMEOUT = 30.0  # a failure guard, not a measurement
CASE_NUMBER = re.compile(r"\d{4}-\d{6}")  # 2026-000123


class Action(Enum):
    MESSAGE = "message"
    TAP = "tap"  # an inline button on a message of the current flow
    PRESS = "press"  # a button of the reply keyboard the bot shows now


@dataclass(frozen=True)
class Step:
    action: Action
    text: str  # what the resident types, or the label of the button


@dataclass(frozen=True)
class Script:
    """A bot's version of the flow and what in its chat answers no step."""

    name: str
    steps: tuple[Step, ...]
    is_notice: Callable[[Reply], bool]
    notices_per_flow: int = 0


def case_confirmation(reply: Reply) -> bool:
    """gridbot's numbered confirmation comes through its outbox, after the submit step has
    been answered (the summary card edited to "submitted"); it answers no step."""
    return reply.kind is ReplyKind.MESSAGE and CASE_NUMBER.search(reply.text) is not None


GRIDBOT = Script(
    "report",
    (
        Step(Action.MESSAGE, "/report"),
        Step(Action.TAP, "环境卫生"),
        Step(Action.MESSAGE, "楼下垃圾桶满了，三天没人清运"),
        Step(Action.TAP, "跳过"),  # no photos
        Step(Action.PRESS, "跳过"),  # no location: the reply keyboard "发送我的位置 / 跳过"
        Step(Action.TAP, "不公开：仅本人和网格团队可见"),  # "Private: only me and the grid team"
        Step(Action.TAP, "提交"),
    ),
    is_notice=case_confirmation,
    notices_per_flow=1,
)
ECHO_BUTTON = "👍"  # bench/echo_bot.py puts it under each of its replies
ECHO = Script(  # the same mix of updates; the taps are on the echo bot's previous reply
    "echo",
    (
        Step(Action.MESSAGE, "/report"),
        Step(Action.TAP, ECHO_BUTTON),
        Step(Action.MESSAGE, "楼下垃圾桶满了，三天没人清运"),
        Step(Action.TAP, ECHO_BUTTON),
        Step(Action.MESSAGE, "跳过"),
        Step(Action.TAP, ECHO_BUTTON),
        Step(Action.TAP, ECHO_BUTTON),
    ),
    is_notice=lambda reply: False,
)


class Player:
    """One resident in their private chat with the bot."""

    def __init__(
        self, user_id: int, name: str, http: aiohttp.ClientSession, watch: StandWatch
    ) -> None:
        self.user_id = user_id
        self.name = name
        self.http = http
        self.watch = watch
        self.submitted_at: list[float] = []  # when each flow's last step was sent

    @property
    def state(self) -> SandboxState:
        return self.watch.state

    def chat(self) -> Chat:
        return self.state.chats[self.user_id]

    async def play_flow(self, script: Script) -> list[float]:
        """The whole flow; the latency of each step, in seconds."""
        flow_start = self.chat().next_message_id  # buttons of earlier flows are not tapped
        latencies, sent = [], 0.0
        for step in script.steps:
            sent, replied = await self.play(step, script, flow_start)
            latencies.append(replied - sent)
        self.submitted_at.append(sent)
        return latencies

    async def play(self, step: Step, script: Script, flow_start: int) -> tuple[float, float]:
        """Send the step; when it was sent and when the bot replied (``perf_counter``)."""
        path, body = await self._request(step, flow_start)
        seen = len(self.watch.replies(self.user_id))
        sent = time.perf_counter()
        await self._post(path, body)
        reply = await self._wait(
            lambda: self.first_reply(seen, script),
            f"the {script.name} bot's reply to {self.name}'s {step.action.value} {step.text!r}",
        )
        return sent, reply.at

    def first_reply(self, seen: int, script: Script) -> Reply | None:
        """The first new message or edit in the chat since the step was sent. A tap counts
        the same way: the toast (answerCallbackQuery) of a tap is not visible in the chat,
        and both bots edit the tapped message (or send one) for every tap of these flows."""
        for reply in self.watch.replies(self.user_id)[seen:]:
            if reply.kind is not ReplyKind.ANSWER and not script.is_notice(reply):
                return reply
        return None

    async def _request(self, step: Step, flow_start: int) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any] = {"user_id": self.user_id, "first_name": self.name}
        if step.action is Action.TAP:
            message = await self._wait(
                lambda: self.message_with_button(step.text, flow_start),
                f"the button {step.text!r} in {self.name}'s chat",
            )
            return "/sim/callback", {**body, "label": step.text, "message_id": message.message_id}
        if step.action is Action.PRESS:
            await self._wait(
                lambda: self.keyboard_shows(step.text),
                f"the keyboard button {step.text!r} in {self.name}'s chat",
            )
        return "/sim/message", {**body, "text": step.text}

    def message_with_button(self, label: str, flow_start: int) -> StoredMessage | None:
        for message in reversed(self.chat().messages.values()):
            if message.message_id < flow_start:
                return None
            rows = message.data.get("reply_markup", {}).get("inline_keyboard", [])
            if message.from_bot and any(b.get("text") == label for row in rows for b in row):
                return message
        return None

    def keyboard_shows(self, label: str) -> bool | None:
        rows = self.chat().reply_keyboard or []
        return True if any(label in row for row in rows) else None

    async def _wait(self, check: Callable[[], T | None], what: str) -> T:
        """``watch.until`` with this chat's transcript in the failure, to see where it stuck."""
        try:
            return await self.watch.until(check, STEP_TIMEOUT, what)
        except BenchFailed as error:
            transcript = transcript_text(self.state, self.chat())
            raise BenchFailed(f"{error}\n{self.name}'s chat:\n{transcript}") from None

    def notices(self, script: Script) -> list[Reply]:
        return [reply for reply in self.watch.replies(self.user_id) if script.is_notice(reply)]

    async def _post(self, path: str, body: dict[str, Any]) -> None:
        async with self.http.post(path, json=body) as response:
            if response.status != 200:
                refusal = await response.text()
                raise BenchFailed(f"the stand refused {path} {body}: {response.status} {refusal}")
