"""aiogram's models made cheap to build (bot/responses.py): the bot is bound to every parsed
or built object in one step, with the same result as aiogram's own hook chain."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.context_controller import BotContextController
from aiogram.methods import SendMessage
from aiogram.methods.base import Response
from aiogram.types import InlineKeyboardButton, Message, TelegramObject, Update
from pydantic import PrivateAttr

from gridbot.bot import responses
from gridbot.bot.app import build_bot
from gridbot.bot.config import Settings
from gridbot.bot.responses import bind_bot_in_one_step

ANSWER: dict[str, Any] = {
    "ok": True,
    "result": {
        "message_id": 7,
        "date": 1_700_000_000,
        "from": {"id": 1, "is_bot": True, "first_name": "gridbot"},
        "chat": {"id": 5, "type": "private", "first_name": "张三"},
        "text": "请选择类别",
        "reply_markup": {
            "inline_keyboard": [
                [{"text": f"类别{i}", "callback_data": f"d:cat:{i}"}] for i in range(3)
            ]
        },
    },
}


def _objects(model: BotContextController) -> list[BotContextController]:
    """``model`` and every aiogram object inside it."""
    found = [model]
    for value in model.__dict__.values():
        items = value if isinstance(value, list) else [value]
        for item in items:
            for inner in item if isinstance(item, list) else [item]:
                if isinstance(inner, BotContextController):
                    found.extend(_objects(inner))
    return found


def test_the_bots_session_binds_every_parsed_object_to_the_bot() -> None:
    bot = build_bot(Settings(bot_token="42:TEST"))
    assert SendMessage.__dict__["model_post_init"] is responses._bind  # build_bot did it
    answer = bot.session.check_response(
        bot=bot,
        method=SendMessage(chat_id=5, text="x"),
        status_code=200,
        content=Response[Message].model_validate(ANSWER).model_dump_json(by_alias=True),
    )
    objects = _objects(answer.result)
    # the message, its sender, its chat, the keyboard and its three buttons
    assert len(objects) == 7
    assert all(found.bot is bot for found in objects)
    assert all(found.__pydantic_private__ == {"_bot": bot} for found in objects)
    assert answer.result.reply_markup.inline_keyboard[2][0].callback_data == "d:cat:2"


def test_objects_built_without_a_bot_have_none_until_bound() -> None:
    bind_bot_in_one_step()
    bot = Bot("42:TEST")
    button = InlineKeyboardButton(text="接单", callback_data="c:accept:12")
    assert button.bot is None
    assert button.__pydantic_private__ == {"_bot": None}
    assert button.as_(bot).bot is bot
    update = Update.model_validate(
        {"update_id": 1, "message": ANSWER["result"]}, context={"bot": bot}
    )
    assert update.message is not None and update.message.chat.bot is bot


def test_the_one_step_leaves_objects_as_aiogram_s_own_chain_does() -> None:
    class Probe(TelegramObject):
        number: int
        inner: InlineKeyboardButton | None = None

    bot = Bot("42:TEST")
    data = {"number": 1, "inner": {"text": "t", "callback_data": "x"}}
    chained = Probe.model_validate(data, context={"bot": bot})
    bare = Probe.model_validate(data)
    assert Probe.__dict__["model_post_init"] is not responses._bind

    assert bind_bot_in_one_step() == bind_bot_in_one_step()  # a second call changes nothing
    assert Probe.__dict__["model_post_init"] is responses._bind
    one_step = Probe.model_validate(data, context={"bot": bot})
    assert one_step.__pydantic_private__ == chained.__pydantic_private__ == {"_bot": bot}
    assert one_step.inner is not None and chained.inner is not None
    assert one_step.inner.__pydantic_private__ == chained.inner.__pydantic_private__
    assert Probe.model_validate(data).__pydantic_private__ == bare.__pydantic_private__
    assert one_step == chained


def test_a_model_with_private_state_of_its_own_keeps_aiogram_s_chain() -> None:
    class Counted(TelegramObject):
        number: int
        _seen: int = PrivateAttr(default=3)

    bind_bot_in_one_step()
    assert Counted.__dict__["model_post_init"] is not responses._bind
    bot = Bot("42:TEST")
    counted = Counted.model_validate({"number": 1}, context={"bot": bot})
    assert counted.bot is bot
    assert counted._seen == 3
