"""An interrupted Spaces delivery found long after Discord forgot its nonce is not re-posted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from tests.cogs.test_spaces_e2e import setup_and_follow


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


async def test_resume_after_nonce_window_finds_the_post_instead_of_reposting(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A delivery left 'sending' by a crash, resumed after the nonce window, posts nothing new."""
    db = tmp_path / "bot.db"
    fake.add_user("BTS_twt")
    channel = guild.announcements.id
    async with running_bot(loopback, db, fake) as (bot, cog):
        await setup_and_follow(loopback, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1ResumeSpace", "live", title="Live now", participant_count=10)
        await cycle(cog)
        posts = loopback.messages_in(channel)
        assert len(posts) == 1
        # Recreate the state a SIGKILL between the send and its bookkeeping leaves behind.
        await bot.store.db.execute(
            "UPDATE space_deliveries SET status = 'sending', message_id = NULL "
            "WHERE space_id = '1ResumeSpace' AND state = 'live'"
        )
        await bot.store.db.execute(
            "UPDATE space_events SET status = 'expanded' WHERE status = 'done'"
        )
    # Discord only deduplicates a nonce for a few minutes; the restart comes much later.
    loopback.advance(3600)
    async with running_bot(loopback, db, fake) as (bot, cog):
        await cog.announcer.drain()
        assert len(loopback.messages_in(channel)) == 1
        row = await bot.store.db.fetchone(
            "SELECT status, message_id FROM space_deliveries "
            "WHERE space_id = '1ResumeSpace' AND state = 'live'"
        )
        assert row is not None
        assert row["status"] == "sent"
        assert int(row["message_id"]) == int(posts[0]["id"])
