"""Two Lightstick processes on one PostgreSQL schema: one polls X, the other takes over when it
dies, and a new transition reaches every process's servers at once through LISTEN/NOTIFY.

The instances run in the test's event loop, owning shards 0 and 1 of 2. Their clock (leases use
it) is real time plus an offset the test moves forward, so "two poll intervals later" takes no
waiting; their X requests carry a header naming the instance, so the fake X tells who polled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.core.client import Lightstick
from bot.services.cluster import HOUSEKEEPING_LEASE, POLLER_LEASE
from bot.store.pg_admin import scratch_schema
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.spaces import Spaces
from tests.cogs.test_postgres_e2e import Relay
from tests.cogs.test_shards_e2e import follow

POLL_SECONDS = 15
INSTANCE_HEADER = "X-Test-Instance"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


class Clock:
    """Real time plus an offset the test moves forward."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@contextlib.asynccontextmanager
async def instance(
    loopback: LoopbackDiscord,
    url: str,
    schema: str,
    shard_id: int,
    *,
    name: str,
    fake: FakeX,
    clock: Callable[[], datetime],
) -> AsyncIterator[Lightstick]:
    """Run Lightstick owning shard `shard_id` of 2 on `schema`, with X requests marked `name`."""
    http = httpx.AsyncClient(headers={INSTANCE_HEADER: name})

    def configure(bot: Lightstick) -> None:
        bot.x_client = XClient(
            http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0
        )
        bot.clock = clock  # type: ignore[method-assign]

    settings: dict[str, Any] = {
        "shard_count": 2,
        "shard_ids": (shard_id,),
        "x_api_base": fake.base_url,
        "x_bearer_token": SecretStr(fake.token),
        "spaces_poll_seconds": POLL_SECONDS,
    }
    try:
        async with start_lightstick(
            loopback, url, configure=configure, schema=schema, **settings
        ) as bot:
            yield bot
    finally:
        await http.aclose()


def polls_by(fake: FakeX, name: str) -> int:
    """Return how many Spaces lookups the instance `name` sent to the fake X."""
    return sum(
        1
        for r in fake.requests
        if r.path.startswith("/2/spaces") and r.headers.get(INSTANCE_HEADER) == name
    )


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `check()` is true (polling every 20 ms); fail after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


async def run_round(bot: Lightstick, name: str) -> None:
    """Wake the instance's loop `name` and wait until a round of it has finished."""
    loop = bot.loops[name]
    before = loop.last_success
    loop.wake()
    await until(lambda: loop.last_success != before)


async def run_poller_round(bot: Lightstick) -> None:
    """Wake the instance's poller loop and wait until a round of it has finished."""
    await run_round(bot, "spaces-poller")


async def slow_fallback(bot: Lightstick) -> None:
    """Make the fan-out's fallback tick an hour long, so only a wake-up delivers promptly."""
    loop = bot.loops["spaces-fanout"]
    loop.interval = 3600
    before = loop.last_success
    loop.wake()
    await until(lambda: loop.last_success != before)


async def moderator_reads(loopback: LoopbackDiscord, guild: GuildFixture, command: str) -> str:
    """Run `command` as the server's moderator; return all the reply's text and embeds."""
    ix = await loopback.slash(guild, command, user=guild.moderator)
    await ix.settled(timeout=10)
    return ix.all_text()


def via(relay: Relay, url: str) -> str:
    """Return `url` reaching the database through `relay`."""
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme, f"{parts.username}@127.0.0.1:{relay.port}", parts.path, "", "")
    )


