"""Fixtures for the sandbox: a running sandbox in the test's loop, and Debian's Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from bot.sandbox.run import serve_sandbox
from bot.sandbox.session import Sandbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # small /dev/shm in containers crashes renderers
]


@pytest.fixture
async def sandbox() -> AsyncIterator[tuple[Sandbox, str]]:
    """A running sandbox on a free 127.0.0.1 port, with its page URL; at teardown, fail on any
    protocol violation the loopback Discord recorded (as the `loopback` fixture does)."""
    async with serve_sandbox(0) as running:
        yield running
    running[0].loopback.assert_no_unexpected_violations()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium driven by Playwright (nothing downloaded); fails when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium (.ci/run does it)")
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def page(browser: Browser, sandbox: tuple[Sandbox, str]) -> AsyncIterator[Page]:
    """The sandbox page, loaded and ready, in a 1400x900 window with a Seoul clock.

    Any uncaught JavaScript error on the page fails the test.
    """
    context = await browser.new_context(
        viewport={"width": 1400, "height": 900}, timezone_id="Asia/Seoul", locale="en-US"
    )
    tab = await context.new_page()
    script_errors: list[str] = []
    tab.on("pageerror", lambda error: script_errors.append(str(error)))
    await tab.goto(sandbox[1])
    await tab.wait_for_selector("body[data-ready=true]", timeout=10_000)
    try:
        yield tab
    finally:
        await context.close()
    assert script_errors == [], "the page's JavaScript failed"
