"""The sandbox in a real browser (Debian's Chromium): the page drives the real Lightstick."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from bot.sandbox.session import Sandbox
from tests.sandbox.helpers import act_as, last_message, open_channel, pick_autocomplete, run_command

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "sandbox.png"
SCREENSHOT_MAX_BYTES = 300 * 1024


async def test_artist_card_from_a_typed_command(page: Page) -> None:
    """`/artist name:블랙핑크` typed in the message box shows BLACKPINK's card with its fields."""
    await act_as(page, "Jiwoo")
    await run_command(page, "/artist name:블랙핑크")
    card = last_message(page)
    await expect(card.locator(".used")).to_have_text("Jiwoo used /artist")
    await expect(card.locator(".embed .e-title")).to_contain_text("BLACKPINK")
    await expect(card.locator(".embed .e-field .name", has_text="Debut")).to_be_visible()
    await expect(card.locator(".embed .e-footer")).to_contain_text("each fact's source")
    await expect(card.locator(".embed .e-footer")).not_to_contain_text("blackpink")
    colour = await card.locator(".embed").evaluate("el => getComputedStyle(el).borderLeftColor")
    assert colour != "rgb(30, 31, 34)", "the embed's colour bar is drawn in its own colour"


async def test_autocomplete_offers_the_bots_own_choices(page: Page) -> None:
    """Typing into /artist's name option shows what the bot's autocomplete answered."""
    await page.locator("#message-input").fill("/artist")
    await pick_autocomplete(page, "name", "blackp", "BLACKPINK")
    await expect(page.locator("#opt-name")).to_have_value(re.compile("BLACKPINK"))
    await page.locator("#message-input").press("Enter")
    await expect(last_message(page).locator(".embed .e-title")).to_contain_text("BLACKPINK")


async def test_an_ambiguous_name_offers_a_select_menu_that_works(page: Page) -> None:
    """`/artist name:Mark` answers with an ephemeral select menu; picking NCT's Mark posts it."""
    await act_as(page, "Bia")
    await run_command(page, "/artist name:Mark")
    choice = last_message(page)
    await expect(choice.locator(".only-you")).to_be_visible()
    await choice.locator("select.menu").select_option("nct--mark")
    card = page.locator("#messages .message:not(.ephemeral)").last
    await expect(card.locator(".embed .e-desc")).to_contain_text("Member of NCT")


async def test_fans_do_not_see_moderator_only_answers(page: Page) -> None:
    """A fan running /spaces setup gets an ephemeral refusal marked 'Only you can see this'."""
    await act_as(page, "Bia")
    await run_command(page, "/spaces setup", channel="#announcements")
    answer = last_message(page)
    await expect(answer.locator(".only-you")).to_have_text("Only you can see this")
    await expect(answer.locator(".content")).to_contain_text("Manage Server")
    await act_as(page, "Jiwoo")
    await expect(page.locator("#messages .only-you")).to_have_count(0)


async def test_space_goes_live_and_the_announcement_pings_the_fan_role(
    page: Page, sandbox: tuple[Sandbox, str], tmp_path: Path
) -> None:
    """A moderator sets up Spaces and follows BLACKPINK; 'Go live' in the panel posts the
    announcement in #announcements (marked unread) pinging the fan role, highlighted for a fan;
    the README's
    screenshot (the card Mina shared there, then the live announcement) is taken here."""
    box, _ = sandbox
    await act_as(page, "Mina")
    await open_channel(page, "announcements")
    await run_command(page, "/artist name:블랙핑크")
    await run_command(page, "/spaces setup", channel="#announcements", ping_role="@Lightstick Fans")
    await expect(last_message(page).locator(".content")).to_contain_text("announcements")
    await page.locator("#message-input").fill("/spaces follow")
    await pick_autocomplete(page, "artist", "BLACKPINK", "BLACKPINK")
    await page.locator("#message-input").press("Enter")
    await expect(last_message(page).locator(".content")).to_contain_text("Following")
    await open_channel(page, "general")
    account = page.locator(".x-account", has_text="@BLACKPINK")
    await account.locator(".title").fill("BLINKs, we are live!")
    await account.locator(".listeners").fill("4200")
    await account.get_by_role("button", name="Go live").click()
    await expect(account.locator(".state")).to_contain_text("LIVE · 4200 listening")
    unread = page.locator("#channels li", has_text="announcements").locator(".unread")
    await expect(unread).to_be_visible()
    await act_as(page, "Jiwoo")
    await open_channel(page, "announcements")
    await expect(unread).to_have_count(0)
    post = last_message(page)
    await expect(post.locator(".pings")).to_have_text("🔔 Pinged @Lightstick Fans")
    await expect(post).to_have_class(re.compile("pinged-you"))
    await expect(post.locator(".mention.pinged")).to_have_text("@Lightstick Fans")
    await expect(post.locator("a.btn.link")).to_have_attribute("href", re.compile("x.com/i/spaces"))
    pinged = box.loopback.pings(box.loopback.messages_in(box.demo.guild.announcements)[-1])
    assert pinged.roles == frozenset({box.demo.fan_role.id})
    await _take_readme_screenshot(page, tmp_path)
    await account.get_by_role("button", name="End").click()
    await expect(post.locator(".content")).to_contain_text("ended")


