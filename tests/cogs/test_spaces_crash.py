"""Crash drill: `python -m bot` killed with SIGKILL mid fan-out, restarted, posts exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.services.spaces import SpacesPoller
from bot.store import Store
from bot.store.spaces import Follow, SpacesRepo, SpaceTrackingRepo
from bot.testing.fake_x import FakeX
from bot.testing.loopback.harness import run_bot_process
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

SERVERS = 50


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


async def seed(db: Path, guilds: list[GuildFixture], fake: FakeX) -> None:
    """Set up 50 following servers and let the real poller put the live Space in the outbox."""
    uid = fake.add_user("BTS_twt")
    fake.set_space("BTS_twt", "1CrashSpace", "live", title="Crash drill live")
    store = await Store.open(db)
    try:
        await store.migrate()
        for g in guilds:
            await store.ensure_guild(g.id)
            repo = store.guild(g.id).repo(SpacesRepo)
            await repo.set_config(g.announcements.id, g.stans.id)
            await repo.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", uid)])
        async with httpx.AsyncClient() as http:
            client = XClient(http, fake.base_url, SecretStr(fake.token), min_interval=0.0)
            report = await SpacesPoller(
                SpaceTrackingRepo(store.db), client, interval=60
            ).poll_once()
        assert report.events == 1
    finally:
        await store.close()


def posted(loopback: LoopbackDiscord, guilds: list[GuildFixture]) -> list[int]:
    return [len(loopback.messages_in(g.announcements)) for g in guilds]


async def wait_for(predicate: object, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():  # type: ignore[operator]
            await asyncio.sleep(0.02)


async def test_sigkill_mid_fanout_then_restart_leaves_exactly_one_post_each(
    loopback: LoopbackDiscord, fake: FakeX, tmp_path: Path
) -> None:
    """Kill the bot while it is fanning out to 50 servers; after a restart every server has
    exactly one live post pinging only its fan role."""
    guilds = [loopback.add_guild(f"Fans {i}") for i in range(SERVERS)]
    db = tmp_path / "bot.db"
    await seed(db, guilds, fake)
    # Discord's global limit, lowered so the fan-out takes seconds and can be interrupted.
    loopback.rate_limits.global_rps = 5
    env = {"DATABASE_PATH": str(db), "X_BEARER_TOKEN": "", "LOG_LEVEL": "INFO"}
    async with run_bot_process(loopback, env) as first:
        await wait_for(lambda: sum(posted(loopback, guilds)) >= 8, 30)
        first.kill()
        await first.wait()
    at_kill = sum(posted(loopback, guilds))
    assert 0 < at_kill < SERVERS, "the kill must land in the middle of the fan-out"
    async with run_bot_process(loopback, env) as second:
        await wait_for(lambda: all(n >= 1 for n in posted(loopback, guilds)), 60)
        await asyncio.sleep(1.0)  # anything duplicated would arrive now
        second.terminate()
        await second.wait()
    assert posted(loopback, guilds) == [1] * SERVERS
    for g in guilds:
        msg = loopback.messages_in(g.announcements)[0]
        pings = loopback.pings(msg)
        assert pings.roles == frozenset({g.stans.id})
        assert not pings.users
        assert not pings.everyone
    store = await Store.open(db)
    try:
        rows = await SpaceTrackingRepo(store.db).deliveries_of_space("1CrashSpace")
        assert sorted({d.status for d in rows}) == ["sent"]
        assert len(rows) == SERVERS
    finally:
        await store.close()
