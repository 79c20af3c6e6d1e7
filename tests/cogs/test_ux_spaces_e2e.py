"""Issue 18 items 4-7 end to end: Live Spaces as moderators and fans expect them to behave."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.interactions import InjectedInteraction
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

LINK = "https://x.com/i/spaces/1LinkOnly"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


async def setup(loopback: LoopbackDiscord, guild: GuildFixture, handle: str | None) -> None:
    """Announce in #announcements pinging Stans; follow `handle` when given."""
    ix = await loopback.slash(
        guild,
        "spaces setup",
        options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
        user=guild.moderator,
    )
    await ix.settled()
    if handle:
        ix = await loopback.slash(
            guild, "spaces follow", options={"artist": handle}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        assert "Following" in ix.all_text(), ix.all_text()


async def press(
    loopback: LoopbackDiscord, ix: InjectedInteraction, label: str, guild: GuildFixture
) -> None:
    """Press, as the moderator, the button labelled `label` under a reply."""
    [button] = [b for row in ix.components for b in row["components"] if b.get("label") == label]
    click = await loopback.click(ix, button["custom_id"], user=guild.moderator)
    await click.response()


def state(message: dict[str, Any]) -> str:
    """Return the State field of an announcement's embed ("🔴 Live now", "⏹️ Ended", ...)."""
    fields = message["embeds"][0]["fields"]
    return str(next(f["value"] for f in fields if f["name"] == "State"))


def post_of(loopback: LoopbackDiscord, channel: int, space_id: str, label: str) -> dict[str, Any]:
    """Return the one post about `space_id` whose first link button is `label`."""
    [post] = [
        m
        for m in loopback.messages_in(channel)
        if any(space_id in b.get("url", "") for row in m["components"] for b in row["components"])
        and m["components"][0]["components"][0]["label"] == label
    ]
    return post


async def test_item_04_announce_shows_who_is_pinged_and_posts_only_on_confirm(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """`/spaces announce` with a link alone posts and pings nothing: a private preview shows the
    post, the role it pings and the placeholders; Cancel posts nothing; `artist` and `title`
    (cleaned) name the Space; Post posts it once, pinging only the role."""
    channel = guild.announcements.id
    async with running_bot(loopback, tmp_path / "bot.db", None):
        await setup(loopback, guild, None)
        ix = await loopback.slash(
            guild, "spaces announce", options={"url": LINK}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert ix.ephemeral
        assert f"It pings <@&{guild.stans.id}>, and nobody else." in text, text
        assert "Nothing is posted until you press Post" in text
        assert "“An artist” (add `artist`)" in text
        assert "“Untitled Space” (add `title`)" in text
        assert loopback.messages_in(channel) == []
        await press(loopback, ix, "Cancel", guild)
        assert ix.content == "Cancelled: nothing was posted and nobody was pinged."
        assert loopback.messages_in(channel) == []

        choices = await loopback.autocomplete(
            guild,
            "spaces announce",
            {"artist": "blackpink"},
            focused="artist",
            user=guild.moderator,
        )
        title = "  Pink\u202e venom talk\u0000 @everyone "
        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": LINK, "artist": choices[0]["value"], "title": title},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert "> <@&" in text
        assert "**BLACKPINK** is live on X Spaces: Pink venom talk" in text, text
        assert "An artist" not in text
        assert "Untitled Space" not in text
        assert loopback.messages_in(channel) == []
        await press(loopback, ix, "Post", guild)
        await ix.wait_until(lambda: "Announced" in ix.content)
        [post] = loopback.messages_in(channel)
        assert loopback.pings(post).roles == frozenset({guild.stans.id})
        assert not loopback.pings(post).everyone
        assert "\u202e" not in post["content"]
        assert post["embeds"][0]["title"].startswith("Pink venom talk")
        assert post["id"] in ix.content

        ix = await loopback.slash(
            guild, "spaces announce", options={"url": LINK}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        assert "already announced" in ix.all_text()
        assert len(loopback.messages_in(channel)) == 1


async def test_item_05_scheduled_post_points_to_the_live_post_or_says_cancelled(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """When a scheduled Space goes live its scheduled post is edited once to "went live" with a
    link to the live post, even when that edit first fails and the bot restarts; a scheduled
    Space X reports `canceled` has its post edited to "cancelled"."""
    db = tmp_path / "bot.db"
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    start = datetime.now(UTC) + timedelta(hours=2)
    async with running_bot(loopback, db, fake) as (_, cog):
        await setup(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1Soon", "scheduled", title="Festa", scheduled_start=start)
        await cycle(cog)
        [scheduled] = loopback.messages_in(channel)
        assert state(scheduled) == "🗓️ Scheduled"
        edit_path = rf"/channels/{channel}/messages/{scheduled['id']}$"
        # Discord refuses the edit until the bot restarts; the live post must not wait or repeat.
        loopback.fail_next("PATCH", edit_path, 503, count=10)
        fake.set_space("BTS_twt", "1Soon", "live", title="Festa", participant_count=7)
        await cycle(cog)
        assert len(loopback.messages_in(channel)) == 2
        assert state(loopback.messages_in(channel)[0]) == "🗓️ Scheduled"
    loopback.faults.clear()
    async with running_bot(loopback, db, fake) as (_, cog):
        await cycle(cog)
        scheduled, live = loopback.messages_in(channel)
        assert state(live) == "🔴 Live now"
        assert loopback.pings(live).roles == frozenset({guild.stans.id})
        assert state(scheduled) == "▶️ Went live"
        jump = f"https://discord.com/channels/{guild.id}/{channel}/{live['id']}"
        assert scheduled["content"] == f"**BTS**'s X Space went live: {jump}"
        buttons = {b["label"]: b["url"] for b in scheduled["components"][0]["components"]}
        assert buttons["Go to the live post"] == jump
        assert len(loopback.requests_to("POST", rf"/channels/{channel}/messages$")) == 2
        edits = len(loopback.requests_to("PATCH", edit_path))
        await cycle(cog)
        assert len(loopback.requests_to("PATCH", edit_path)) == edits

        fake.set_space("BTS_twt", "1Called", "scheduled", title="Q&A", scheduled_start=start)
        await cycle(cog)
        fake.cancel_space("1Called")
        await cycle(cog)
        cancelled = post_of(loopback, channel, "1Called", "Open on X")
        assert cancelled["content"] == "**BTS**'s scheduled X Space was cancelled."
        assert state(cancelled) == "🚫 Cancelled"
        assert len(loopback.messages_in(channel)) == 3


async def test_item_06_a_space_that_vanished_is_looked_up_and_ended_in_the_same_poll(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A live Space missing from the creators' answer is looked up by id
    (`GET /2/spaces?ids=`) and its post says ended in that poll, not three minutes later; one
    whose lookup failed, or that X no longer returns, keeps the grace and stays live."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        assert cog.poller is not None
        assert cog.poller.grace == timedelta(minutes=3)
        await setup(loopback, guild, "@BTS_twt")
        for space_id in ("1Ends", "1Flaky", "1Gone"):
            fake.set_space("BTS_twt", space_id, "live", title=space_id, participant_count=5)
        await cycle(cog)
        assert len(loopback.messages_in(channel)) == 3

        fake.end_space("1Ends")
        fake.remove_space("1Gone")  # X forgot it: the lookup answers "Not Found Error"
        await cycle(cog)
        [lookup] = [r for r in fake.requests if r.path == "/2/spaces"]
        assert set(lookup.query["ids"].split(",")) == {"1Ends", "1Gone"}
        assert "ended_at" in lookup.query["space.fields"]
        assert state(post_of(loopback, channel, "1Ends", "Open on X")) == "⏹️ Ended"
        assert state(post_of(loopback, channel, "1Gone", "Open on X")) == "🔴 Live now"

        fake.end_space("1Flaky")
        fake.fail_next("/2/spaces$", "503")
        await cycle(cog)
        assert state(post_of(loopback, channel, "1Flaky", "Open on X")) == "🔴 Live now"
        await cycle(cog)
        assert state(post_of(loopback, channel, "1Flaky", "Open on X")) == "⏹️ Ended"
        assert state(post_of(loopback, channel, "1Gone", "Open on X")) == "🔴 Live now"
        assert len(loopback.requests_to("POST", rf"/channels/{channel}/messages$")) == 3


async def test_item_07_scheduled_post_reads_starting_in_and_no_ascii_arrows(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """The scheduled post reads "scheduled an X Space starting <t:..:R>" (Discord shows "in 2
    hours"), and neither it nor /about's permission list shows an ASCII arrow."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    start = datetime.now(UTC) + timedelta(hours=2)
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1Later", "scheduled", title="Festa", scheduled_start=start)
        await cycle(cog)
        [post] = loopback.messages_in(channel)
        stamp = f"<t:{int(start.timestamp())}:R>"
        assert post["content"].startswith(
            f"**BTS** scheduled an X Space starting {stamp}: Festa"
        ), post["content"]
        about = await loopback.slash(guild, "about", user=guild.moderator)
        await about.settled()
        for text in (post["content"], about.all_text()):
            assert not re.search(r"->|=>", text), text
