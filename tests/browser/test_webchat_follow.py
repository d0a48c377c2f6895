"""The web chat follows the newest message, shows times in the bot's zone, marks what is
new when the person has scrolled up, counts unread messages per chat and explains the demo.

The browser runs in a zone and locale other than the bot's (New York or Honolulu, en-US),
so a time rendered in the browser's own zone or on a 12-hour clock fails the checks.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from e2e.harness import World
from gridbot.sandbox.webchat import INFO_KEY

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

RESIDENT, BUILDING_LEADER, SUPERVISOR = 2001, 1016, 1022
BUILDING_GROUP = -100301
BROWSER_ZONES = ("America/New_York", "Pacific/Honolulu")  # the first not the bot's

# The last message row lies wholly inside the scrolled message area (or fills it).
LAST_ROW_IN_VIEW = """() => {
    const box = document.getElementById("messages").getBoundingClientRect();
    const rows = document.querySelectorAll("#message-list .row");
    if (!rows.length) return false;
    const row = rows[rows.length - 1].getBoundingClientRect();
    const fits = row.height <= box.height;
    return fits ? row.top >= box.top - 1 && row.bottom <= box.bottom + 1
                : row.bottom <= box.bottom + 1 && row.bottom > box.top;
}"""

LAST_ROW = """() => {
    const rows = document.querySelectorAll("#message-list .row:not(.service)");
    const row = rows[rows.length - 1];
    return {id: Number(row.dataset.messageId), time: row.querySelector(".meta").textContent};
}"""


# Scroll the message area as a person would, and wait until the page has seen the scroll.
SCROLL_TO = """(top) => new Promise((resolve) => {
    const box = document.getElementById("messages");
    box.addEventListener("scroll", () => resolve(box.scrollTop), {once: true});
    box.scrollTop = top;
})"""


async def open_page(browser: Browser, world: World, width: int, height: int) -> Page:
    now = datetime.now()
    offset = bot_zone(world).utcoffset(now)
    zone = next(z for z in BROWSER_ZONES if ZoneInfo(z).utcoffset(now) != offset)
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        timezone_id=zone,
        locale="en-US",
    )
    page = await context.new_page()
    await page.goto(f"{world.server.url}/")
    return page


def bot_zone(world: World) -> ZoneInfo:
    tz: str = world.server.app[INFO_KEY]["tz"]
    return ZoneInfo(tz)


GEOMETRY = """() => {
    const m = document.getElementById("messages");
    const rows = document.querySelectorAll("#message-list .row");
    const row = rows[rows.length - 1];
    return {box: m.getBoundingClientRect().toJSON(), scrollTop: m.scrollTop,
            scrollHeight: m.scrollHeight, clientHeight: m.clientHeight,
            last: row && row.getBoundingClientRect().toJSON(), text: row && row.textContent};
}"""


async def in_view(page: Page) -> None:
    """Wait until the last message is in view; say where things are when it is not."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.wait_for_function(LAST_ROW_IN_VIEW, timeout=5000)
    except PlaywrightTimeout as error:
        where = await page.evaluate(GEOMETRY)
        raise AssertionError(f"the last message is out of view: {where}") from error


async def check_step(page: Page, world: World, chat_id: int, expected: str) -> None:
    """After a step: the bot's answer is there, the newest message is in view and its time
    reads as the bot's clock (HH:MM in the bot's zone) shows the stand's date of it."""
    from playwright.async_api import expect

    await expect(page.locator(".row.bot .bubble", has_text=expected).last).to_be_visible()
    await in_view(page)
    last: dict[str, Any] = await page.evaluate(LAST_ROW)
    stored = world.state.chats[chat_id].messages[last["id"]]
    wanted = datetime.fromtimestamp(stored.data["date"], bot_zone(world)).strftime("%H:%M")
    assert last["time"].rsplit(" ", 1)[-1] == wanted, (last, wanted)
    assert "M" not in last["time"]  # no AM/PM


