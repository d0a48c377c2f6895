"""A reference bot for the report flow: gridbot's Bot API calls, and nothing else.

It answers each step of the flow (``bench.play.GRIDBOT``) with the calls gridbot makes for
it (the same methods, keyboards and texts), and after 提交 sends the numbered
confirmation and the grid team's notices from a queue that keeps Telegram's limits as
gridbot's outbox sender does (30 calls a second, one a second per private chat, 20 a
minute per group). It has no categories, routing, roles, templates, translations or
checks, and it sets aiogram up as gridbot does (the answers' models held, the start-up
heap frozen, its filters called on the loop, its calls sent as JSON bodies, uvloop's event
loop; without the first aiogram spends most of an echo bot's time rebuilding models):
its throughput is what aiogram and the stand allow for these calls, the ceiling of any
bot that sends what gridbot sends.

With ``CALLS_BOT_DATABASE`` (a SQLite file) it also keeps the minimum of gridbot's
durability, in plain SQL on one aiosqlite connection: each update is written before it is
handled; after it, the conversation, the update's mark and (for 提交) the case with its
notices are written in one transaction, and each delivered notice is marked. Without it
everything lives in memory.

``CALLS_BOT_TEAMS`` names a JSON file: for each resident's user id, the chats told of
their case besides themselves (grid worker, grid leader, the grid's work group).
Run as ``python bench/calls_bot.py`` with BOT_TOKEN and TELEGRAM_API_BASE set; long
polling, stopped by SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite
from aiogram import BaseMiddleware, Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
    Update,
)
from aiolimiter import AsyncLimiter

from gridbot.bot.json_session import JsonBodySession
from gridbot.bot.loop_filters import keep_filters_on_the_loop
from gridbot.bot.responses import pin_response_models
from gridbot.bot.runner import event_loop_factory, settle_the_heap

CATEGORIES = ("环境卫生", "设施报修", "治安隐患", "矛盾纠纷", "政策咨询", "其他")
SKIP = "跳过"
SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY, payload TEXT NOT NULL, received_at REAL NOT NULL,
    handled_at REAL);
CREATE TABLE IF NOT EXISTS conversations (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY, number TEXT NOT NULL, reporter INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, text TEXT NOT NULL, sent_at REAL);
"""

Notice = tuple[int, str]  # chat id, text


