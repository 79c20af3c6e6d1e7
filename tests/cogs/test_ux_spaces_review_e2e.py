"""A new user's review of issue 18's Spaces features, end to end: each problem found, pinned."""

from __future__ import annotations

import asyncio
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
from scripts.first_five_minutes import run as first_five_minutes
from tests.cogs.test_ux_spaces_e2e import post_of, press, setup, state

LIVE_TEMPLATE = "🔴 {artist} is LIVE right now! Join: {url}"
ROLE_DELETED = "the ping role was deleted; pick one with `/spaces setup` or `/spaces edit`"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


def fields(message: dict[str, Any]) -> dict[str, str]:
    """Return an announcement embed's fields by name."""
    return {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}


def button(ix: InjectedInteraction, label: str) -> str:
    """Return the custom_id of the button labelled `label` under a reply."""
    [found] = [b for row in ix.components for b in row["components"] if b.get("label") == label]
    return str(found["custom_id"])


async def test_a_custom_template_is_for_live_posts_only(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A template that says "LIVE right now" reads on live posts only: the follow preview shows
    both wordings, a Space scheduled 5 h ahead is posted with the standard scheduled wording,
    and the live post uses the template."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    start = datetime.now(UTC) + timedelta(hours=5)
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup(loopback, guild, None)
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "@BTS_twt", "template": LIVE_TEMPLATE},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert "A live Space will read:\n> 🔴 BTS is LIVE right now!" in text, text
        assert "A scheduled Space will read (your template is for live posts only):" in text
        assert "> **BTS** scheduled an X Space starting <t:" in text, text
        await press(loopback, ix, "Save", guild)
        await ix.wait_until(lambda: "Saved" in ix.content)

        fake.set_space("BTS_twt", "1Later", "scheduled", title="Festa", scheduled_start=start)
        await cycle(cog)
        [scheduled] = loopback.messages_in(channel)
        stamp = f"<t:{int(start.timestamp())}:R>"
        assert scheduled["content"].startswith(
            f"**BTS** scheduled an X Space starting {stamp}: Festa"
        ), scheduled["content"]
        assert "LIVE" not in scheduled["content"]

        fake.set_space("BTS_twt", "1Later", "live", title="Festa", participant_count=3)
        await cycle(cog)
        live = post_of(loopback, channel, "1Later", "Open on X")
        assert live["content"] == (
            f"<@&{guild.stans.id}> 🔴 BTS is LIVE right now! Join: https://x.com/i/spaces/1Later"
        )

        edit = await loopback.slash(
            guild,
            "spaces edit",
            options={"artist": "@BTS_twt", "keywords": "festa"},
            user=guild.moderator,
        )
        await edit.settled()
        assert "A scheduled Space will read (your template is for live posts only):" in (
            edit.all_text()
        )


