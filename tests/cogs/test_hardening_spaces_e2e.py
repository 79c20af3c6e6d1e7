"""Hardening of /spaces through the loopback Discord and fake X: hostile data from X."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.entities import Overwrite
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import SEND_MESSAGES
from bot.testing.loopback.world import GuildFixture

# A masked link as Discord reads it: an unescaped `[`, text, an unescaped `](`, an http(s) URL.
MASKED_LINK = re.compile(r"(?<!\\)\[(.*?)(?<!\\)\]\((https?://[^)\s]+)\)", re.DOTALL)
HOSTILE_TITLE = "Comeback talk](https://evil.example/login) [listen"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


def link_targets(message: dict[str, Any]) -> set[str]:
    """Return every URL a masked link points at in a message's content and embeds."""
    texts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        texts.append(embed.get("description") or "")
        texts.extend(f.get("value", "") for f in embed.get("fields") or [])
    return {url for text in texts for _, url in MASKED_LINK.findall(text)}


async def follow(
    loopback: LoopbackDiscord, guild: GuildFixture, handle: str, template: str | None = None
) -> None:
    """Set up the announcements channel (pinging Stans) and follow one handle."""
    setup = await loopback.slash(
        guild,
        "spaces setup",
        options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
        user=guild.moderator,
    )
    await setup.settled()
    options = {"artist": handle} | ({"template": template} if template else {})
    ix = await loopback.slash(guild, "spaces follow", options=options, user=guild.moderator)
    await ix.settled(timeout=10)
    if template:
        # A template is shown rendered and saved only when the moderator presses Save.
        [save] = [b for row in ix.components for b in row["components"] if b["label"] == "Save"]
        await (await loopback.click(ix, save["custom_id"], user=guild.moderator)).response()
    assert "Following" in ix.all_text(), ix.all_text()


