"""Run the real Lightstick (unmodified) against the loopback Discord, in the test's event loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.core.client import Lightstick
from bot.settings import Settings
from bot.store import Store
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord


def loopback_settings(loopback: LoopbackDiscord, db_path: Path, **overrides: Any) -> Settings:
    """Return settings that point the bot at the loopback only (MusicBrainz and X off)."""
    values: dict[str, Any] = {
        "discord_token": SecretStr(loopback.token),
        "discord_api_base": loopback.api_base,
        "discord_gateway_url": loopback.gateway_url,
        "database_path": db_path,
        "musicbrainz_api_base": "",
        "x_bearer_token": None,
        "spaces_poll_seconds": 3600,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def start_lightstick(
    loopback: LoopbackDiscord,
    db_path: Path,
    *,
    configure: Callable[[Lightstick], None] | None = None,
    ready_timeout: float = 20.0,
    **settings: Any,
) -> AsyncIterator[Lightstick]:
    """Start Lightstick on `db_path` until ready; closing it on exit is a clean restart point."""
    store = await Store.open(db_path)
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
            yield bot
    finally:
        await store.close()
