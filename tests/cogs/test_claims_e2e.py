"""Exactly once across processes (issue 16 part 4): two Lightstick instances on one PostgreSQL
schema, each claiming deliveries in the database. Discord's nonce memory is made useless (the
loopback clock runs past it), so only the claims and the channel-history check stand between a
delivery and a second post."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.core.client import Lightstick
from bot.store.pg_admin import scratch_schema
from bot.store.spaces import Delivery, Follow, SpacesRepo
from bot.store.spaces_tracking import SpaceTrackingRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.rest import NONCE_WINDOW
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.spaces import Spaces

PER_SHARD = 8


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


@contextlib.asynccontextmanager
async def instance(
    loopback: LoopbackDiscord, url: str, schema: str, fake: FakeX, shard_id: int | None
) -> AsyncIterator[Lightstick]:
    """Run one Lightstick on the schema, owning shard `shard_id` of 2 (None: every shard)."""
    http = httpx.AsyncClient()

    def configure(bot: Lightstick) -> None:
        bot.x_client = XClient(
            http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0
        )

    settings: dict[str, Any] = {
        "x_api_base": fake.base_url,
        "x_bearer_token": SecretStr(fake.token),
    }
    if shard_id is not None:
        settings.update(shard_count=2, shard_ids=(shard_id,))
    try:
        async with start_lightstick(
            loopback, url, configure=configure, schema=schema, **settings
        ) as bot:
            yield bot
    finally:
        await http.aclose()


def spaces(bot: Lightstick) -> Spaces:
    return cast(Spaces, bot.get_cog("Spaces"))


async def follow_everywhere(bot: Lightstick, guilds: list[GuildFixture], uid: str) -> None:
    """Every server announces BTS's Spaces in #announcements, pinging its fan role."""
    for g in guilds:
        await bot.store.ensure_guild(g.id)
        repo = bot.store.guild(g.id).repo(SpacesRepo)
        await repo.set_config(g.announcements.id, g.stans.id)
        await repo.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", uid)])


def posts(loopback: LoopbackDiscord, guilds: list[GuildFixture]) -> list[int]:
    return [len(loopback.messages_in(g.announcements)) for g in guilds]


async def wait_for(predicate: Callable[[], bool], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def nonces_forgotten(loopback: LoopbackDiscord) -> AsyncIterator[None]:
    """Keep moving the loopback clock past Discord's nonce memory while the block runs."""

    async def advance() -> None:
        while True:
            loopback.advance(NONCE_WINDOW + 1)
            await asyncio.sleep(0.01)

    task = asyncio.create_task(advance())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait([task])


async def sending(bot: Lightstick, guilds: list[GuildFixture]) -> list[Delivery]:
    """Return the deliveries to `guilds` being sent (claimed, not finished)."""
    ids = {g.id for g in guilds}
    rows = await bot.store.shared(SpaceTrackingRepo).deliveries_of_space("1KillSpace")
    return [d for d in rows if d.status == "sending" and d.guild_id in ids]


async def statuses(bot: Lightstick, space_id: str) -> list[str]:
    rows = await bot.store.shared(SpaceTrackingRepo).deliveries_of_space(space_id)
    return sorted(d.status for d in rows)


async def test_two_processes_draining_one_event_post_once_per_server(
    loopback: LoopbackDiscord, fake: FakeX, pg_url: str
) -> None:
    """Two processes that both serve every server (a deploy overlapping the old process) fan
    out the same live Space at once: each server gets exactly one post, pinging its role."""
    guilds = [loopback.add_guild(f"Fans {i}") for i in range(2 * PER_SHARD)]
    uid = fake.add_user("BTS_twt")
    # Discord's global limit, lowered so both fan-outs are in flight together.
    loopback.rate_limits.global_rps = 8
    async with (
        scratch_schema(pg_url, "test") as schema,
        instance(loopback, pg_url, schema, fake, None) as a,
        instance(loopback, pg_url, schema, fake, None) as b,
    ):
        assert a.process_id != b.process_id
        await follow_everywhere(a, guilds, uid)
        fake.set_space("BTS_twt", "1BothSpace", "live", title="Live for everyone")
        poller = spaces(a).poller
        assert poller is not None
        async with nonces_forgotten(loopback):
            await poller.poll_once()
            await asyncio.gather(spaces(a).announcer.drain(), spaces(b).announcer.drain())
            await wait_for(lambda: all(n >= 1 for n in posts(loopback, guilds)), 30)
            await asyncio.sleep(1.0)  # a second post would arrive now
        assert await statuses(a, "1BothSpace") == ["sent"] * len(guilds)
    assert posts(loopback, guilds) == [1] * len(guilds)
    for g in guilds:
        [msg] = loopback.messages_in(g.announcements)
        assert loopback.pings(msg).roles == frozenset({g.stans.id})


async def test_a_shard_process_stopped_mid_fanout_and_restarted_leaves_no_gap_or_duplicate(
    loopback: LoopbackDiscord, fake: FakeX, pg_url: str
) -> None:
    """Processes own shard 0 and shard 1 of 2. Shard 0's is stopped abruptly right after its
    first post (its claims left 'sending' under an unexpired lease) and restarted long after
    Discord forgot the nonces: it takes its shard's claims over at once, finds the posts that
    went out, sends the rest; every server has exactly one post."""
    zero_guilds = [loopback.add_guild(f"Zero {i}", shard=(0, 2)) for i in range(PER_SHARD)]
    one_guilds = [loopback.add_guild(f"One {i}", shard=(1, 2)) for i in range(PER_SHARD)]
    guilds = zero_guilds + one_guilds
    uid = fake.add_user("BTS_twt")
    loopback.rate_limits.global_rps = 4
    async with (
        scratch_schema(pg_url, "test") as schema,
        instance(loopback, pg_url, schema, fake, 1) as one,
    ):
        async with instance(loopback, pg_url, schema, fake, 0) as zero:
            dead = zero.process_id
            await follow_everywhere(zero, guilds, uid)
            fake.set_space("BTS_twt", "1KillSpace", "live", title="Live, then a crash")
            poller = spaces(zero).poller
            assert poller is not None
            await poller.poll_once()  # wakes zero's own fan-out loop
            await wait_for(lambda: sum(posts(loopback, zero_guilds)) >= 1, 30)
            # ... and its other claims are taken (a new pool connection can lag the first post).
            async with asyncio.timeout(10):
                while not await sending(one, zero_guilds):
                    await asyncio.sleep(0.005)
            # Leaving the block stops zero: its tasks are cancelled wherever they are.
        assert await sending(one, zero_guilds), "the stop must land while posts are in flight"
        holders = await one.store.db.fetchall(
            "SELECT DISTINCT claimed_by FROM space_deliveries WHERE status = 'sending'"
        )
        assert {r[0] for r in holders} <= {dead, one.process_id}
        assert sum(posts(loopback, zero_guilds)) < PER_SHARD
        # Shard 1's process delivers its own servers meanwhile, and none of shard 0's.
        await spaces(one).announcer.drain()
        assert posts(loopback, one_guilds) == [1] * PER_SHARD

        loopback.advance(3600)  # the restart comes after Discord forgot every nonce
        async with (
            nonces_forgotten(loopback),
            instance(loopback, pg_url, schema, fake, 0) as again,
        ):
            assert again.process_id != dead
            await wait_for(lambda: all(n >= 1 for n in posts(loopback, guilds)), 30)
            await asyncio.sleep(1.0)  # a duplicate would arrive now
            assert await statuses(again, "1KillSpace") == ["sent"] * len(guilds)
    assert posts(loopback, guilds) == [1] * len(guilds)
