"""Helpers for the Spaces E2E tests: run Lightstick in-loop against the loopback and fake X."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import httpx
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.core.client import Lightstick
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from cogs.spaces import Spaces


@contextlib.asynccontextmanager
async def running_bot(
    loopback: LoopbackDiscord, db: Path, fake: FakeX | None
) -> AsyncIterator[tuple[Lightstick, Spaces]]:
    """Start a fresh Lightstick process-equivalent on `db`; close it (a restart) on exit."""
    http = httpx.AsyncClient()

    def use_fake_x(bot: Lightstick) -> None:
        if fake is not None:
            # Unpaced so a poll in a test takes milliseconds, not a second per batch.
            bot.x_client = XClient(
                http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0
            )

    settings: dict[str, Any] = {
        "x_api_base": fake.base_url if fake else "http://127.0.0.1:9",
        "x_bearer_token": SecretStr(fake.token) if fake else None,
    }
    try:
        async with start_lightstick(loopback, db, configure=use_fake_x, **settings) as bot:
            cog = bot.get_cog("Spaces")
            # discord.py re-imports extensions on every load, so compare by name, not identity.
            assert type(cog).__name__ == "Spaces", bot.failed_extensions
            yield bot, cast(Spaces, cog)
    finally:
        await http.aclose()


async def cycle(cog: Spaces) -> None:
    """Run one poll and deliver everything it queued."""
    assert cog.poller is not None
    await cog.poller.poll_once()
    await cog.announcer.drain()
