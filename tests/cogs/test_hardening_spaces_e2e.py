"""Hardening of /spaces through the loopback Discord and fake X: hostile data from X."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.testing.fake_x import FakeX
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from tests.cogs.spaces_support import cycle, running_bot

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
