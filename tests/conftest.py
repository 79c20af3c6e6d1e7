"""Shared fixtures: the loopback Discord, a default guild, and the discord.py error guard."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.client import Lightstick
from bot.store import Store
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.guard import DiscordLogGuard
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


@pytest.fixture(autouse=True)
def discord_log_guard() -> Iterator[DiscordLogGuard]:
    """Fail the test if discord.py (logger "discord" and children) logs ERROR or worse."""
    guard = DiscordLogGuard()
    logger = logging.getLogger("discord")
    logger.addHandler(guard.handler)
    try:
        yield guard
    finally:
        logger.removeHandler(guard.handler)
    problems = guard.problems()
    if problems:
        pytest.fail("discord_log_guard:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
async def loopback() -> AsyncIterator[LoopbackDiscord]:
    """Start a loopback Discord on 127.0.0.1; at teardown fail on unexpected violations.

    Unhandled exceptions reported to the event loop (dead tasks) also fail the test.
    """
    server = await LoopbackDiscord().start()
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    guard_errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, ctx: guard_errors.append(ctx))
    try:
        yield server
    finally:
        await server.close()
        loop.set_exception_handler(previous)
        violations = server.unexpected_violations()
        errors = [f"{c.get('message')}: {c.get('exception')!r}" for c in guard_errors]
        if violations or errors:
            lines = [v.describe() for v in violations] + [
                f"unhandled in event loop: {e}" for e in errors
            ]
            pytest.fail("loopback Discord:\n  " + "\n  ".join(lines), pytrace=False)


@pytest.fixture
def guild(loopback: LoopbackDiscord) -> GuildFixture:
    """Add the default populated guild to the loopback."""
    return loopback.add_guild("Lightstick Test Guild")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated Store on a fresh SQLite file in tmp_path (no mocks: the real schema)."""
    s = await Store.open(tmp_path / "db.sqlite")
    try:
        await s.migrate()
        yield s
    finally:
        await s.close()


@pytest.fixture
async def lightstick(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> AsyncIterator[Lightstick]:
    """A running Lightstick (fresh database) connected to the loopback with the default guild."""
    async with start_lightstick(loopback, tmp_path / "lightstick.db") as bot:
        yield bot