async def test_edit_refuses_a_ping_role_the_bot_cannot_ping(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """`/spaces edit ping_role:` checks the role against the follow's channel as setup does:
    a role that is not mentionable, where the bot lacks Mention @everyone, @here, and All
    Roles, is refused and nothing changes; a mentionable one is saved."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake):
        refused = await loopback.slash(
            guild,
            "spaces setup",
            options={"channel": guild.announcements.id, "ping_role": guild.fans.id},
            user=guild.moderator,
        )
        await refused.settled()
        assert "Mention @everyone, @here, and All Roles" in refused.all_text()
        await setup(loopback, guild, "@BTS_twt")

        ix = await loopback.slash(
            guild,
            "spaces edit",
            options={"artist": "@BTS_twt", "ping_role": guild.fans.id},
            user=guild.moderator,
        )
        await ix.settled()
        assert ix.ephemeral
        text = ix.all_text()
        assert "I can't announce in" in text, text
        assert "Mention @everyone, @here, and All Roles (or make Fans mentionable)" in text
        listing = await loopback.slash(guild, "spaces list", user=guild.moderator)
        await listing.settled()
        assert f"<@&{guild.fans.id}>" not in listing.all_text()

        guild.update_role(guild.fans, mentionable=True)
        await asyncio.sleep(0.2)
        ix = await loopback.slash(
            guild,
            "spaces edit",
            options={"artist": "@BTS_twt", "ping_role": guild.fans.id},
            user=guild.moderator,
        )
        await ix.settled()
        assert f"the ping role to <@&{guild.fans.id}>" in ix.all_text(), ix.all_text()


async def test_a_deleted_ping_role_pings_nobody_and_is_flagged(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """When the ping role is deleted the announce preview says it pings nobody, manual and
    polled posts carry no dead mention, and /spaces status, /spaces list and /settings tell
    moderators to pick another role."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    gone = guild.add_role("Temporary", mentionable=True)
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup(loopback, guild, "@BTS_twt")
        ix = await loopback.slash(
            guild,
            "spaces setup",
            options={"channel": channel, "ping_role": gone.id},
            user=guild.moderator,
        )
        await ix.settled()
        guild.delete_role(gone)
        await asyncio.sleep(0.2)

        fake.set_space("BTS_twt", "1ByHand", "live", title="Hand", participant_count=2)
        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": "https://x.com/i/spaces/1ByHand"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert "It pings nobody: " + ROLE_DELETED in text, text
        assert f"<@&{gone.id}>" not in text
        await press(loopback, ix, "Post", guild)
        await ix.wait_until(lambda: "Announced" in ix.content)

        fake.set_space("BTS_twt", "1Polled", "live", title="Polled", participant_count=2)
        await cycle(cog)
        posts = loopback.messages_in(channel)
        assert len(posts) == 2
        for post in posts:
            assert "<@&" not in post["content"], post["content"]
            assert loopback.pings(post).roles == frozenset()

        follow = await loopback.slash(
            guild, "spaces follow", options={"artist": "@BTS_twt"}, user=guild.moderator
        )
        await follow.settled(timeout=10)
        assert "without a ping" in follow.all_text()
        assert "The ping role was deleted" in follow.all_text(), follow.all_text()
        for command in ("spaces status", "spaces list", "settings"):
            report = await loopback.slash(guild, command, user=guild.moderator)
            await report.settled()
            shown = report.all_text()
            assert "ping role was deleted" in shown, (command, shown)
            assert "pick one with `/spaces setup` or `/spaces edit`" in shown, (command, shown)
            assert f"<@&{gone.id}>" not in shown.split("Following")[0], (command, shown)


async def test_cancel_pressed_after_confirm_says_it_is_too_late(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Cancel pressed straight after Post (`/spaces announce`) or Confirm (`/party schedule`)
    does not claim nothing was posted: it privately says it is too late, and the post goes out
    once."""
    channel = guild.announcements.id
    async with running_bot(loopback, tmp_path / "bot.db", None):
        await setup(loopback, guild, None)
        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": "https://x.com/i/spaces/1Race", "artist": "BTS"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        post = await loopback.click(ix, button(ix, "Post"), user=guild.moderator)
        cancel = await loopback.click(ix, button(ix, "Cancel"), user=guild.moderator)
        await cancel.response()
        await post.response()
        await ix.wait_until(lambda: "Announced" in ix.content)
        assert "Cancelled" not in ix.all_text()
        assert cancel.ephemeral
        assert cancel.all_text() == (
            "Too late to cancel: the announcement is already being posted."
        ), cancel.all_text()
        assert len(loopback.messages_in(channel)) == 1

        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": "https://x.com/i/spaces/1Called", "artist": "BTS"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        cancel = await loopback.click(ix, button(ix, "Cancel"), user=guild.moderator)
        post = await loopback.click(ix, button(ix, "Post"), user=guild.moderator)
        await cancel.response()
        await post.response()
        assert ix.content == "Cancelled: nothing was posted and nobody was pinged."
        assert post.ephemeral
        assert "nothing was posted" in post.all_text(), post.all_text()
        assert len(loopback.messages_in(channel)) == 1

        general = guild.general.id
        ix = await loopback.slash(
            guild,
            "party schedule",
            options={"title": "MV party", "when": "tomorrow 20:00"},
            user=guild.member,
        )
        await ix.settled()
        confirm = await loopback.click(ix, button(ix, "Confirm"), user=guild.member)
        cancel = await loopback.click(ix, button(ix, "Cancel"), user=guild.member)
        await cancel.response()
        await confirm.response()
        await ix.wait_until(lambda: "Posted" in ix.content)
        assert cancel.ephemeral
        assert cancel.all_text() == "Too late to cancel: the party is already being posted."
        assert len(loopback.messages_in(general)) == 1


async def test_a_space_that_ended_without_going_live_shows_no_start(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A scheduled Space X ends without ever going live is edited to "ended" showing when it
    was scheduled for and when it ended: no "Started: now", no listener peak."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    start = datetime.now(UTC) + timedelta(hours=1)
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1Never", "scheduled", title="Festa", scheduled_start=start)
        await cycle(cog)
        ended_at = datetime.now(UTC).replace(microsecond=0)
        fake.end_space("1Never", ended_at=ended_at)
        await cycle(cog)
        [post] = loopback.messages_in(channel)
        assert state(post) == "⏹️ Ended"
        shown = fields(post)
        assert "Started" not in shown, shown
        assert "Peak" not in shown, shown
        assert shown["Scheduled for"].startswith(f"<t:{int(start.timestamp())}:F>")
        assert shown["Ended"].startswith(f"<t:{int(ended_at.timestamp())}:F>")


async def test_announce_names_a_known_handle_after_its_act_and_test_says_whose_preview(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """With X on, `/spaces announce` without `artist` names a catalog act's handle after the
    act ("**BTS** is live"), and `/spaces test` without `artist` says which follow it shows."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake):
        await setup(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1Known", "live", title="Festa", participant_count=2)
        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": "https://x.com/i/spaces/1Known"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert "**BTS** is live on X Spaces: Festa" in text, text
        assert "BTS\\_twt" not in text

        ix = await loopback.slash(guild, "spaces test", user=guild.moderator)
        await ix.settled()
        assert ix.all_text().startswith(
            "Preview for BTS (your first follow; pick another with `artist`)."
        ), ix.all_text()


async def test_first_five_minutes_labels_the_follow_honestly_and_shows_the_post(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """scripts/first_five_minutes.py says a follow without a template is saved at once (no
    Save button), presses Post on the announce preview and prints what fans get."""
    await first_five_minutes(x_enabled=True)
    out = capsys.readouterr().out
    assert "=== /spaces follow artist:BTS (saved at once) ===" in out, out
    assert "(the preview)" not in out
    assert "=== ... after pressing Post ===\nAnnounced **BTS**'s Space: https://discord.com/" in out
    fans = out.split("=== ... what fans see in #announcements ===\n")[1]
    assert "**BTS** is live on X Spaces: Comeback eve" in fans, out


async def test_a_moved_and_retitled_scheduled_space_edits_its_post(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """X moves a scheduled Space 3 h later and retitles it: the Scheduled post is edited to the
    new time and title (no second post, no ping), and going live still points it to the live
    post."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    later = start + timedelta(hours=3)
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1Moved", "scheduled", title="Festa", scheduled_start=start)
        await cycle(cog)
        fake.set_space("BTS_twt", "1Moved", "scheduled", title="Festa night", scheduled_start=later)
        await cycle(cog)
        [post] = loopback.messages_in(channel)
        assert post["content"].startswith(
            f"**BTS** scheduled an X Space starting <t:{int(later.timestamp())}:R>: Festa night"
        ), post["content"]
        assert post["embeds"][0]["title"] == "Festa night"
        assert fields(post)["Starts"].startswith(f"<t:{int(later.timestamp())}:F>")
        assert loopback.pings(post).roles == frozenset()

        fake.set_space("BTS_twt", "1Moved", "live", title="Festa night", participant_count=4)
        await cycle(cog)
        await cycle(cog)
        scheduled, live = loopback.messages_in(channel)
        assert state(scheduled) == "▶️ Went live"
        assert state(live) == "🔴 Live now"


async def test_posts_nobody_polls_are_looked_up_by_id_until_they_end(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A Space announced by hand for a creator nobody follows, and one whose artist was
    unfollowed after its live post, are looked up by id (`GET /2/spaces?ids=`) and their posts
    say ended when X does, instead of "Live now" forever."""
    channel = guild.announcements.id
    fake.add_user("BTS_twt")
    fake.add_user("IU_official")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (_, cog):
        await setup(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1Unfollowed", "live", title="Festa", participant_count=5)
        await cycle(cog)
        unfollow = await loopback.slash(
            guild, "spaces unfollow", options={"artist": "@BTS_twt"}, user=guild.moderator
        )
        await unfollow.settled()

        fake.set_space("IU_official", "1ByHand", "live", title="Palette", participant_count=9)
        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": "https://x.com/i/spaces/1ByHand", "artist": "IU"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        await press(loopback, ix, "Post", guild)
        await ix.wait_until(lambda: "Announced" in ix.content)
        await cycle(cog)
        for space_id in ("1Unfollowed", "1ByHand"):
            assert state(post_of(loopback, channel, space_id, "Open on X")) == "🔴 Live now"

        fake.end_space("1Unfollowed")
        fake.end_space("1ByHand")
        await cycle(cog)
        lookups = [r for r in fake.requests if r.path == "/2/spaces"]
        assert set(lookups[-1].query["ids"].split(",")) == {"1Unfollowed", "1ByHand"}
        for space_id in ("1Unfollowed", "1ByHand"):
            assert state(post_of(loopback, channel, space_id, "Open on X")) == "⏹️ Ended"
        assert len(loopback.messages_in(channel)) == 2


async def test_spaces_live_without_x_says_it_cannot_see_x(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Without an X token `/spaces live` does not claim nothing is live: it says the bot can't
    see X and lists the Spaces announced here in the last day, with links to the posts."""
    channel = guild.announcements.id
    async with running_bot(loopback, tmp_path / "bot.db", None):
        await setup(loopback, guild, None)
        live = await loopback.slash(guild, "spaces live", user=guild.member)
        await live.settled()
        text = live.all_text()
        assert "No live or scheduled Spaces right now" not in text, text
        assert "I can't see X" in text
        assert "Nothing was announced here in the last day." in text

        ix = await loopback.slash(
            guild,
            "spaces announce",
            options={"url": "https://x.com/i/spaces/1Seen", "artist": "BTS"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        await press(loopback, ix, "Post", guild)
        await ix.wait_until(lambda: "Announced" in ix.content)
        [post] = loopback.messages_in(channel)
        live = await loopback.slash(guild, "spaces live", user=guild.member)
        await live.settled()
        text = live.all_text()
        jump = f"https://discord.com/channels/{guild.id}/{channel}/{post['id']}"
        assert f"🔴 **BTS**: [the announcement]({jump})" in text, text
        assert "may have ended" in text
