"""Fixtures for end-to-end tests of the cogs: a running Lightstick on the loopback Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import Lightstick
from tests.lightstick_harness import start_lightstick
from tests.loopback.server import LoopbackDiscord
from tests.loopback.world import GuildFixture


@pytest.fixture
async def lightstick(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> AsyncIterator[Lightstick]:
    """A running Lightstick (fresh database) connected to the loopback with the default guild."""
    async with start_lightstick(loopback, tmp_path / "lightstick.db") as bot:
        yield bot
