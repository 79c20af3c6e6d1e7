"""A reminder interrupted mid-send and resumed after Discord forgot its nonce is not re-posted."""

from __future__ import annotations

from pathlib import Path

from bot.store import Store
from bot.store.parties import PartyRepo
from bot.testing.loopback.server import LoopbackDiscord
from tests.cogs.test_parties_e2e import parties_cog, party_posts, rsvp, running_bot, schedule


async def test_interrupted_reminder_found_in_channel_is_not_sent_again(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """A 'sending' reminder whose post exists is marked sent, even hours after the crash."""
    db = tmp_path / "shared.sqlite"
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    async with running_bot(lb, guild, db) as bot:
        settings = await lb.slash(
            guild.id, "party settings", options={"reminders": "0"}, user=guild.moderator
        )
        await settings.response()
        await schedule(lb, guild, {"title": "Resume party", "when": "tomorrow 20:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        [post] = party_posts(lb, guild.general.id)
        await rsvp(lb, post, party.id, "going", fan)
    at_start = party.starts_at
    async with running_bot(lb, guild, db, clock=lambda: at_start) as bot:
        await parties_cog(bot).dispatcher.settle()
    reminders = [m for m in lb.messages_in(guild.general.id) if "Resume party" in m["content"]]
    reminders = [m for m in reminders if "starting now" in m["content"]]
    assert len(reminders) == 1

    # The state a SIGKILL between Discord's answer and the bookkeeping leaves behind.
    store = await Store.open(db)
    await store.db.execute(
        "UPDATE party_reminders SET state = 'sending', message_id = NULL "
        "WHERE party_id = :party_id AND kind = 'remind'",
        {"party_id": party.id},
    )
    await store.close()
    lb.advance(3600)  # far past Discord's nonce memory
    async with running_bot(lb, guild, db, clock=lambda: at_start) as bot:
        await parties_cog(bot).dispatcher.settle()
        [row] = [
            r
            for r in await bot.store.guild(guild.id).repo(PartyRepo).list_reminders(party.id)
            if r.kind == "remind"
        ]
        assert row.state == "sent"
    again = [m for m in lb.messages_in(guild.general.id) if "starting now" in m["content"]]
    assert len(again) == 1
