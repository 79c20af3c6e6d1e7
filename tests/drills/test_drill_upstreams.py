"""Upstream drills: the X API and MusicBrainz time out or send garbage while people use the bot.

The bot keeps serving `/artist`, `/trivia` and `/party` commands, and the problem shows up where
moderators look: `/spaces status` and `/settings`. The upstreams are local fakes speaking each
provider's documented wire format, with their fault switches.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.testing.fake_musicbrainz import running_fake_musicbrainz
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot, start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.spaces.views import STATE_TEXT
from tests.drills.drill_support import wait_for
from tests.drills.sigkill_workloads import follow_everywhere

MB_CONTACT = "ops@lightstick.example"
X_FAULTS = ["timeout", "malformed_json", "503", "partial_errors", "string_bools"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    """A fake X API whose hanging answers outlast the client's timeout quickly."""
    async with FakeX(hang_seconds=8.0) as server:
        yield server


async def still_serving(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """`/artist`, `/trivia leaderboard` and `/party list` all answer normally."""
    artist = await loopback.slash(guild, "artist", {"name": "BTS"}, user=guild.member)
    await artist.wait_until(lambda: not artist.loading and bool(artist.embeds), timeout=10)
    assert "BTS" in artist.all_text()
    board = await loopback.slash(guild, "trivia leaderboard", {}, user=guild.member)
    await board.settled()
    assert board.embeds
    parties = await loopback.slash(guild, "party list", {}, user=guild.member)
    await parties.settled()
    assert parties.all_text()
    assert "went wrong" not in parties.all_text()


@pytest.mark.parametrize("kind", X_FAULTS)
async def test_x_faults_are_reported_and_everything_else_keeps_working(
    loopback: LoopbackDiscord, fake: FakeX, tmp_path: Path, kind: str
) -> None:
    """X timing out or answering garbage on the Spaces poll: the poll records the problem, the
    bot stays up, `/spaces status` and `/settings` name it, and other commands still answer;
    the next good poll clears it."""
    guild = loopback.add_guild("Upstream drill")
    db = tmp_path / "bot.db"
    await follow_everywhere(db, [guild], fake)
    fake.set_space("Drill_twt", "1UpSpace", "live", title="Upstream drill")
    async with running_bot(loopback, db, fake) as (_, cog):
        poller = cog.poller
        assert poller is not None
        # The bot's own poller polls once at start; let it, so the fault meets our poll.
        await wait_for(lambda: poller.last_report is not None, 10, "the start-up poll")
        fake.fail_next("/2/spaces/by/creator_ids", kind)
        report = await poller.poll_once()
        await still_serving(loopback, guild)
        status = await loopback.slash(guild, "spaces status", {}, user=guild.moderator)
        await status.settled()
        settings = await loopback.slash(guild, "settings", {}, user=guild.moderator)
        await settings.settled()
        if report.state != "ok":
            assert "working" not in status.all_text().split("Last poll")[0]
            # The state is said in words (STATE_TEXT), never as its stored code.
            assert f"X API: {STATE_TEXT[report.state]}" in settings.all_text()
        else:
            # Documented tolerance: stray fields and per-item errors are skipped, not fatal.
            assert kind in ("partial_errors", "string_bools")
        again = await poller.poll_once()
        assert again.state == "ok"
        status = await loopback.slash(guild, "spaces status", {}, user=guild.moderator)
        await status.settled()
        assert "working" in status.all_text()
        await cog.announcer.drain()
    assert len(loopback.messages_in(guild.announcements)) == 1, "the Space is announced once"


@pytest.mark.parametrize("fault", ["unavailable", "malformed_json", "garbage_html", "stall"])
async def test_musicbrainz_faults_are_reported_and_commands_still_answer(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path, fault: str
) -> None:
    """MusicBrainz answering 503, broken JSON, an HTML error page or nothing in time: an unknown
    act gets a clear "could not be reached" answer, catalog acts, trivia and parties keep working,
    and `/settings` shows the fallback's last failure."""
    async with running_fake_musicbrainz(expected_contact=MB_CONTACT) as mb:
        if fault == "unavailable":
            mb.faults.unavailable_times = 100
            mb.faults.retry_after = "0"
        elif fault == "stall":
            mb.faults.stall_seconds = 12.0
        else:
            setattr(mb.faults, fault, True)
        async with start_lightstick(
            loopback,
            tmp_path / "bot.db",
            musicbrainz_api_base=mb.base_url,
            musicbrainz_contact=MB_CONTACT,
        ):
            ix = await loopback.slash(guild, "artist", {"name": "Hyukoh"}, user=guild.member)
            await ix.wait_until(lambda: not ix.loading and bool(ix.content), timeout=30)
            assert ix.ephemeral
            assert "MusicBrainz could not be reached" in ix.content
            await still_serving(loopback, guild)
            settings = await loopback.slash(guild, "settings", {}, user=guild.moderator)
            await settings.settled()
            assert "the last request failed" in settings.all_text()
