"""Hardening of /party through the loopback Discord: opt-outs, hostile text, limits, races."""

from __future__ import annotations

from pathlib import Path

from bot.store.parties import PartyRepo
from bot.testing.loopback.server import LoopbackDiscord
from tests.cogs.test_parties_e2e import rsvp, running_bot, schedule


async def test_cancel_does_not_ping_a_member_who_opted_out(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """/party cancel pings Going and Maybe members, except those who ran /party rsvp-optout."""
    lb = loopback
    guild = lb.add_guild()
    fan, quiet = guild.add_member("fan"), guild.add_member("quiet")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        await rsvp(lb, post, party.id, "going", fan)
        await rsvp(lb, post, party.id, "going", quiet)
        optout = await lb.slash(
            guild.id, "party rsvp-optout", options={"party": party.id}, user=quiet
        )
        await optout.settled()
        assert "won't ping you" in optout.content
        cancel = await lb.slash(
            guild.id, "party cancel", options={"party": party.id}, user=guild.member
        )
        await cancel.settled()
        notices = [m for m in lb.messages_in(guild.general.id) if "cancelled" in m["content"]]
        assert notices
        pinged = set().union(*(lb.pings(m).users for m in notices))
        assert pinged == {fan.id}
        assert "Told 1 member" in cancel.content
