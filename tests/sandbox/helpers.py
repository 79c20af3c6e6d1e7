"""What a person does in the sandbox page, as Playwright steps (shared by the browser tests)."""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect


async def act_as(page: Page, name: str) -> None:
    """Switch the acting person by the name shown in the switcher."""
    option = page.locator("#person option", has_text=name)
    await page.select_option("#person", await option.get_attribute("value"))
    await expect(page.locator("#person-info")).not_to_be_empty()


async def open_channel(page: Page, name: str) -> None:
    """Click a channel in the sidebar."""
    await page.locator("#channels li", has_text=f"# {name}").click()
    await expect(page.locator("#channel-name")).to_have_text(name)


async def run_command(page: Page, line: str, **fields: str) -> None:
    """Type a slash command line (`/artist name:...`), fill other option fields, press Enter."""
    box = page.locator("#message-input")
    await box.fill(line)
    await expect(page.locator("#command-form")).to_be_visible()
    for name, value in fields.items():
        field = page.locator(f"#opt-{name}")
        if await field.evaluate("el => el.tagName") == "SELECT":
            await field.select_option(label=value)
        else:
            await field.fill(value)
    await box.press("Enter")
    await expect(page.locator("#command-form")).to_be_hidden()


async def pick_autocomplete(page: Page, option: str, typed: str, choice: str) -> None:
    """Type into an autocomplete option and click the bot's suggestion containing `choice`."""
    await page.locator(f"#opt-{option}").fill(typed)
    suggestion = page.locator(f"#opt-{option}-choices li", has_text=choice).first
    await suggestion.click()


def last_message(page: Page) -> Locator:
    """Return the newest message in the open channel."""
    return page.locator("#messages .message").last
