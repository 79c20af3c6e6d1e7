"""Two shard processes on one database: each serves, reconciles and delivers for its own servers.

Two Lightstick instances run in the test's event loop, each owning one shard of two, against one
loopback Discord and one PostgreSQL schema: SQLite serves one process, so splitting shards over
processes needs PostgreSQL (Settings refuses a partial SHARD_IDS on SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import discord
import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.core.client import Lightstick
from bot.domain.parties import PartyDraft
from bot.store.parties import PartyRepo
from bot.store.pg_admin import scratch_schema
from bot.store.spaces_tracking import SpaceTrackingRepo
from bot.store.trivia_shared import TriviaAcrossGuilds
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.parties import Parties
from cogs.spaces import Spaces
from cogs.trivia import Trivia


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


@dataclass(frozen=True)
class SharedDb:
    """The PostgreSQL database and schema every shard process of a test shares."""

    url: str
    schema: str


@pytest.fixture
async def db(pg_url: str) -> AsyncIterator[SharedDb]:
    async with scratch_schema(pg_url, "test") as schema:
        yield SharedDb(pg_url, schema)


@contextlib.asynccontextmanager
async def shard(
    loopback: LoopbackDiscord,
    db: SharedDb,
    shard_id: int | None,
    *,
    fake: FakeX | None = None,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[Lightstick]:
    """Run Lightstick owning shard `shard_id` of 2 (None: every shard, no shard settings)."""
    http = httpx.AsyncClient()

    def configure(bot: Lightstick) -> None:
        if fake is not None:
            bot.x_client = XClient(
                http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0
            )
        if clock is not None:
            bot.clock = clock  # type: ignore[method-assign]

    settings: dict[str, Any] = {}
    if shard_id is not None:
        settings.update(shard_count=2, shard_ids=(shard_id,))
    if fake is not None:
        settings.update(x_api_base=fake.base_url, x_bearer_token=SecretStr(fake.token))
    try:
        async with start_lightstick(
            loopback, db.url, configure=configure, schema=db.schema, **settings
        ) as bot:
            yield bot
    finally:
        await http.aclose()


def record_interactions(bots: dict[str, Lightstick]) -> list[str]:
    """Return a list that gets the name of the bot that received each interaction."""
    seen: list[str] = []
    for name, bot in bots.items():

        async def on_interaction(_ix: discord.Interaction[Any], name: str = name) -> None:
            seen.append(name)

        bot.add_listener(on_interaction, "on_interaction")
    return seen


async def test_each_shard_process_serves_and_reconciles_only_its_servers(
    loopback: LoopbackDiscord, db: SharedDb
) -> None:
    """Guilds, commands and joins go to the owner; READY marks left only the owner's servers."""
    g0 = loopback.add_guild("Zero", shard=(0, 2))
    g1 = loopback.add_guild("One", shard=(1, 2))
    gone = loopback.add_guild("One, soon gone", shard=(1, 2))
    async with shard(loopback, db, None) as everything:
        assert len(everything.guilds) == 3
    loopback.remove_guild(gone)  # while no process runs: the owner notices at its READY

    async with shard(loopback, db, 0) as zero:
        assert zero.owns_guild(g0.id)
        assert not zero.owns_guild(g1.id)
        assert [g.id for g in zero.guilds] == [g0.id]
        # Shard 0's READY does not list shard 1's servers; they are not "left" for all that.
        assert await zero.store.guilds.left_at(g1.id) is None
        assert await zero.store.guilds.left_at(gone.id) is None
        async with shard(loopback, db, 1) as one:
            assert [g.id for g in one.guilds] == [g1.id]
            assert await one.store.guilds.left_at(gone.id) is not None
            assert await one.store.guilds.left_at(g1.id) is None

            seen = record_interactions({"zero": zero, "one": one})
            ix = await loopback.slash(g1, "about", user=g1.member)
            await ix.response()
            assert "Lightstick" in ix.all_text()
            ix = await loopback.slash(g0, "about", user=g0.member)
            await ix.response()
            assert seen == ["one", "zero"]

            joined = loopback.add_guild("One, new", shard=(1, 2))
            await loopback.gateway.wait_for(lambda: one.get_guild(joined.id) is not None)
            assert zero.get_guild(joined.id) is None
            assert joined.system is not None
            await loopback.gateway.wait_for(lambda: bool(loopback.messages_in(joined.system)))
            assert await one.store.guilds.left_at(joined.id) is None


def draft(guild: GuildFixture, starts_at: datetime) -> PartyDraft:
    """A one-hour party in the guild's #general."""
    return PartyDraft(
        title=f"Watch party in {guild.name}",
        starts_at=starts_at,
        duration=timedelta(hours=1),
        channel_id=guild.general.id,
        organiser_id=guild.member.id,
        zone="Asia/Seoul",
    )


def reminders_in(loopback: LoopbackDiscord, guild: GuildFixture) -> list[dict[str, Any]]:
    """Return the party reminders posted in the guild's #general (they ping the member)."""
    return [
        m for m in loopback.messages_in(guild.general) if guild.member.id in loopback.pings(m).users
    ]