async def test_one_process_polls_another_takes_over_and_notify_delivers_everywhere(
    loopback: LoopbackDiscord, fake: FakeX, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A polls and B does not; A dies (its database connection cut, no release): B takes over
    once A's lease lapses, within two poll intervals; a restarted shard-0 process does not poll,
    and the next live Space is posted once in each server, promptly, by LISTEN/NOTIFY."""
    caplog.set_level(logging.INFO, logger="bot.services.cluster")
    g0 = loopback.add_guild("Zero", shard=(0, 2))
    g1 = loopback.add_guild("One", shard=(1, 2))
    fake.add_user("BTS_twt")
    clock = Clock()
    parts = urlsplit(pg_url)
    relay = await Relay(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    async with scratch_schema(pg_url, "test") as schema:
        stack = contextlib.AsyncExitStack()
        a_cm = instance(loopback, via(relay, pg_url), schema, 0, name="A", fake=fake, clock=clock)
        a = await stack.enter_async_context(a_cm)
        try:
            await until(lambda: a.cluster.holds(POLLER_LEASE))
            async with instance(loopback, pg_url, schema, 1, name="B", fake=fake, clock=clock) as b:
                await follow(loopback, g0, "@BTS_twt")
                await follow(loopback, g1, "@BTS_twt")
                for _ in range(3):
                    await run_poller_round(a)
                    await run_poller_round(b)
                assert polls_by(fake, "A") >= 3
                assert polls_by(fake, "B") == 0
                assert not b.cluster.holds(POLLER_LEASE)
                spaces_b = cast(Spaces, b.get_cog("Spaces"))
                assert await spaces_b.who_polls() == "other"
                for command in ("spaces status", "settings"):
                    text = await moderator_reads(loopback, g1, command)
                    assert "Polled by another Lightstick process, last poll <t:" in text, text
                # Two live processes: each fan-out paces to half of Discord's 50 a second.
                spaces_a = cast(Spaces, a.get_cog("Spaces"))
                for bot in (a, b):
                    bot.loops["cluster-heartbeat"].wake()
                await until(lambda: spaces_a.announcer.pacer.rate == 22)
                await until(lambda: spaces_b.announcer.pacer.rate == 22)

                # A dies: it can no longer reach the database, so it never renews or releases.
                await relay.cut()
                await stack.aclose()
                a_polls = polls_by(fake, "A")
                clock.offset += timedelta(seconds=POLL_SECONDS)
                await run_poller_round(b)
                assert polls_by(fake, "B") == 0  # one interval later A's lease still runs
                clock.offset += timedelta(seconds=POLL_SECONDS)
                await run_poller_round(b)  # two intervals: the lease (1.5) has lapsed
                assert b.cluster.holds(POLLER_LEASE)
                assert polls_by(fake, "B") == 1
                assert await spaces_b.who_polls() == "this"
                assert any(
                    r.getMessage().startswith("took over spaces-poller from ")
                    and "whose lease expired" in r.getMessage()
                    for r in caplog.records
                ), [r.getMessage() for r in caplog.records]
                for command in ("spaces status", "settings"):
                    text = await moderator_reads(loopback, g1, command)
                    assert "This Lightstick process checks X; last poll <t:" in text, text
                b.loops["cluster-heartbeat"].wake()  # A's heartbeats stopped 30 s ago
                await until(lambda: spaces_b.announcer.pacer.rate == 45)

                # Shard 0 comes back as a new process: it finds B polling and leaves it be.
                async with instance(
                    loopback, pg_url, schema, 0, name="A2", fake=fake, clock=clock
                ) as a2:
                    await run_poller_round(a2)
                    assert not a2.cluster.holds(POLLER_LEASE)
                    for bot in (a2, b):
                        await slow_fallback(bot)
                    fake.set_space("BTS_twt", "1TakeoverSpace", "live", title="After the takeover")
                    await run_poller_round(b)
                    # A2's fan-out sleeps for an hour unless NOTIFY wakes it.
                    await until(lambda: bool(loopback.messages_in(g0.announcements)), 5)
                    await until(lambda: bool(loopback.messages_in(g1.announcements)), 5)
                    await run_poller_round(b)
                    await run_poller_round(a2)
                    await asyncio.sleep(0.3)
                    assert polls_by(fake, "A2") == 0
                    assert polls_by(fake, "A") == a_polls
        finally:
            await stack.aclose()
    for guild in (g0, g1):
        [post] = loopback.messages_in(guild.announcements)
        assert "After the takeover" in str(post)


async def test_a_waiting_process_takes_over_as_the_dead_holders_lease_runs_out(
    loopback: LoopbackDiscord, fake: FakeX, pg_url: str
) -> None:
    """B looks again the moment A's lease can be taken, not at its next half-round look: with
    a look every 7.5 s the takeover poll could come two full intervals after A's last renewal,
    leaving no time to post before the "two poll intervals of the kill" deadline."""
    g1 = loopback.add_guild("One", shard=(1, 2))
    fake.add_user("BTS_twt")
    clock = Clock()
    parts = urlsplit(pg_url)
    relay = await Relay(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    async with scratch_schema(pg_url, "test") as schema, contextlib.AsyncExitStack() as stack:
        a_cm = instance(loopback, via(relay, pg_url), schema, 0, name="A", fake=fake, clock=clock)
        a = await stack.enter_async_context(a_cm)
        await until(lambda: a.cluster.holds(POLLER_LEASE))
        async with instance(loopback, pg_url, schema, 1, name="B", fake=fake, clock=clock) as b:
            await follow(loopback, g1, "@BTS_twt")
            await run_poller_round(a)
            # A dies without releasing; its lease has about two seconds left on B's clock.
            await relay.cut()
            await stack.aclose()
            lease = await b.cluster.holder(POLLER_LEASE)
            assert lease is not None
            assert lease.holder == a.cluster.name
            clock.offset = lease.expires_at - timedelta(seconds=2) - datetime.now(UTC)
            await run_poller_round(b)
            assert not b.cluster.holds(POLLER_LEASE)
            # Half a round would be 7.5 s; the lease can be taken 3 s from now (whole seconds).
            await until(lambda: b.cluster.holds(POLLER_LEASE), 6)
            await until(lambda: polls_by(fake, "B") == 1, 2)


async def test_a_clean_stop_hands_the_poller_over_at_the_next_round(
    loopback: LoopbackDiscord, fake: FakeX, pg_url: str
) -> None:
    """A stopped cleanly releases its lease: B polls at its next round, no expiry to wait for."""
    g1 = loopback.add_guild("One", shard=(1, 2))
    fake.add_user("BTS_twt")
    clock = Clock()
    async with scratch_schema(pg_url, "test") as schema, contextlib.AsyncExitStack() as stack:
        a_cm = instance(loopback, pg_url, schema, 0, name="A", fake=fake, clock=clock)
        a = await stack.enter_async_context(a_cm)
        await until(lambda: a.cluster.holds(POLLER_LEASE))
        async with instance(loopback, pg_url, schema, 1, name="B", fake=fake, clock=clock) as b:
            await run_poller_round(b)
            assert not b.cluster.holds(POLLER_LEASE)
            await stack.aclose()  # A stops cleanly
            await follow(loopback, g1, "@BTS_twt")
            await run_poller_round(b)  # the clock has not moved: no lease expired
            assert b.cluster.holds(POLLER_LEASE)
            assert polls_by(fake, "B") == 1


async def test_only_the_housekeeping_lease_holder_purges(
    loopback: LoopbackDiscord, fake: FakeX, pg_url: str
) -> None:
    """A server gone 31 days is purged by the process holding "housekeeping", not the other."""
    clock = Clock()
    departed = (500_000_000_002 << 22) | 77
    async with (
        scratch_schema(pg_url, "test") as schema,
        instance(loopback, pg_url, schema, 0, name="A", fake=fake, clock=clock) as a,
    ):
        await until(lambda: a.cluster.holds(HOUSEKEEPING_LEASE))
        async with instance(loopback, pg_url, schema, 1, name="B", fake=fake, clock=clock) as b:
            await a.store.ensure_guild(departed)
            await a.store.guilds.mark_left(departed, clock() - timedelta(days=31))
            await run_round(b, "housekeeping")
            assert not b.cluster.holds(HOUSEKEEPING_LEASE)
            assert await b.store.guilds.left_at(departed) is not None
            await run_round(a, "housekeeping")
            assert await b.store.guilds.left_at(departed) is None  # purged
