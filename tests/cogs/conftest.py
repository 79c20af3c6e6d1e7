"""Fixtures for end-to-end tests of the cogs: a running Lightstick on the loopback Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.client import Lightstick
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


@pytest.fixture
async def lightstick(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> AsyncIterator[Lightstick]:
    """A running Lightstick (fresh database) connected to the loopback with the default guild."""
    async with start_lightstick(loopback, tmp_path / "lightstick.db") as bot:
        yield bot