async def follow(loopback: LoopbackDiscord, guild: GuildFixture, handle: str) -> None:
    """Set up Spaces announcements in #announcements and follow `handle`, as a moderator."""
    ix = await loopback.slash(
        guild, "spaces setup", options={"channel": guild.announcements.id}, user=guild.moderator
    )
    await ix.settled()
    ix = await loopback.slash(
        guild, "spaces follow", options={"artist": handle}, user=guild.moderator
    )
    await ix.settled(timeout=10)
    assert "Following" in ix.all_text(), ix.all_text()


async def test_reminders_and_space_posts_are_sent_once_by_the_owner(
    loopback: LoopbackDiscord, fake: FakeX, db: SharedDb
) -> None:
    """With shard 1's process down, shard 0 sends only its own; shard 1 sends its own on start."""
    g0 = loopback.add_guild("Zero", shard=(0, 2))
    g1 = loopback.add_guild("One", shard=(1, 2))
    fake.add_user("BTS_twt")
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    due = starts - timedelta(minutes=15) + timedelta(seconds=3)

    async with shard(loopback, db, 0, fake=fake) as zero:
        # Shard 1 has X too while following, so /spaces follow resolves the account at once.
        async with shard(loopback, db, 1, fake=fake) as one:
            for guild, bot in ((g0, zero), (g1, one)):
                await follow(loopback, guild, "@BTS_twt")
                repo = bot.store.guild(guild.id).repo(PartyRepo)
                party = await repo.create_party(draft(guild, starts), now=datetime.now(UTC))
                await repo.set_rsvp(party.id, guild.member.id, "going", now=datetime.now(UTC))
        # Shard 1's process is down now. Shard 0 polls X and delivers, and its reminders fall due.
        spaces = cast(Spaces, zero.get_cog("Spaces"))
        fake.set_space("BTS_twt", "1ShardSpace", "live", title="Live for everyone")
        await cycle(spaces)
        parties = cast(Parties, zero.get_cog("Parties"))
        parties.dispatcher.clock = lambda: due
        await parties.dispatcher.settle()
        assert len(loopback.messages_in(g0.announcements)) == 1
        assert loopback.messages_in(g1.announcements) == []
        assert len(reminders_in(loopback, g0)) == 1
        assert reminders_in(loopback, g1) == []
        tracking = zero.store.shared(SpaceTrackingRepo)
        assert len(await tracking.open_events()) == 1  # shard 1's delivery is still owed

        # The Space ends before shard 1 is back: the "ended" edit waits for shard 1's live post.
        assert spaces.poller is not None
        spaces.poller.grace = timedelta(0)
        fake.end_space("1ShardSpace")
        await cycle(spaces)
        [post] = loopback.messages_in(g0.announcements)
        assert "ended" not in post["content"]
        assert len(await tracking.open_events()) == 2

        async with shard(loopback, db, 1, clock=lambda: due) as one:
            await cast(Parties, one.get_cog("Parties")).dispatcher.settle()
            await cast(Spaces, one.get_cog("Spaces")).announcer.drain()
            await spaces.announcer.drain()
            await parties.dispatcher.settle()
            assert await tracking.open_events() == []

    for guild in (g0, g1):
        [post] = loopback.messages_in(guild.announcements)
        assert "ended" in post["content"]
        assert len(reminders_in(loopback, guild)) == 1


async def test_daily_questions_and_left_over_games_belong_to_the_owner(
    loopback: LoopbackDiscord, db: SharedDb
) -> None:
    """Each process posts the daily question and ends games a stop left running in its servers."""
    g0 = loopback.add_guild("Zero", shard=(0, 2))
    g1 = loopback.add_guild("One", shard=(1, 2))
    async with shard(loopback, db, 0) as zero:
        async with shard(loopback, db, 1):
            for guild in (g0, g1):
                ix = await loopback.slash(
                    guild,
                    "trivia settings",
                    options={"daily_channel": guild.general.id, "daily_time": "00:00"},
                    user=guild.moderator,
                )
                await ix.response()
            ix = await loopback.slash(g1, "trivia start", options={}, user=g1.member)
            await ix.response()
            assert "Trivia time!" in ix.content
        # Shard 1's process stopped mid-game: the game is still marked running.
        across = zero.store.shared(TriviaAcrossGuilds)
        [left_over] = await across.running_games()
        assert left_over.guild_id == g1.id
        trivia = cast(Trivia, zero.get_cog("Trivia"))
        assert await trivia.end_orphaned_games() == 0
        assert [g.game_id for g in await across.running_games()] == [left_over.game_id]
        assert await trivia.daily.tick() == 1  # only shard 0's server
        assert len(daily_posts(loopback, g0)) == 1
        assert daily_posts(loopback, g1) == []

        async with shard(loopback, db, 1):
            # Shard 1's process ends its own left-over game and posts its own daily question.
            await loopback.gateway.wait_for(lambda: bool(daily_posts(loopback, g1)), timeout=10)
            async with asyncio.timeout(10):
                while await across.running_games():
                    await asyncio.sleep(0.05)
            assert await trivia.daily.tick() == 0
    assert len(daily_posts(loopback, g0)) == 1
    assert len(daily_posts(loopback, g1)) == 1


def daily_posts(loopback: LoopbackDiscord, guild: GuildFixture) -> list[dict[str, Any]]:
    """Return the daily-question posts in the guild's #general."""
    return [
        m
        for m in loopback.messages_in(guild.general)
        if any(str(e.get("title", "")).startswith("Daily question") for e in m.get("embeds", []))
    ]
