"""Discord fault drills: 403, 404, 429 and 500 on sends and edits, and a gateway drop mid-game.

The real bot runs in-loop; the loopback Discord answers the scripted faults exactly as Discord
does (status, JSON error code, Retry-After). Nothing here is mocked.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest

from bot.core.client import Lightstick
from bot.domain.parties.model import PartyDraft
from bot.store.parties import PartyRepo
from bot.store.trivia import TriviaRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot, start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.parties import Parties
from cogs.trivia import Trivia
from tests.drills.drill_support import query, wait_for
from tests.drills.sigkill_workloads import follow_everywhere

FINAL_TITLE = "Trivia over: final scoreboard"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    """A fake X API for the Spaces poller."""
    async with FakeX() as server:
        yield server


def posts(loopback: LoopbackDiscord, channel_id: int) -> int:
    """Count messages in a channel."""
    return len(loopback.messages_in(channel_id))


async def test_fanout_through_403_404_429_500_keeps_serving_and_reports(
    loopback: LoopbackDiscord, fake: FakeX, tmp_path: Path
) -> None:
    """One server answers 403 50013, one 404 10003, one 429 and one 500: those two channels are
    marked broken (shown in /spaces status and /settings), the 429 and 500 are retried, every
    other server gets exactly one post, and the ended edits survive a 500 and a 429 too."""
    guilds = [loopback.add_guild(f"Fans {i}") for i in range(6)]
    db = tmp_path / "bot.db"
    await follow_everywhere(db, guilds, fake)
    forbidden, deleted, limited, flaky = guilds[:4]
    msg = r"/channels/{}/messages$"
    loopback.fail_next("POST", msg.format(forbidden.announcements.id), 403)
    loopback.fail_next(
        "POST",
        msg.format(deleted.announcements.id),
        404,
        {"message": "Unknown Channel", "code": 10003},
    )
    loopback.fail_next(
        "POST",
        msg.format(limited.announcements.id),
        429,
        {"message": "You are being rate limited.", "retry_after": 0.2, "global": False},
    )
    loopback.fail_next("POST", msg.format(flaky.announcements.id), 500)
    async with running_bot(loopback, db, fake) as (_, cog):
        fake.set_space("Drill_twt", "1FaultSpace", "live", title="Fault drill")
        await cycle(cog)
        for g in guilds:
            expected = 0 if g in (forbidden, deleted) else 1
            assert posts(loopback, g.announcements.id) == expected, g.name

        status = await loopback.slash(forbidden, "spaces status", {}, user=forbidden.moderator)
        await status.settled()
        text = status.all_text()
        assert f"<#{forbidden.announcements.id}>" in text
        assert "I'm missing a permission here: View Channel, Send Messages or Embed Links" in text
        settings = await loopback.slash(deleted, "settings", {}, user=deleted.moderator)
        await settings.settled()
        assert f"Broken: <#{deleted.announcements.id}>" in settings.all_text()

        # The Space ends: the edits meet a 500 and a 429 and still land, once each.
        edit = r"/channels/{}/messages/\d+$"
        loopback.fail_next("PATCH", edit.format(flaky.announcements.id), 500)
        loopback.fail_next(
            "PATCH",
            edit.format(limited.announcements.id),
            429,
            {"message": "You are being rate limited.", "retry_after": 0.2, "global": False},
        )
        cog.poller.grace = timedelta(0)  # type: ignore[union-attr]
        fake.set_space("Drill_twt", "1FaultSpace", "ended", title="Fault drill")
        await cycle(cog)
    rows = query(db, "SELECT guild_id, state, status FROM space_deliveries ORDER BY guild_id")
    by_guild = {(int(g), s): st for g, s, st in rows}
    for g in guilds:
        if g in (forbidden, deleted):
            assert by_guild[(g.id, "live")] == "broken"
            continue
        assert by_guild[(g.id, "live")] == "sent"
        assert by_guild[(g.id, "ended")] == "sent"
        assert posts(loopback, g.announcements.id) == 1
        assert loopback.messages_in(g.announcements)[0].get("edited_timestamp")


async def test_party_reminder_403_skips_that_channel_and_500_is_retried(
    loopback: LoopbackDiscord, tmp_path: Path
) -> None:
    """A reminder meeting 403 is skipped and shown in /settings (the bot keeps running); one
    meeting a 500 is retried and posted once; a third server is untouched."""
    guilds = [loopback.add_guild(f"Party {i}") for i in range(3)]
    refused, flaky, fine = guilds
    loopback.fail_next("POST", rf"/channels/{refused.general.id}/messages$", 403)
    loopback.fail_next("POST", rf"/channels/{flaky.general.id}/messages$", 500)
    db = tmp_path / "bot.db"
    async with start_lightstick(loopback, db) as bot:
        now = bot.clock()
        for g in guilds:
            await bot.ensure_guild_known(g.id)
            repo = bot.store.guild(g.id).repo(PartyRepo)
            await repo.set_reminder_leads((0,), now=now)
            party = await repo.create_party(
                PartyDraft(
                    title="Drill stream",
                    starts_at=now + timedelta(seconds=1),
                    duration=timedelta(hours=1),
                    channel_id=g.general.id,
                    organiser_id=g.member.id,
                    zone="Asia/Seoul",
                ),
                now=now,
            )
            await repo.set_rsvp(party.id, g.member.id, "going", now=now)
        cog = cast(Parties, bot.get_cog("Parties"))
        cog.dispatcher.poke()
        await wait_for(
            lambda: (
                query(
                    db,
                    "SELECT count(*) FROM party_reminders WHERE kind = 'remind' AND "
                    "state IN ('pending', 'sending')",
                )[0][0]
                == 0
            ),
            15,
            "reminders handled",
        )
        # Moderators see the failed reminder where they look; other servers see nothing.
        ix = await loopback.slash(refused.id, "settings", user=refused.moderator)
        await ix.settled(timeout=10)
        assert "Drill stream" in ix.all_text()
        assert "missing permission" in ix.all_text()
        ix = await loopback.slash(fine.id, "settings", user=fine.moderator)
        await ix.settled(timeout=10)
        assert "was not posted" not in ix.all_text()
    states = dict(query(db, "SELECT guild_id, state FROM party_reminders WHERE kind = 'remind'"))
    assert states == {refused.id: "skipped", flaky.id: "sent", fine.id: "sent"}
    assert posts(loopback, refused.general.id) == 0
    assert posts(loopback, flaky.general.id) == 1
    assert posts(loopback, fine.general.id) == 1


async def fast_trivia(bot: Lightstick) -> Trivia:
    """Return the trivia cog with short test timings."""
    cog = cast(Trivia, bot.get_cog("Trivia"))
    cog.seconds_override = 0.4
    cog.reveal_pause = 0.05
    return cog


def finals(loopback: LoopbackDiscord, channel_id: int) -> int:
    """Count final scoreboards in a channel."""
    return sum(
        1
        for m in loopback.messages_in(channel_id)
        if (m.get("embeds") or [{}])[0].get("title") == FINAL_TITLE
    )


async def test_trivia_403_mid_game_ends_it_cleanly_while_another_server_plays_on(
    loopback: LoopbackDiscord, tmp_path: Path
) -> None:
    """Discord refusing a question post (403) ends that game cleanly (not left running, a new game
    can start); a 429 on another server's post is retried and its game finishes normally."""
    broken, busy = loopback.add_guild("Broken"), loopback.add_guild("Busy")
    db = tmp_path / "bot.db"
    async with start_lightstick(loopback, db) as bot:
        await fast_trivia(bot)
        msg = r"/channels/{}/messages$"
        for g in (broken, busy):
            ix = await loopback.slash(g, "trivia start", {"questions": 3})
            await ix.response()
            assert "Trivia time!" in ix.content
        loopback.fail_next("POST", msg.format(broken.general.id), 403, count=3)
        loopback.fail_next(
            "POST",
            msg.format(busy.general.id),
            429,
            {"message": "You are being rate limited.", "retry_after": 0.1, "global": False},
        )
        await wait_for(lambda: finals(loopback, busy.general.id) == 1, 20, "busy game over")
        for g in (broken, busy):
            repo = bot.store.guild(g.id).repo(TriviaRepo)
            async with asyncio.timeout(10):
                while await repo.running_game_in(g.general.id) is not None:
                    await asyncio.sleep(0.05)
        again = await loopback.slash(broken, "trivia start", {"questions": 1})
        await again.response()
        assert "Trivia time!" in again.content
        await wait_for(lambda: finals(loopback, broken.general.id) >= 1, 20, "new game over")