async def test_a_report_in_the_browser_keeps_the_newest_message_in_view_and_bot_times(
    demo_world: World, browser: Browser
) -> None:
    from playwright.async_api import expect

    world = demo_world
    page = await open_page(browser, world, 900, 560)
    await page.select_option("#persona", str(RESIDENT))
    await expect(page.locator("#persona-label")).to_contain_text("居民")

    async def say(text: str) -> None:
        await page.fill("#text", text)
        await page.press("#text", "Enter")

    await say("/report")
    await check_step(page, world, RESIDENT, "请选择类别")
    await page.get_by_role("button", name="环境卫生").click()
    await check_step(page, world, RESIDENT, "描述")
    await say("3号楼东侧垃圾桶满了，三天没人清运")
    await check_step(page, world, RESIDENT, "照片")
    await page.click("#attach")
    await page.click("#attach-menu [data-action=sample]")
    await check_step(page, world, RESIDENT, "已收到 1 张照片")
    await page.get_by_role("button", name="完成").click()
    await check_step(page, world, RESIDENT, "问题在哪里")
    await expect(page.locator("#reply-keyboard")).to_be_visible()  # the location button
    await say("临月里3号楼东侧")
    await check_step(page, world, RESIDENT, "是否允许邻居")
    await page.get_by_role("button", name="不公开：仅本人和网格团队可见").click()
    await check_step(page, world, RESIDENT, "请核对您的反映")
    await page.get_by_role("button", name="提交").click()
    await check_step(page, world, RESIDENT, "已登记")


async def test_scrolled_up_new_messages_show_a_marker_and_other_chats_count_unread(
    demo_world: World, browser: Browser
) -> None:
    from playwright.async_api import expect

    world = demo_world
    group = world.chat(BUILDING_GROUP)
    leader = world.persona(BUILDING_LEADER)
    page = await open_page(browser, world, 900, 420)
    await page.select_option("#persona", str(RESIDENT))
    await page.click("#guide-close")

    # In the private chat: the group's new messages are counted in the chat list.
    group_item = page.locator("#chats li", has_text="临月里3号楼群")
    await expect(group_item.locator(".badge")).to_have_count(1)  # the group's own history
    await group_item.click()
    await expect(page.locator("#chat-title")).to_have_text("临月里3号楼群")
    await expect(group_item.locator(".badge")).to_have_count(0)
    for n in range(1, 7):
        await leader.send(f"第{n}条通知", chat=group)
        await expect(page.locator(".bubble", has_text=f"第{n}条通知")).to_be_visible()
    await in_view(page)
    await expect(page.locator("#new-messages")).to_be_hidden()

    # Scrolled up: a new message leaves the view where it is and shows the marker.
    assert await page.evaluate(SCROLL_TO, 0) == 0
    await leader.send("楼下停水通知", chat=group)
    await expect(page.locator(".bubble", has_text="楼下停水通知")).to_be_attached()
    await expect(page.locator("#new-messages")).to_be_visible()
    assert await page.evaluate("document.getElementById('messages').scrollTop") == 0
    await page.click("#new-messages")
    await in_view(page)
    await expect(page.locator("#new-messages")).to_be_hidden()

    # Scrolling to the bottom clears the marker too.
    assert await page.evaluate(SCROLL_TO, 0) == 0
    await leader.send("明天恢复供水", chat=group)
    await expect(page.locator("#new-messages")).to_be_visible()
    assert await page.evaluate(SCROLL_TO, 10**6) > 0
    await expect(page.locator("#new-messages")).to_be_hidden()

    # Back in the private chat, one more group message is one unread.
    await page.locator("#chats li").first.click()
    await expect(page.locator("#chat-title")).to_have_text("网格通")
    await leader.send("请大家注意", chat=group)
    await expect(group_item.locator(".badge")).to_have_text("1")


async def test_the_guide_names_the_personas_and_stays_dismissed_and_a_phone_can_pick(
    demo_world: World, browser: Browser
) -> None:
    from playwright.async_api import expect

    world = demo_world
    page = await open_page(browser, world, 375, 700)  # a phone
    guide = page.locator("#guide")
    await expect(guide).to_be_visible()
    for name in ("李桂兰", "张伟", "宋涛"):
        await expect(guide).to_contain_text(name)
    await guide.locator("li", has_text="宋涛").get_by_role("button", name="扮演 Play").click()
    await expect(page.locator("#persona-quick")).to_have_value(str(SUPERVISOR))

    # The persona picker is on screen at 375 px, without opening the chat list.
    quick = page.locator("#persona-quick")
    await expect(quick).to_be_in_viewport(ratio=1)
    await quick.select_option(str(RESIDENT))
    await expect(page.locator("#persona-label")).to_contain_text("居民")
    # The chat list is folded away on a phone: the menu button counts the group's messages.
    await expect(page.locator("#menu")).to_have_attribute("data-unread", re.compile(r"^[1-9]"))

    await page.click("#guide-close")
    await expect(guide).to_be_hidden()
    await page.reload()
    await expect(page.locator("#persona-quick")).to_have_value(str(RESIDENT))
    await expect(guide).to_be_hidden()  # remembered

    favicon = await page.request.get(f"{world.server.url}/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"] == "image/svg+xml"
