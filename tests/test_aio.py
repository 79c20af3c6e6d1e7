"""The small asyncio helpers: lease renewal while work runs."""

from __future__ import annotations

import asyncio

import pytest

from bot.aio import renewing


async def test_renewing_calls_while_the_block_runs_and_stops_with_it() -> None:
    """renew() runs every `every` seconds during the block, and never after it."""
    calls: list[float] = []

    async def renew() -> None:
        calls.append(asyncio.get_running_loop().time())

    async with renewing(renew, 0.02):
        await asyncio.sleep(0.15)
    seen = len(calls)
    assert seen >= 2
    await asyncio.sleep(0.06)
    assert len(calls) == seen


async def test_a_failed_renewal_is_logged_and_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    """A renewal that raises does not interrupt the block; the next tick renews again."""
    calls = 0

    async def renew() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("database went away")

    async with renewing(renew, 0.02):
        await asyncio.sleep(0.09)
    assert calls >= 2
    assert "renewing a lease failed" in caplog.text
