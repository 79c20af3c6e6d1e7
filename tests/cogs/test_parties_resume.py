"""A reminder interrupted mid-send and resumed after Discord forgot its nonce is not re-posted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.store import Store
from bot.store.leases import LEASE_SECONDS
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


async def test_a_running_dispatcher_takes_over_another_processs_reminder_after_its_lease(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """A reminder another process claimed and never finished is left alone while its lease
    runs, then sent exactly once by the running dispatcher once the lease ran out."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    now = [datetime.now(UTC)]
    async with running_bot(lb, guild, tmp_path / "db.sqlite", clock=lambda: now[0]) as bot:
        settings = await lb.slash(
            guild.id, "party settings", options={"reminders": "0"}, user=guild.moderator
        )
        await settings.response()
        await schedule(lb, guild, {"title": "Lease party", "when": "tomorrow 20:00"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        [post] = party_posts(lb, guild.general.id)
        await rsvp(lb, post, party.id, "going", fan)
        dispatcher = parties_cog(bot).dispatcher
        now[0] = party.starts_at
        [claimed] = await dispatcher.queue.claim_due(now[0], holder="other:1:dead")
        assert claimed.kind == "remind"

        def reminders() -> list[dict[str, Any]]:
            return [m for m in lb.messages_in(guild.general.id) if fan.id in lb.pings(m).users]

        await dispatcher.settle()
        assert reminders() == []  # the other process's lease still runs
        now[0] = party.starts_at + timedelta(seconds=LEASE_SECONDS + 1)
        await dispatcher.settle()
        assert len(reminders()) == 1
        [row] = [r for r in await repo.list_reminders(party.id) if r.id == claimed.id]
        assert row.state == "sent"
        now[0] += timedelta(seconds=LEASE_SECONDS + 1)
        await dispatcher.settle()
        assert len(reminders()) == 1
