"""/spaces end to end: the real bot, the loopback Discord and the fake X API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store.spaces import Follow, SpacesRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.entities import Overwrite
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

SEND_MESSAGES = 1 << 11


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


async def setup_and_follow(loopback: LoopbackDiscord, guild: GuildFixture, handle: str) -> None:
    ix = await loopback.slash(
        guild,
        "spaces setup",
        options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
        user=guild.moderator,
    )
    await ix.settled()
    assert "announcements" in ix.all_text() or str(guild.announcements.id) in ix.all_text()
    ix = await loopback.slash(
        guild, "spaces follow", options={"artist": handle}, user=guild.moderator
    )
    await ix.settled(timeout=10)
    assert "Following" in ix.all_text(), ix.all_text()


async def test_scheduled_live_ended_story_survives_restarts(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """One scheduled post (no ping), one live post pinging only the role, then the edit to
    ended; restarting the bot between states posts nothing again."""
    db = tmp_path / "bot.db"
    fake.add_user("BTS_twt")
    channel = guild.announcements.id
    start = datetime.now(UTC) + timedelta(hours=2)
    async with running_bot(loopback, db, fake) as (_, cog):
        await setup_and_follow(loopback, guild, "@BTS_twt")
        fake.set_space(
            "BTS_twt",
            "1BtsSpace",
            "scheduled",
            title="@everyone **party** <@&1>",
            scheduled_start=start,
        )
        await cycle(cog)
        await cycle(cog)
    msgs = loopback.messages_in(channel)
    assert len(msgs) == 1
    assert loopback.pings(msgs[0]).nobody
    assert "@everyone" not in msgs[0]["content"].replace("@\u200beveryone", "")
    async with running_bot(loopback, db, fake) as (_, cog):
        await cycle(cog)
        assert len(loopback.messages_in(channel)) == 1
        fake.set_space("BTS_twt", "1BtsSpace", "live", title="We are live", participant_count=4200)
        await cycle(cog)
    msgs = loopback.messages_in(channel)
    assert len(msgs) == 2
    pings = loopback.pings(msgs[1])
    assert pings.roles == frozenset({guild.stans.id})
    assert not pings.users
    assert not pings.everyone
    assert msgs[1]["components"][0]["components"][0]["url"] == "https://x.com/i/spaces/1BtsSpace"
    async with running_bot(loopback, db, fake) as (_, cog):
        await cycle(cog)
        assert len(loopback.messages_in(channel)) == 2
        assert cog.poller is not None
        cog.poller.grace = timedelta(0)
        fake.end_space("1BtsSpace")
        await cycle(cog)
        await cycle(cog)
    msgs = loopback.messages_in(channel)
    assert len(msgs) == 2
    assert "ended" in msgs[1]["content"]
    assert any(f["value"].startswith("⏹️") for f in msgs[1]["embeds"][0]["fields"])
    assert "4,200" in msgs[1]["content"]


async def test_locked_channel_is_broken_and_other_servers_still_hear(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A channel that lost Send Messages is marked broken and shown in /spaces status; the
    other server still gets its post."""
    other = loopback.add_guild("Second Fans")
    fake.add_user("NewJeans_ADOR")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup_and_follow(loopback, guild, "@NewJeans_ADOR")
        await setup_and_follow(loopback, other, "@NewJeans_ADOR")
        guild.set_overwrites(guild.announcements, [Overwrite(guild.bot.id, 1, deny=SEND_MESSAGES)])
        fake.set_space("NewJeans_ADOR", "1NjSpace", "live", title="Bunnies")
        await cycle(cog)
        assert loopback.messages_in(guild.announcements) == []
        assert len(loopback.messages_in(other.announcements)) == 1
        ix = await loopback.slash(guild, "spaces status", user=guild.moderator)
        await ix.settled()
        assert ix.ephemeral
        assert str(guild.announcements.id) in ix.all_text()
        loopback.expect_violation("403|Missing Permissions|50013")


async def test_one_poll_for_1000_servers_and_250_accounts_is_3_requests(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """1,000 servers following 250 distinct accounts: one poll sends 3 Spaces requests."""
    ids = [fake.add_user(f"artist{i}") for i in range(250)]
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, cog):
        for gid in range(1, 1001):
            await bot.store.ensure_guild(gid)
            repo = bot.store.guild(gid).repo(SpacesRepo)
            await repo.set_config(10_000 + gid, None)
            uid = ids[gid % 250]
            await repo.upsert_follows(
                [Follow(f"artist{gid % 250}", f"artist{gid % 250}", None, "A", uid)]
            )
        before = fake.count("/2/spaces")
        assert cog.poller is not None
        report = await cog.poller.poll_once()
        assert (report.accounts, report.batches) == (250, 3)
        assert fake.count("/2/spaces") - before == 3


