"""Helpers for the Spaces E2E tests: run Lightstick in-loop against the loopback and fake X."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import httpx
from pydantic import SecretStr

from bot.client import Lightstick
from bot.clients.x import XClient
from bot.settings import Settings
from bot.store import Store
from cogs.spaces import Spaces
from tests.fakes.x_api import FakeX
from tests.loopback.harness import run_client_in_loop
from tests.loopback.server import LoopbackDiscord


def make_settings(loopback: LoopbackDiscord, db: Path, fake: FakeX | None) -> Settings:
    """Build settings pointing at the loopback and (optionally) the fake X API."""
    values: dict[str, Any] = {
        "discord_token": SecretStr(loopback.token),
        "discord_api_base": loopback.api_base,
        "discord_gateway_url": loopback.gateway_url,
        "database_path": db,
        "spaces_poll_seconds": 3600,
        "x_api_base": fake.base_url if fake else "http://127.0.0.1:9",
        "x_bearer_token": SecretStr(fake.token) if fake else None,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_bot(
    loopback: LoopbackDiscord, db: Path, fake: FakeX | None
) -> AsyncIterator[tuple[Lightstick, Spaces]]:
    """Start a fresh Lightstick process-equivalent on `db`; close it (a restart) on exit."""
    store = await Store.open(db)
    await store.migrate()
    bot = Lightstick(settings=make_settings(loopback, db, fake), store=store)
    http = httpx.AsyncClient()
    if fake is not None:
        # Unpaced so a poll in a test takes milliseconds, not a second per batch.
        bot.x_client = XClient(
            http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0
        )
    try:
        async with run_client_in_loop(loopback, bot, ready_timeout=20.0):
            cog = bot.get_cog("Spaces")
            # discord.py re-imports extensions on every load, so compare by name, not identity.
            assert type(cog).__name__ == "Spaces", bot.failed_extensions
            yield bot, cast(Spaces, cog)
    finally:
        await http.aclose()
        await store.close()


async def cycle(cog: Spaces) -> None:
    """Run one poll and deliver everything it queued."""
    assert cog.poller is not None
    await cog.poller.poll_once()
    await cog.announcer.drain()