async def test_a_space_title_cannot_plant_a_masked_link(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A title closing a link to evil.example stays plain text in the post and in /spaces live."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await follow(loopback, guild, "@BTS_twt", template="[{title}]({url}) with {artist}")
        fake.set_space("BTS_twt", "1BtsSpace", "live", title=HOSTILE_TITLE)
        await cycle(cog)
        [post] = loopback.messages_in(guild.announcements.id)
        assert link_targets(post) <= {"https://x.com/i/spaces/1BtsSpace"}
        live = await loopback.slash(guild, "spaces live", user=guild.member)
        await live.settled()
        assert live.original is not None
        assert link_targets(live.original) == {"https://x.com/i/spaces/1BtsSpace"}


async def test_a_malformed_space_id_from_x_is_ignored(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A Space id X should never send (`1Bad id"`) is dropped like a bad pasted link; the
    well-formed Space beside it is announced once, and Discord never sees a malformed button."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await follow(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", '1Bad id"', "live", title="Broken")
        fake.set_space("BTS_twt", "1GoodSpace", "live", title="Fine")
        await cycle(cog)
        await cycle(cog)
        [post] = loopback.messages_in(guild.announcements.id)
        assert post["components"][0]["components"][0]["url"] == "https://x.com/i/spaces/1GoodSpace"


async def test_monthly_usage_cap_stops_polling_and_is_told_in_plain_words(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """X's UsageCapExceeded 429 stops every request until the reset header's time, and
    /spaces status and /settings say so in plain words (not "rate limit still exceeded")."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await follow(loopback, guild, "@BTS_twt")
        fake.fail_next("/2/spaces", "usage_cap")
        await cycle(cog)
        sent = fake.count()
        for _ in range(3):
            await cycle(cog)
        assert fake.count() == sent
        status = await loopback.slash(guild, "spaces status", user=guild.moderator)
        await status.settled()
        assert "monthly usage cap" in status.all_text()
        assert "rate limit" not in status.all_text()
        settings = await loopback.slash(guild, "settings", user=guild.moderator)
        await settings.settled()
        assert "monthly usage cap" in settings.all_text()


async def test_a_space_that_flaps_is_restored_without_a_second_ping(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A live Space missing from X past the grace is marked ended; when X reports it live
    again the same post is edited back to live, nobody is pinged again, and a real end later
    still edits it to ended."""
    fake.add_user("BTS_twt")
    channel = guild.announcements.id
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        assert cog.poller is not None
        cog.poller.grace = timedelta(0)
        await follow(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1FlapSpace", "live", title="Flappy", participant_count=10)
        await cycle(cog)
        [post] = loopback.messages_in(channel)
        assert loopback.pings(post).roles == frozenset({guild.stans.id})
        fake.remove_space("1FlapSpace")
        await cycle(cog)
        await cycle(cog)
        assert "ended" in loopback.messages_in(channel)[0]["content"]
        fake.set_space("BTS_twt", "1FlapSpace", "live", title="Flappy", participant_count=12)
        await cycle(cog)
        await cycle(cog)
        [restored] = loopback.messages_in(channel)
        assert restored["id"] == post["id"]
        assert "ended" not in restored["content"]
        assert len(loopback.requests_to("POST", rf"/channels/{channel}/messages$")) == 1
        fake.end_space("1FlapSpace")
        await cycle(cog)
        await cycle(cog)
        [final] = loopback.messages_in(channel)
        assert "ended" in final["content"]
        assert len(loopback.requests_to("POST", rf"/channels/{channel}/messages$")) == 1


def notices(loopback: LoopbackDiscord, guild: GuildFixture) -> list[str]:
    """Return the Spaces notices posted for moderators in the system channel."""
    return [
        m["content"]
        for m in loopback.messages_in(guild.system.id)
        if "Space announcements" in m["content"]
    ]


async def go_live(loopback: LoopbackDiscord, fake: FakeX, cog: Any, space_id: str) -> None:
    """Put a new Space live on X and run one poll and fan-out."""
    fake.set_space("BTS_twt", space_id, "live", title=f"Space {space_id}")
    await cycle(cog)


async def test_a_channel_broken_for_a_minute_comes_back_by_itself(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A 403 during an announcement marks the channel broken and tells moderators; the
    periodic re-check finds the bot can post again, says so, and the next Space is announced."""
    fake.add_user("BTS_twt")
    channel = guild.announcements.id
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, cog):
        await follow(loopback, guild, "@BTS_twt")
        loopback.fail_next("POST", rf"/channels/{channel}/messages$", 403)
        await go_live(loopback, fake, cog, "1First")
        assert loopback.messages_in(channel) == []
        await asyncio.sleep(0.2)  # the notice is posted by a tracked task
        [stopped] = notices(loopback, guild)
        assert "stopped" in stopped
        health = bot.get_cog("SpacesHealth")
        assert health is not None
        await health.recheck_broken()  # type: ignore[attr-defined]
        assert "resumed" in notices(loopback, guild)[-1]
        await go_live(loopback, fake, cog, "1Second")
        assert len(loopback.messages_in(channel)) == 1


async def test_broken_channel_is_rechecked_on_permission_change_and_rejoin(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """Taking Send Messages away breaks the channel; giving it back (a channel update) resumes
    announcements; broken again, then fixed while the bot was removed, a rejoin resumes them."""
    fake.add_user("BTS_twt")
    channel = guild.announcements
    fixed = list(channel.overwrites)
    denied = [*fixed, Overwrite(guild.bot.id, 1, deny=SEND_MESSAGES)]
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await follow(loopback, guild, "@BTS_twt")
        guild.set_overwrites(channel, denied)
        await go_live(loopback, fake, cog, "1First")
        guild.set_overwrites(channel, fixed)
        await asyncio.sleep(0.3)
        assert "resumed" in notices(loopback, guild)[-1]
        await go_live(loopback, fake, cog, "1Second")
        assert len(loopback.messages_in(channel.id)) == 1

        guild.set_overwrites(channel, denied)
        await go_live(loopback, fake, cog, "1Third")
        assert len(loopback.messages_in(channel.id)) == 1
        loopback.remove_guild(guild)
        await asyncio.sleep(0.2)
        channel.overwrites = fixed  # a moderator fixes it while the bot is away
        loopback.readd_guild(guild)
        await asyncio.sleep(0.5)
        assert sum("resumed" in text for text in notices(loopback, guild)) == 2
        await go_live(loopback, fake, cog, "1Fourth")
        assert len(loopback.messages_in(channel.id)) == 2