async def test_announce_from_a_pasted_link_once(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """/spaces announce posts the live announcement from a link once confirmed, pinging the
    role, only once."""
    fake.add_user("aespa_official")
    fake.set_space("aespa_official", "1AespaSp", "live", title="MY-s!")
    async with running_bot(loopback, tmp_path / "bot.db", fake):
        ix = await loopback.slash(
            guild,
            "spaces setup",
            options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
            user=guild.moderator,
        )
        await ix.settled()
        link = "https://x.com/i/spaces/1AespaSp?s=20"
        ix = await loopback.slash(
            guild, "spaces announce", options={"url": link}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        [post] = [b for row in ix.components for b in row["components"] if b.get("label") == "Post"]
        await (await loopback.click(ix, post["custom_id"], user=guild.moderator)).response()
        await ix.wait_until(lambda: "Announced" in ix.content)
        msgs = loopback.messages_in(guild.announcements)
        assert len(msgs) == 1
        assert loopback.pings(msgs[0]).roles == frozenset({guild.stans.id})
        assert "MY-s!" in msgs[0]["embeds"][0]["title"]
        ix = await loopback.slash(
            guild, "spaces announce", options={"url": link}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        assert "already announced" in ix.all_text()
        assert len(loopback.messages_in(guild.announcements)) == 1


async def test_test_command_posts_a_sample_that_pings_nobody(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """/spaces test posts the announcement fans would get, without pinging anyone (no X needed)."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        ix = await loopback.slash(
            guild,
            "spaces setup",
            options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
            user=guild.moderator,
        )
        await ix.settled()
        assert "operator has not enabled" in ix.all_text()
        ix = await loopback.slash(
            guild,
            "spaces test",
            options={"channel": guild.announcements.id},
            user=guild.moderator,
        )
        await ix.settled()
        msgs = loopback.messages_in(guild.announcements)
        assert len(msgs) == 1
        assert f"<@&{guild.stans.id}>" in msgs[0]["content"]
        assert loopback.pings(msgs[0]).nobody
        ix = await loopback.slash(
            guild, "spaces follow", options={"artist": "@BTS_twt"}, user=guild.moderator
        )
        await ix.settled()
        assert ix.ephemeral
        assert "operator has not enabled" in ix.all_text()


async def test_plain_member_is_refused_and_setup_names_missing_permissions(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """A member without Manage Server is refused at run time; setup on a channel the bot
    cannot post in says exactly what is missing."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        ix = await loopback.slash(
            guild,
            "spaces setup",
            options={"channel": guild.general.id},
            user=guild.member,
            override_permissions=True,
        )
        await ix.settled()
        assert ix.ephemeral
        assert "Manage Server" in ix.all_text()
        ix = await loopback.slash(
            guild, "spaces setup", options={"channel": guild.locked.id}, user=guild.moderator
        )
        await ix.settled()
        assert "Send Messages" in ix.all_text()
        ix = await loopback.slash(guild, "spaces list", user=guild.moderator)
        await ix.settled()
        assert "Not set up" in ix.all_text()


async def test_follow_an_act_by_autocomplete_with_keywords_then_unfollow(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """Autocomplete offers the act; following it covers both official handles; keywords
    filter what is posted; /spaces live shows members both Spaces; unfollow stops it all."""
    fake.add_user("BTS_twt")
    fake.add_user("bts_bighit")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        ix = await loopback.slash(
            guild,
            "spaces setup",
            options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
            user=guild.moderator,
        )
        await ix.settled()
        choices = await loopback.autocomplete(
            guild, "spaces follow", {"artist": "BT"}, focused="artist", user=guild.moderator
        )
        assert "id:bts" in [c["value"] for c in choices]
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "id:bts", "keywords": "live"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        assert "@BTS_twt" in ix.all_text()
        assert "@bts_bighit" in ix.all_text()
        fake.set_space("bts_bighit", "1HitSpace", "live", title="Weverse LIVE talk")
        fake.set_space("BTS_twt", "1TwtSpace", "live", title="just chatting")
        await cycle(cog)
        msgs = loopback.messages_in(guild.announcements)
        assert len(msgs) == 1
        assert "1HitSpace" in msgs[0]["content"]
        ix = await loopback.slash(guild, "spaces live", user=guild.member)
        await ix.settled()
        assert "Weverse LIVE talk" in ix.all_text()
        assert "just chatting" in ix.all_text()
        ix = await loopback.slash(
            guild, "spaces unfollow", options={"artist": "bts"}, user=guild.moderator
        )
        await ix.settled()
        assert "Unfollowed" in ix.all_text()
        ix = await loopback.slash(guild, "spaces list", user=guild.moderator)
        await ix.settled()
        assert "Nobody yet" in ix.all_text()