def question(loopback: LoopbackDiscord, channel_id: int, index: int) -> tuple[str, int] | None:
    """Return (message id, game id) of question `index`'s post in the channel, if posted."""
    for m in loopback.messages_in(channel_id):
        for row in m.get("components") or []:
            for c in row.get("components") or []:
                found = re.fullmatch(r"trivia:(\d+):(\d+):0", c.get("custom_id", ""))
                if found and int(found.group(2)) == index:
                    return str(m["id"]), int(found.group(1))
    return None


async def test_gateway_drop_mid_game_resumes_and_the_game_finishes(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """The gateway drops mid-game: the bot RESUMEs, answers clicks made after the drop, and posts
    exactly one final scoreboard with every acknowledged answer counted."""
    db = tmp_path / "bot.db"
    async with start_lightstick(loopback, db) as bot:
        cog = await fast_trivia(bot)
        cog.seconds_override = 1.2
        ix = await loopback.slash(guild, "trivia start", {"questions": 3})
        await ix.response()
        identifies = loopback.gateway.ready_count
        answered = 0
        for index in range(3):
            await wait_for(
                lambda i=index: question(loopback, guild.general.id, i) is not None,
                10,
                f"question {index}",
            )
            if index == 1:
                await loopback.drop_connection()
                await asyncio.sleep(0.3)
            found = question(loopback, guild.general.id, index)
            assert found is not None
            message_id, game_id = found
            click = await loopback.click(
                message_id, f"trivia:{game_id}:{index}:0", user=guild.member
            )
            await click.response()
            answered += "You picked" in click.content
        await wait_for(lambda: finals(loopback, guild.general.id) == 1, 15, "final scoreboard")
        await asyncio.sleep(0.3)
        assert finals(loopback, guild.general.id) == 1
        assert loopback.gateway.ready_count == identifies, "resumed, not re-identified"
        stats = await bot.store.guild(guild.id).repo(TriviaRepo).member_stats(guild.member.id)
        assert stats is not None
        assert stats.answered == answered == 3
