"""Run the real Lightstick (unmodified) against the loopback Discord, in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

import httpx
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.core.client import Lightstick
from bot.settings import Settings
from bot.store import Store
from bot.testing.fake_x import FakeX
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord
from cogs.spaces import Spaces


def loopback_settings(loopback: LoopbackDiscord, db: Path | str, **overrides: Any) -> Settings:
    """Return settings that point the bot at the loopback only (MusicBrainz and X off).

    `db` is an SQLite file or a database URL (`postgresql://...`).
    """
    location = {"database_path": db} if isinstance(db, Path) else {"database_url": SecretStr(db)}
    values: dict[str, Any] = {
        "discord_token": SecretStr(loopback.token),
        "discord_api_base": loopback.api_base,
        "discord_gateway_url": loopback.gateway_url,
        **location,
        "musicbrainz_api_base": "",
        "x_bearer_token": None,
        "spaces_poll_seconds": 3600,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def start_lightstick(
    loopback: LoopbackDiscord,
    db_path: Path | str,
    *,
    configure: Callable[[Lightstick], None] | None = None,
    ready_timeout: float = 20.0,
    schema: str | None = None,
    **settings: Any,
) -> AsyncIterator[Lightstick]:
    """Start Lightstick on `db_path` until ready; closing it on exit is a clean restart point.

    `db_path` is an SQLite file or a database URL; `schema` (PostgreSQL) keeps the tables in
    that schema, so a test can use a fresh one.
    """
    store = await Store.open(db_path, schema=schema)
    try:
        await store.migrate()
        bot = Lightstick(
            settings=loopback_settings(loopback, db_path, **settings),
            store=store,
            guild_ready_timeout=0.05,
        )
        if configure is not None:
            configure(bot)
        async with run_client_in_loop(loopback, bot, ready_timeout=ready_timeout):
            assert bot.failed_extensions == {}, bot.failed_extensions
            # READY's reconciliation posts setup guides; let them land before the test acts.
            await asyncio.wait_for(bot.reconciled.wait(), ready_timeout)
            yield bot
    finally:
        await store.close()


@contextlib.asynccontextmanager
async def running_bot(
    loopback: LoopbackDiscord, db: Path | str, fake: FakeX | None, *, schema: str | None = None
) -> AsyncIterator[tuple[Lightstick, Spaces]]:
    """Start a fresh Lightstick process-equivalent on `db` (a file or a URL; `schema` as in
    start_lightstick); close it (a restart) on exit."""
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
        async with start_lightstick(
            loopback, db, configure=use_fake_x, schema=schema, **settings
        ) as bot:
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
