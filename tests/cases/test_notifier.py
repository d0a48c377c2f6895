"""The outbox writer of the notices: language, button labels, deep links, length limits,
unreachable people."""

from __future__ import annotations

from gridbot.bot.i18n import Translator
from gridbot.bot.templating import Renderer
from gridbot.domain.case import Case
from gridbot.domain.messaging import ChatKind
from gridbot.domain.org import Person
from gridbot.domain.texts import public_summary
from gridbot.sandbox.validation import parse_html
from gridbot.services.notices.html_limits import CAPTION_LIMIT, TEXT_LIMIT, fit_html, visible_length
from gridbot.services.notices.keyboards import Button, Keyboard
from gridbot.services.notices.outbox import OutboxWriter

from .conftest import GROUP, T0, Town

NOTE = "notices/case_withdrawn.html.j2"
KEYBOARD = Keyboard.of(
    [
        Button("Accept", callback="c:accept:7"),
        Button("Follow in private chat", start_payload="c_1"),
    ],
    [Button("Confirm", url="https://example.org/x")],
)


def a_case(text: str = "路灯不亮") -> Case:
    return Case("2026-000007", "issue", "env", text, None, "DL-WX-LY-01", T0, id=7)  # type: ignore[arg-type]


async def save(town: Town, person: Person) -> int:
    async with town.db.uow() as uow:
        saved = await uow.people.save(person)
        await uow.commit()
    assert saved.id is not None
    return saved.id


def town_writer(town: Town) -> OutboxWriter:
    """The outbox writer of the town's notices (the bot's name known: deep links work)."""
    return town.ctx.notices.outbox


async def notify(town: Town, writer: OutboxWriter, person_id: int, **kw: object) -> bool:
    """Message the person with this id (who may not exist) as the notices do."""
    async with town.db.uow() as uow:
        person = await uow.people.get(person_id)
        template = kw.pop("template", NOTE)
        sent = await writer.to_person(uow, town.clock.now(), person, template, **kw)  # type: ignore[arg-type]
        await uow.commit()
    return sent


async def test_a_person_hears_in_their_language_and_others_in_the_default(town: Town) -> None:
    english = await save(town, Person("Amy", telegram_id=3001, language="en"))
    chinese = await save(town, Person("王", telegram_id=3002))
    assert await notify(town, town_writer(town), english, case=a_case(), keyboard=KEYBOARD)
    assert await notify(town, town_writer(town), chinese, case=a_case(), keyboard=KEYBOARD)
    [to_amy] = await town.outbox(3001)
    [to_wang] = await town.outbox(3002)
    assert to_amy.params["text"].startswith("The reporter withdrew case No. 2026-000007")
    assert to_wang.params["text"].startswith("反映人已撤回事项 2026-000007")
    assert to_amy.chat_kind == ChatKind.PRIVATE and to_amy.params["parse_mode"] == "HTML"
    labels = [[b["text"] for b in row] for row in to_wang.params["reply_markup"]["inline_keyboard"]]
    assert labels == [["接单", "私聊查看进展"], ["确认"]]
    assert to_amy.params["reply_markup"]["inline_keyboard"] == [
        [
            {"text": "Accept", "callback_data": "c:accept:7"},
            {"text": "Follow in private chat", "url": "https://t.me/gridbot_test_bot?start=c_1"},
        ],
        [{"text": "Confirm", "url": "https://example.org/x"}],
    ]


async def test_label_values_fill_the_translated_label(town: Town) -> None:
    person = await save(town, Person("Amy", telegram_id=3001, language="en"))
    keyboard = Keyboard.of(
        [Button("Photos: %(count)s", callback="x", label_values=(("count", 3),))]
    )
    await notify(town, town_writer(town), person, case=a_case(), keyboard=keyboard)
    [message] = await town.outbox(3001)
    assert message.params["reply_markup"]["inline_keyboard"] == [
        [{"text": "Photos: 3", "callback_data": "x"}]
    ]


async def test_deep_links_are_left_out_while_the_bot_username_is_unknown(town: Town) -> None:
    names: list[str | None] = [None]
    chinese = OutboxWriter(Renderer(), bot_username=lambda: names[0])
    # Groups hear the bot's default language: here, English.
    english = OutboxWriter(Renderer(Translator("en")), bot_username=lambda: names[0])
    only_link = Keyboard.of([Button("Follow in private chat", start_payload="c_1")])
    now = town.clock.now()
    async with town.db.uow() as uow:
        await chinese.to_chat(uow, now, GROUP, NOTE, keyboard=KEYBOARD, case=a_case())
        await chinese.to_chat(uow, now, GROUP, NOTE, keyboard=only_link, case=a_case())
        names[0] = "@late_bot"
        await english.to_chat(uow, now, GROUP, NOTE, keyboard=only_link, case=a_case())
        await uow.commit()
    first, second, third = await town.outbox(GROUP)
    assert [
        [b["text"] for b in row] for row in first.params["reply_markup"]["inline_keyboard"]
    ] == [
        ["接单"],
        ["确认"],
    ]
    assert "reply_markup" not in second.params
    assert first.chat_kind == ChatKind.GROUP
    assert third.params["reply_markup"]["inline_keyboard"][0][0]["url"] == (
        "https://t.me/late_bot?start=c_1"
    )
    assert third.params["text"].startswith("The reporter withdrew")


async def test_people_who_cannot_be_reached_are_skipped(town: Town) -> None:
    blocked = await save(town, Person("甲", telegram_id=3003, blocked_bot=True))
    no_account = await save(town, Person("乙"))
    assert not await notify(town, town_writer(town), blocked, case=a_case())
    assert not await notify(town, town_writer(town), no_account, case=a_case())
    assert not await notify(town, town_writer(town), 999_999, case=a_case())
    assert await town.outbox() == []


async def test_long_texts_and_captions_are_cut_to_telegrams_limits(town: Town) -> None:
    person = await save(town, Person("王", telegram_id=3002))
    long_case = a_case("很" * 5000)
    template = "notices/case_assigned.html.j2"
    context = {"category": None, "respond_by": None, "resolve_by": None}
    await notify(town, town_writer(town), person, template=template, case=long_case, **context)
    await notify(
        town, town_writer(town), person, template=template, case=long_case, photo="p1", **context
    )
    text, caption = await town.texts(3002)
    for body, limit in ((text, TEXT_LIMIT), (caption, CAPTION_LIMIT)):
        plain, _ = parse_html(body)  # still valid HTML
        assert len(plain.encode("utf-16-le")) // 2 == limit and plain.endswith("…")


def test_cutting_html_keeps_tags_and_entities_whole() -> None:
    html = "<b>粗体 &amp; 文字</b> 😀😀😀 <i>斜体</i>"
    assert fit_html(html, 100) == html
    cut = fit_html(html, 8)
    assert cut == "<b>粗体 &amp; 文字</b>…" and visible_length(cut) == 8
    assert fit_html("<b>粗体文字</b>", 3) == "<b>粗体…</b>"
    emoji_cut = fit_html(html, 12)  # an emoji counts two: it is never split
    assert parse_html(emoji_cut)[0] == "粗体 & 文字 😀…"


def test_a_public_summary_masks_long_numbers_and_stays_short() -> None:
    assert public_summary("电话 138 0000 1234，请回电") == "电话 ***，请回电"
    assert public_summary("楼道\n灯坏了") == "楼道 灯坏了"
    summary = public_summary("很" * 100)
    assert len(summary) == 60 and summary.endswith("…")