def inline(*rows: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    buttons = [[InlineKeyboardButton(text=t, callback_data=d) for t, d in row] for row in rows]
    return InlineKeyboardMarkup(inline_keyboard=buttons)


class Store:
    """Where the conversations, cases and notices go: memory only (``Store``) or, in
    addition, a SQLite file (``DurableStore``)."""

    async def received(self, update: Update) -> None:
        """The update is about to be handled."""

    async def handled(
        self, update: Update, user_id: int | None, draft: dict[str, Any] | None, case: Any
    ) -> list[tuple[Notice, int | None]]:
        """The update was handled: its conversation's new state and, for 提交, the case
        (number, reporter, text, notices). Returns the notices to send with their rows."""
        if case is None:
            return []
        return [(notice, None) for notice in case[3]]

    async def delivered(self, row: int | None) -> None:
        """A notice's message was sent."""

    async def close(self) -> None:
        pass


class DurableStore(Store):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection
        self.turn = asyncio.Lock()  # one write transaction at a time on the connection

    @classmethod
    async def open(cls, path: str) -> DurableStore:
        connection = await aiosqlite.connect(path)
        await connection.executescript(SCHEMA)
        return cls(connection)

    async def received(self, update: Update) -> None:
        payload = update.model_dump_json(exclude_none=True)
        async with self.turn:
            await self.db.execute(
                "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
                (update.update_id, payload, time.time()),
            )
            await self.db.commit()

    async def handled(
        self, update: Update, user_id: int | None, draft: dict[str, Any] | None, case: Any
    ) -> list[tuple[Notice, int | None]]:
        rows: list[tuple[Notice, int | None]] = []
        async with self.turn:
            if user_id is not None:
                await self.db.execute(
                    "INSERT INTO conversations (user_id, data) VALUES (?, ?) "
                    "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                    (user_id, json.dumps(draft, ensure_ascii=False)),
                )
            if case is not None:
                number, reporter, text, notices = case
                await self.db.execute(
                    "INSERT INTO cases (number, reporter, text) VALUES (?, ?, ?)",
                    (number, reporter, text),
                )
                for chat_id, body in notices:
                    cursor = await self.db.execute(
                        "INSERT INTO outbox (chat_id, text) VALUES (?, ?)", (chat_id, body)
                    )
                    rows.append(((chat_id, body), cursor.lastrowid))
            await self.db.execute(
                "UPDATE inbox SET handled_at = ? WHERE update_id = ?",
                (time.time(), update.update_id),
            )
            await self.db.commit()
        return rows

    async def delivered(self, row: int | None) -> None:
        async with self.turn:
            await self.db.execute("UPDATE outbox SET sent_at = ? WHERE id = ?", (time.time(), row))
            await self.db.commit()

    async def close(self) -> None:
        await self.db.close()  # its thread would keep the process alive


class Sender:
    """The notices, each sent once Telegram's limits allow it, as gridbot's outbox does."""

    def __init__(self, bot: Bot, store: Store) -> None:
        self.bot, self.store = bot, store
        self.overall = AsyncLimiter(30, 1)
        self.chats: dict[int, AsyncLimiter] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    def send(self, notices: list[tuple[Notice, int | None]]) -> None:
        for notice, row in notices:
            task = asyncio.create_task(self._deliver(notice, row))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _deliver(self, notice: Notice, row: int | None) -> None:
        chat_id, text = notice
        limit = self.chats.get(chat_id)
        if limit is None:
            group = chat_id < 0
            limit = self.chats[chat_id] = AsyncLimiter(20, 60) if group else AsyncLimiter(1, 1)
        async with limit, self.overall:
            await self.bot.send_message(chat_id, text)
        await self.store.delivered(row)


class Flow:
    """The report flow's replies, with each resident's draft in memory."""

    def __init__(self, teams: dict[int, list[int]]) -> None:
        self.teams = teams
        self.drafts: dict[int, dict[str, Any]] = {}
        self.ids = itertools.count(1)

    def router(self) -> Router:
        router = Router(name="calls")
        router.message.filter(F.chat.type == "private")
        router.message.register(self.start, F.text == "/report")
        router.message.register(self.no_place, F.text == SKIP)
        router.message.register(self.description, F.text)
        router.callback_query.register(self.category, F.data.startswith("d:cat:"))
        router.callback_query.register(self.no_photos, F.data.startswith("d:skip:"))
        router.callback_query.register(self.public, F.data.startswith("d:pub:"))
        router.callback_query.register(self.submit, F.data.startswith("d:submit:"))
        return router

    async def start(self, message: Message, changes: dict[str, Any]) -> None:
        user = message.chat.id
        draft = self.drafts[user] = {"id": f"{next(self.ids):08x}", "step": "category"}
        changes["draft"] = draft
        d = draft["id"]
        pairs = [(name, f"d:cat:{d}:{n}") for n, name in enumerate(CATEGORIES)]
        rows = [tuple(pairs[i : i + 2]) for i in range(0, len(pairs), 2)]
        await message.answer(
            "<b>反映问题</b>\n您所在的网格：<b>临月里第一网格</b>\n\n属于哪一类？请选择类别。\n"
            "任何一步都可以发送 /cancel 取消。",
            reply_markup=inline(*rows, (("取消", f"d:cancel:{d}:"),)),
        )

    async def category(self, query: CallbackQuery, changes: dict[str, Any]) -> None:
        draft = changes["draft"] = self.drafts[query.from_user.id]
        draft["step"], draft["category"] = "description", CATEGORIES[0]
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text(
            f"类别：<b>{CATEGORIES[0]}</b>\n\n请用一条消息描述问题：是什么、在哪里、从什么时候开始"
            "（不超过 1000 字）。",
            reply_markup=inline((("取消", f"d:cancel:{draft['id']}:"),)),
        )

    async def description(self, message: Message, changes: dict[str, Any]) -> None:
        draft = changes["draft"] = self.drafts[message.chat.id]
        draft["step"], draft["text"] = "photos", message.text
        d = draft["id"]
        await message.answer(
            "如有照片请发送（最多 5 张，可一次发送多张），没有就点“跳过”。",
            reply_markup=inline(((SKIP, f"d:skip:{d}:"),), (("取消", f"d:cancel:{d}:"),)),
        )

    async def no_photos(self, query: CallbackQuery, changes: dict[str, Any]) -> None:
        draft = changes["draft"] = self.drafts[query.from_user.id]
        draft["step"] = "place"
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(
            "问题在哪里？请用下方按钮发送位置，或直接输入地址，也可以点“跳过”。",
            reply_markup=ReplyKeyboardMarkup(
                keyboard=[
                    [KeyboardButton(text="发送我的位置", request_location=True)],
                    [KeyboardButton(text=SKIP)],
                ],
                resize_keyboard=True,
                one_time_keyboard=True,
            ),
        )

    async def no_place(self, message: Message, changes: dict[str, Any]) -> None:
        draft = changes["draft"] = self.drafts[message.chat.id]
        draft["step"] = "public"
        d = draft["id"]
        await message.answer("未提供位置。", reply_markup=ReplyKeyboardRemove())
        await message.answer(
            "是否允许邻居在群里看到办理进展？他们不会看到您的姓名、电话或照片。\n\n"
            "您所在的楼栋和网格目前都还没有绑定居民群，因此无论选择哪一项，暂时只有您和网格团队能看到这件事项。",
            reply_markup=inline(
                (("邻居可在群里看到进展", f"d:pub:{d}:1"),),
                (("不公开：仅本人和网格团队可见", f"d:pub:{d}:0"),),
                (("取消", f"d:cancel:{d}:"),),
            ),
        )

    async def public(self, query: CallbackQuery, changes: dict[str, Any]) -> None:
        draft = changes["draft"] = self.drafts[query.from_user.id]
        draft["step"], draft["public"] = "summary", False
        d = draft["id"]
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text(
            f"<b>请核对您的反映</b>\n类别：<b>{draft['category']}</b>\n{draft['text']}\n0 张照片\n"
            "未提供位置。\n不公开：仅您和网格团队可见。\n\n点“提交”发送给网格团队。",
            reply_markup=inline((("提交", f"d:submit:{d}:"), ("取消", f"d:cancel:{d}:"))),
        )

    async def submit(self, query: CallbackQuery, changes: dict[str, Any]) -> None:
        reporter = query.from_user.id
        draft = self.drafts.pop(reporter)
        changes["draft"] = None
        number = f"2026-{next(self.ids):06d}"
        team = self.teams.get(reporter, [])
        card = f"新事项 {number}：{draft['category']}\n{draft['text']}"
        notices = [(reporter, f"感谢反映！您的事项编号 {number}，网格团队会尽快处理。")]
        notices += [(chat_id, card) for chat_id in team]
        changes["case"] = (number, reporter, draft["text"], notices)
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text(
            "✅ 已提交", reply_markup=inline((("办理进度", f"c:timeline:{number}"),))
        )


class Keeping(BaseMiddleware):
    """Around each update: the store's writes, then the notices it queued."""

    def __init__(self, store: Store, sender: Sender) -> None:
        self.store, self.sender = store, sender

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        await self.store.received(event)
        changes: dict[str, Any] = {}
        data["changes"] = changes
        result = await handler(event, data)
        user = data.get("event_from_user")
        user_id = user.id if user is not None and "draft" in changes else None
        draft, case = changes.get("draft"), changes.get("case")
        notices = await self.store.handled(event, user_id, draft, case)
        self.sender.send(notices)
        return result


def read_teams() -> dict[int, list[int]]:
    path = os.environ.get("CALLS_BOT_TEAMS")
    raw = json.loads(Path(path).read_text()) if path else {}
    return {int(user): [int(chat) for chat in chats] for user, chats in raw.items()}


async def main(teams: dict[int, list[int]]) -> None:
    api = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"])
    bot = Bot(
        os.environ["BOT_TOKEN"],
        session=JsonBodySession(api=api),  # as gridbot: JSON bodies
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    database = os.environ.get("CALLS_BOT_DATABASE")
    store = await DurableStore.open(database) if database else Store()
    sender = Sender(bot, store)
    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(Keeping(store, sender))
    dispatcher.include_router(Flow(teams).router())
    keep_filters_on_the_loop(dispatcher)
    pin_response_models()
    settle_the_heap()
    try:
        await dispatcher.start_polling(bot)
    finally:
        await store.close()


if __name__ == "__main__":
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:  # gridbot's loop
        runner.run(main(read_teams()))
