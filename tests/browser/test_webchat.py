"""The web chat in headless Chromium, against the stand and the real bot, as the demo runs them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from e2e.harness import World

from .conftest import ARTIFACTS

if TYPE_CHECKING:
    from playwright.async_api import Browser


async def test_a_resident_chats_with_the_bot_in_the_browser(
    demo_world: World, browser: Browser
) -> None:
    from playwright.async_api import expect

    world = demo_world
    page = await browser.new_page(viewport={"width": 1100, "height": 760})
    await page.goto(f"{world.server.url}/")
    await page.select_option("#persona", "2001")
    await expect(page.locator("#persona-label")).to_contain_text("居民 · 临月里3号楼")

    await page.fill("#text", "/start")
    await page.press("#text", "Enter")
    welcome = page.locator(".row.bot .bubble", has_text="李桂兰，您好！")
    await expect(welcome).to_be_visible()
    await expect(welcome.locator("b", has_text="临月里第一网格")).to_be_visible()

    await page.click("#attach")
    await page.click("#attach-menu [data-action=sample]")
    await expect(page.locator(".row.mine img.photo")).to_be_visible()
    await expect(page.locator(".bubble", has_text="这里无法处理这条消息。")).to_be_visible()

    # In the building group, /report answers with a deep link into the private chat,
    # where the bot's category buttons are tapped like in Telegram.
    await page.click("#chats li:has-text('临月里3号楼群')")
    await expect(page.locator("#chat-title")).to_have_text("临月里3号楼群")
    await expect(page.locator(".service-text").first).to_contain_text("网格通")
    await page.fill("#text", "/report")
    await page.press("#text", "Enter")
    await page.get_by_role("button", name="私聊继续").click()
    await expect(page.locator("#chat-title")).to_have_text("网格通")
    await page.get_by_role("button", name="环境卫生").click()
    prompt = page.locator(".row.bot .bubble", has_text="请用一条消息描述问题")
    await expect(prompt).to_be_visible()
    await world.settle()
    taps = [c for c in world.state.callbacks.values() if c.user_id == 2001]
    assert taps and all(t.answered for t in taps)  # the bot answered the tap
    await expect(welcome).to_be_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat.png"))