async def _take_readme_screenshot(page: Page, tmp_path: Path) -> None:
    """Screenshot the card and the live announcement; UPDATE_SCREENSHOT=1 refreshes the README's."""
    await page.set_viewport_size({"width": 1400, "height": 1060})
    await page.locator("#messages").evaluate("el => { el.scrollTop = 0; }")
    shot = tmp_path / "sandbox.png"
    await page.screenshot(path=str(shot), type="png")
    assert 0 < shot.stat().st_size < SCREENSHOT_MAX_BYTES
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


async def test_a_fan_schedules_a_party_and_another_clicks_going(
    page: Page, sandbox: tuple[Sandbox, str]
) -> None:
    """Jiwoo schedules a party (ephemeral preview, Confirm, a jump link to the post); Bia clicks
    Going; the button counts her; the .ics export is a downloadable attachment."""
    await act_as(page, "Jiwoo")
    await open_channel(page, "events")
    await run_command(
        page, "/party schedule title:Comeback watch party when:tomorrow 8pm duration:2h"
    )
    preview = last_message(page)
    await expect(preview.locator(".only-you")).to_be_visible()
    await preview.get_by_role("button", name=re.compile("Confirm")).click()
    post = page.locator("#messages .message:not(.ephemeral)").last
    await expect(post.locator(".embed .e-title")).to_contain_text("Comeback watch party")
    await page.locator("#messages .message.ephemeral").last.locator("a.jump").click()
    await expect(post).to_have_class(re.compile("flash"))
    # Jiwoo typed "8pm" in her zone (Asia/Seoul); this browser's clock is Seoul's too.
    await expect(post.locator(".timestamp").first).to_contain_text("8:00 PM")
    await act_as(page, "Bia")
    await post.get_by_role("button", name=re.compile("Going")).click()
    await expect(post.get_by_role("button", name=re.compile("Going"))).to_contain_text("(1)")
    await run_command(page, "/party export")
    link = last_message(page).locator(".attachment a")
    await expect(link).to_have_text(re.compile(r"\.ics$"))
    async with page.expect_download() as info:
        await link.click()
    download = await info.value
    body = Path(await download.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in body
    assert "Comeback watch party" in body


async def test_timestamps_follow_the_viewers_clock(
    browser: Browser, sandbox: tuple[Sandbox, str]
) -> None:
    """The same `<t:..:F>` reads 8:00 PM in a Seoul browser and 8:00 AM in a São Paulo one."""
    box, url = sandbox
    jiwoo = box.demo.people[1].member.id
    events = box.demo.channels[2].id
    await box.slash(jiwoo, events, "party schedule", {"title": "Clock", "when": "tomorrow 8pm"})
    [asked] = [a for a in box.asked.values() if a.label == "/party schedule"]
    await asked.ix.settled()
    shown: dict[str, str] = {}
    for zone in ("Asia/Seoul", "America/Sao_Paulo"):
        context = await browser.new_context(timezone_id=zone, locale="en-US")
        tab = await context.new_page()
        await tab.goto(url)
        await tab.wait_for_selector("body[data-ready=true]")
        await act_as(tab, "Jiwoo")
        await open_channel(tab, "events")
        stamp = tab.locator("#messages .message .content .timestamp").first
        await expect(stamp).to_be_visible()
        shown[zone] = await stamp.inner_text()
        await context.close()
    assert "8:00 PM" in shown["Asia/Seoul"]
    assert "8:00 AM" in shown["America/Sao_Paulo"]


async def test_a_trivia_game_with_two_fans_answering(
    page: Page, sandbox: tuple[Sandbox, str]
) -> None:
    """Bia starts a one-question game; Bia and Jiwoo each click an answer; the final scoreboard
    and the reveal names both of them, then the final scoreboard is posted."""
    box, _ = sandbox
    trivia = box.bot.get_cog("Trivia")
    assert trivia is not None
    trivia.seconds_override = 4.0  # type: ignore[attr-defined]  # the cog's own test seam
    await act_as(page, "Bia")
    await run_command(page, "/trivia start questions:1")
    question = page.locator("#messages .message", has=page.locator(".row .btn")).last
    await expect(question.locator(".btn").first).to_be_visible()
    await question.locator(".btn").nth(0).click()
    await expect(page.locator("#messages .only-you").last).to_be_visible()
    await act_as(page, "Jiwoo")
    await question.locator(".btn").nth(1).click()
    await expect(page.locator("#messages .only-you").last).to_be_visible()
    reveal = page.locator("#messages .message", has_text="Answer 1/1").last
    await expect(reveal.locator(".e-field", has_text="This round")).to_contain_text(
        "@Bia", timeout=20_000
    )
    await expect(reveal.locator(".e-field", has_text="This round")).to_contain_text("@Jiwoo")
    final = page.locator("#messages .message", has_text="final scoreboard")
    await expect(final).to_be_visible(timeout=10_000)
